"""Model outputs read per loss: labels as accuracy reads them, probabilities where the loss models them."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.build.outputs import output_reader
from trainer.config import load_config
from trainer.errors import UserError


def reader(loss: str, task: str = "binary"):
    cfg = load_config({"data": {"type": "moons"}, "loss": {"type": loss}, "optimizer": {"type": "sgd"},
                       "model": {"layers": [{"type": "linear", "out_features": 1}]}})
    return output_reader(cfg, task)


def test_one_logit_gives_two_class_probabilities():
    out = np.array([[-2.0], [0.0], [3.0]])
    r = reader("bce_with_logits")
    assert r.labels(out).tolist() == [0, 0, 1]
    p = r.proba(out)
    assert p.shape == (3, 2) and np.allclose(p[:, 1], 1 / (1 + np.exp(-out[:, 0]))) and np.allclose(p.sum(1), 1)


def test_a_probability_output_is_thresholded_at_a_half():
    out = np.array([[0.2], [0.7]])
    r = reader("bce")
    assert r.labels(out).tolist() == [0, 1] and np.allclose(r.proba(out), [[0.8, 0.2], [0.3, 0.7]])


def test_per_class_scores_go_through_softmax():
    out = np.array([[1.0, 2.0, 0.5]])
    r = reader("cross_entropy", "multiclass")
    assert r.labels(out).tolist() == [1]
    assert np.allclose(r.proba(out), np.exp(out) / np.exp(out).sum())


def test_margins_have_labels_but_hinge_embedding_has_no_probabilities():
    out = np.array([[2.0], [-1.0]])
    hinge = reader("hinge_embedding")
    assert hinge.labels(out).tolist() == [0, 1]  # margin / 2 - distance > 0 means class 1
    with pytest.raises(UserError, match="not class probabilities"):
        hinge.proba(out)
    assert reader("soft_margin").proba(out).shape == (2, 2)
