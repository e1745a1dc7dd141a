"""One evaluation of a model on arrays: its loss and metrics, as the loop records them after every epoch.

The loop and `trainer evaluate` both evaluate through `Evaluation`, so a saved model re-evaluated on the same
rows gives the numbers metrics.csv holds, bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..autograd import Tensor, from_numpy, no_grad
from ..metrics.evaluate import metric_scorer
from ..nn import Module


class Evaluation:
    """`evaluate_model` on fixed rows, for evaluating again and again (the loop's every epoch): the arrays are
    wrapped and what the metrics need of the targets alone computed once."""

    def __init__(self, x: np.ndarray, y: np.ndarray, *, metrics: Sequence[str], logits: bool,
                 predictions: Callable[[np.ndarray], np.ndarray],
                 loss_fn: Callable[[Tensor, Tensor], Tensor] | None = None) -> None:
        self.arrays = x, y
        self.x, self.y = from_numpy(x), from_numpy(y)
        self.score = metric_scorer(tuple(metrics), y, logits=logits)
        self.predictions, self.loss_fn = predictions, loss_fn

    def __call__(self, model: Module) -> dict[str, float]:
        """`loss` (with a `loss_fn`) and every metric of `model`, in eval mode under no_grad; the model is put
        back in the mode it was in."""
        out: dict[str, float] = {}
        was_training = model.training
        model.eval()
        try:
            with no_grad():
                pred = model(self.x)
                if self.loss_fn is not None:
                    out["loss"] = float(self.loss_fn(pred, self.y).item())
        finally:
            model.train(was_training)
        out.update(self.score(self.predictions(pred.numpy())))
        return out


def evaluate_model(model: Module, x: np.ndarray, y: np.ndarray, *, metrics: Sequence[str], logits: bool,
                   predictions: Callable[[np.ndarray], np.ndarray],
                   loss_fn: Callable[[Tensor, Tensor], Tensor] | None = None) -> dict[str, float]:
    """`loss` (when `loss_fn` is given) and every metric of `model` on `(x, y)`, in eval mode under no_grad.

    `y` is encoded as the loss reads it; `predictions` maps the raw output to what metrics compare with it.
    The model is put back in the mode it was in.
    """
    return Evaluation(x, y, metrics=metrics, logits=logits, predictions=predictions, loss_fn=loss_fn)(model)
