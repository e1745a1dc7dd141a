"""Loss modules give the functional numbers, keep their options, and register class weights as buffers."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F

RNG = np.random.default_rng(11)
X = trainer.tensor(RNG.standard_normal((4, 3)))
Y = trainer.tensor(RNG.standard_normal((4, 3)))
P = trainer.tensor(RNG.uniform(0.1, 0.9, (4, 3)))
CLS = trainer.tensor(np.array([0, 2, 1, -100]))
W = trainer.tensor(np.array([0.5, 1.0, 2.0]))
LAB = trainer.tensor(np.where(RNG.random((4, 3)) < 0.5, -1.0, 1.0))

PAIRS = [
    (nn.MSELoss(reduction="sum"), lambda: F.mse_loss(X, Y, reduction="sum"), (X, Y)),
    (nn.L1Loss(), lambda: F.l1_loss(X, Y), (X, Y)),
    (nn.SmoothL1Loss(beta=0.5), lambda: F.smooth_l1_loss(X, Y, beta=0.5), (X, Y)),
    (nn.HuberLoss(delta=0.3), lambda: F.huber_loss(X, Y, delta=0.3), (X, Y)),
    (nn.BCELoss(W), lambda: F.binary_cross_entropy(P, P, W), (P, P)),
    (nn.BCEWithLogitsLoss(pos_weight=W), lambda: F.binary_cross_entropy_with_logits(X, P, pos_weight=W), (X, P)),
    (nn.CrossEntropyLoss(W, label_smoothing=0.2), lambda: F.cross_entropy(X, CLS, W, label_smoothing=0.2),
     (X, CLS)),
    (nn.NLLLoss(W, ignore_index=2), lambda: F.nll_loss(X, CLS.clamp(min=0), W, ignore_index=2), (X, CLS.clamp(min=0))),
    (nn.KLDivLoss(reduction="batchmean", log_target=True),
     lambda: F.kl_div(X, Y, reduction="batchmean", log_target=True), (X, Y)),
    (nn.PoissonNLLLoss(log_input=False, full=True, eps=0.1),
     lambda: F.poisson_nll_loss(P, P * 3, False, True, eps=0.1), (P, P * 3)),
    (nn.GaussianNLLLoss(full=True), lambda: F.gaussian_nll_loss(X, Y, P, full=True), (X, Y, P)),
    (nn.HingeEmbeddingLoss(margin=0.5), lambda: F.hinge_embedding_loss(X, LAB, 0.5), (X, LAB)),
    (nn.SoftMarginLoss(reduction="none"), lambda: F.soft_margin_loss(X, LAB, reduction="none"), (X, LAB)),
    (nn.MarginRankingLoss(margin=0.2), lambda: F.margin_ranking_loss(X, Y, LAB, 0.2), (X, Y, LAB)),
    (nn.CosineEmbeddingLoss(margin=0.1), lambda: F.cosine_embedding_loss(X, Y, LAB[:, 0], 0.1), (X, Y, LAB[:, 0])),
]


@pytest.mark.parametrize("module, functional, args", PAIRS, ids=[type(p[0]).__name__ for p in PAIRS])
def test_module_equals_function(module, functional, args) -> None:
    np.testing.assert_array_equal(module(*args)._array, functional()._array)
    assert repr(module) == type(module).__name__ + "()"


def test_weights_are_buffers_that_follow_dtype_and_state_dict() -> None:
    loss = nn.CrossEntropyLoss(weight=trainer.tensor([1.0, 2.0]))
    assert list(loss.state_dict()) == ["weight"]
    assert loss.weight.dtype == np.float32
    loss.double()
    assert loss.weight.dtype == np.float64
    assert list(nn.BCEWithLogitsLoss(pos_weight=trainer.ones(3)).state_dict()) == ["pos_weight"]
    assert list(nn.MSELoss().state_dict()) == []
    with pytest.raises(TypeError, match="weight must be a Tensor"):
        nn.CrossEntropyLoss(weight=[1.0, 2.0])


def test_seed_article_usage_modes_agree() -> None:
    trainer.manual_seed(1)
    x = trainer.randn(3, 2, 3)
    y = trainer.zeros(3, 2, 3)
    assert nn.MSELoss()(x, y).item() == F.mse_loss(x, y).item() == pytest.approx(float((x._array ** 2).mean()))


def test_cross_entropy_all_ignored_mean_is_nan_like_pytorch() -> None:
    out = F.cross_entropy(trainer.randn(2, 3), trainer.tensor([-100, -100]))
    assert np.isnan(out.item())
    assert F.cross_entropy(trainer.randn(2, 3), trainer.tensor([-100, -100]), reduction="sum").item() == 0
