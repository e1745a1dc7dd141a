"""The loop's evaluation, built once and called every epoch, gives evaluate_model's numbers bit for bit."""

from __future__ import annotations

import numpy as np

from trainer.training.evaluation import Evaluation, evaluate_model

from .helpers import experiment


def test_an_evaluation_called_again_and_again_equals_fresh_ones():
    exp = experiment(val=16, dropout=True)
    x, y = exp.data.x_val, exp.data.y_val
    kwargs = dict(metrics=("mae", "r2", "rmse"), logits=True, predictions=exp.predictions, loss_fn=exp.loss_fn)
    again, losses = Evaluation(x, y, **kwargs), set()
    for _ in range(3):
        fresh = evaluate_model(exp.model, x, y, **kwargs)
        reused = again(exp.model)
        assert list(reused) == ["loss", "mae", "r2", "rmse"]
        assert np.array_equal(np.array(list(reused.values())), np.array(list(fresh.values())))
        assert exp.model.training
        losses.add(reused["loss"])
        for p in exp.model.parameters():
            p.data = p.data * 1.1
    assert len(losses) == 3  # the weights changed in between
