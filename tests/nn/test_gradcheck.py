"""Finite-difference gradient checks (float64) for every activation, layer function and loss, inputs kept off kinks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import trainer
import trainer.nn.functional as F
from tests.gradcheck import gradcheck

RNG = np.random.default_rng(7)
REDUCTIONS = ("none", "mean", "sum")


def _away(shape: tuple[int, ...], lo: float = 0.1, hi: float = 2.0) -> np.ndarray:
    return RNG.uniform(lo, hi, shape) * RNG.choice([-1.0, 1.0], shape)


X = _away((3, 4))
WIDE = RNG.uniform(-4, 4, (3, 4))

ACTIVATIONS: dict[str, Callable] = {
    "relu": F.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
    "elu": lambda x: F.elu(x, 0.7),
    "gelu": F.gelu,
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu,
    "sigmoid": F.sigmoid,
    "tanh": F.tanh,
    "softplus": F.softplus,
    "softplus_beta": lambda x: F.softplus(x, beta=3.0, threshold=2.0),
    "softmax": lambda x: F.softmax(x, dim=1),
    "softmax_dim0": lambda x: F.softmax(x, dim=0),
    "log_softmax": lambda x: F.log_softmax(x, dim=1),
    "log_softmax_dim0": lambda x: F.log_softmax(x, dim=0),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradients(name: str) -> None:
    x = X if name in ("relu", "leaky_relu", "elu") else WIDE
    x = np.where(np.abs(x * 3.0 - 2.0) < 0.05, x + 0.1, x) if name == "softplus_beta" else x
    gradcheck(ACTIVATIONS[name], x)


def test_linear_gradients() -> None:
    gradcheck(F.linear, RNG.standard_normal((2, 3, 4)), RNG.standard_normal((5, 4)), RNG.standard_normal(5))
    gradcheck(F.linear, RNG.standard_normal(4), RNG.standard_normal((2, 4)))


def test_normalisation_gradients() -> None:
    x = RNG.standard_normal((5, 3)) * 2
    gradcheck(lambda a, w, b: F.batch_norm(a, None, None, w, b, training=True), x, RNG.standard_normal(3),
              RNG.standard_normal(3))
    x3 = RNG.standard_normal((3, 2, 4))
    rm, rv = trainer.zeros(2, dtype="float64"), trainer.ones(2, dtype="float64")
    gradcheck(lambda a, w: F.batch_norm(a, rm, rv, w, training=True, momentum=0.0), x3, RNG.standard_normal(2))
    gradcheck(lambda a: F.batch_norm(a, trainer.tensor(np.array([0.5, -1.0])), trainer.tensor(np.array([2.0, 0.5])),
                                     training=False), x3)
    gradcheck(lambda a, w, b: F.layer_norm(a, (2, 4), w, b), x3, RNG.standard_normal((2, 4)),
              RNG.standard_normal((2, 4)))


def test_embedding_gradients() -> None:
    idx = trainer.tensor(np.array([[0, 2, 2], [3, 1, 0]]))
    gradcheck(lambda w: F.embedding(idx, w), RNG.standard_normal((4, 3)))
    # padding_idx and scale_grad_by_freq change the gradient on purpose; the PyTorch references cover them


def _pair_off_kinks() -> tuple[np.ndarray, np.ndarray]:
    x = RNG.standard_normal((3, 4))
    d = RNG.uniform(0.15, 2.5, (3, 4)) * RNG.choice([-1.0, 1.0], (3, 4))
    for kink in (0.5, 1.0, 2.0):
        d = np.where(np.abs(np.abs(d) - kink) < 0.06, d * 1.2, d)
    return x, x - d


XP, YP = _pair_off_kinks()
W = RNG.uniform(0.2, 2.0, (3, 4))
PROB = RNG.uniform(0.05, 0.95, (3, 4))
SOFT = RNG.uniform(0.0, 1.0, (3, 4))
LOGITS = RNG.standard_normal((3, 4)) * 2
CLS = trainer.tensor(np.array([0, 3, -100]))
CW = trainer.tensor(RNG.uniform(0.5, 2.0, 4))
DIST = RNG.dirichlet(np.ones(4), 3)
LOGP = np.log(RNG.dirichlet(np.ones(4), 3))
LABELS = trainer.tensor(np.where(RNG.random((3, 4)) < 0.5, -1.0, 1.0))
HINGE_X = np.where(np.abs(np.abs(X) - 1.0) < 0.1, X * 1.3, X)
VAR = RNG.uniform(0.3, 2.0, (3, 4))
COUNTS = RNG.uniform(0.1, 5.0, (3, 4))

LOSSES: dict[str, tuple[Callable, tuple[np.ndarray, ...]]] = {
    "mse": (lambda x, y, r: F.mse_loss(x, y, reduction=r), (XP, YP)),
    "mse_weight": (lambda x, y, r: F.mse_loss(x, y, reduction=r, weight=trainer.tensor(W)), (XP, YP)),
    "l1": (lambda x, y, r: F.l1_loss(x, y, reduction=r), (XP, YP)),
    "l1_weight": (lambda x, y, r: F.l1_loss(x, y, reduction=r, weight=trainer.tensor(W)), (XP, YP)),
    "smooth_l1": (lambda x, y, r: F.smooth_l1_loss(x, y, reduction=r, beta=0.5), (XP, YP)),
    "huber": (lambda x, y, r: F.huber_loss(x, y, reduction=r, delta=2.0, weight=trainer.tensor(W)), (XP, YP)),
    "bce": (lambda x, y, r: F.binary_cross_entropy(x, y, CW, reduction=r), (PROB, SOFT)),
    "bce_logits": (lambda x, y, r: F.binary_cross_entropy_with_logits(x, y, trainer.tensor(W), reduction=r,
                                                                      pos_weight=CW), (LOGITS, SOFT)),
    "cross_entropy": (lambda x, r: F.cross_entropy(x, CLS, CW, reduction=r, label_smoothing=0.2), (LOGITS,)),
    "cross_entropy_probs": (lambda x, y, r: F.cross_entropy(x, y, CW, reduction=r, label_smoothing=0.1),
                            (LOGITS, DIST)),
    "nll": (lambda x, r: F.nll_loss(x, CLS, CW, reduction=r), (LOGP,)),
    "kl_div": (lambda x, y, r: F.kl_div(x, y, reduction=r), (LOGP, DIST)),
    "kl_div_log_target": (lambda x, y, r: F.kl_div(x, y, reduction=r, log_target=True), (LOGP, LOGP[::-1].copy())),
    "poisson": (lambda x, y, r: F.poisson_nll_loss(x, y, full=True, reduction=r), (LOGITS / 2, COUNTS)),
    "poisson_rate": (lambda x, y, r: F.poisson_nll_loss(x, y, log_input=False, reduction=r), (PROB + 0.5, COUNTS)),
    "gaussian": (lambda x, y, v, r: F.gaussian_nll_loss(x, y, v, full=True, reduction=r), (XP, YP, VAR)),
    "gaussian_var_drop": (lambda x, y, v, r: F.gaussian_nll_loss(x, y, v, reduction=r), (XP, YP, VAR[:, 0].copy())),
    "hinge_embedding": (lambda x, r: F.hinge_embedding_loss(x, LABELS, reduction=r), (HINGE_X,)),
    "soft_margin": (lambda x, y, r: F.soft_margin_loss(x, y, reduction=r), (LOGITS, LABELS._array)),
    "margin_ranking": (lambda a, b, y, r: F.margin_ranking_loss(a, b, y, 0.1, reduction=r),
                       (XP, YP, np.where(XP > YP, 1.0, -1.0) * RNG.choice([-1.0, 1.0], (3, 4)))),
    "cosine_embedding": (lambda a, b, r: F.cosine_embedding_loss(a, b, trainer.tensor(np.array([1.0, -1.0, -1.0])),
                                                                 -0.3, reduction=r),
                         (RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4)))),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradients(name: str, reduction: str) -> None:
    fn, arrays = LOSSES[name]
    gradcheck(lambda *ts: fn(*ts, reduction), *arrays)


@pytest.mark.parametrize("reduction", ("batchmean", "mean"))
def test_kl_div_batchmean_gradients(reduction: str) -> None:
    gradcheck(lambda x, y: F.kl_div(x, y, reduction=reduction), LOGP, DIST)
