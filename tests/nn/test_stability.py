"""Numerical stability at logits of magnitude 1000, and float32 in -> float32 out for every function."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import trainer
import trainer.nn.functional as F

BIG = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0], [999.0, 1000.0, -999.0]])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_log_softmax_softmax_and_cross_entropy_are_finite_at_1000(dtype: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = trainer.tensor(BIG, dtype=dtype, requires_grad=True)
        lp = F.log_softmax(x, dim=1)
        assert np.isfinite(lp._array).all()
        assert lp._array[0, 0] == 0 and lp._array[0, 1] == pytest.approx(-2000)
        lp.sum().backward()
        assert np.isfinite(x.grad._array).all()
        x.grad = None
        s = F.softmax(x, dim=1)
        np.testing.assert_allclose(s._array.sum(axis=1), 1, rtol=1e-6)
        (s * trainer.tensor(np.arange(9.0).reshape(3, 3), dtype=dtype)).sum().backward()
        assert np.isfinite(x.grad._array).all()
        x.grad = None
        loss = F.cross_entropy(x, trainer.tensor([1, 2, 0]), label_smoothing=0.1)
        assert math.isfinite(loss.item())
        # per row: 0.9 * nll + 0.1 * mean(-log p); row 0 puts 2000 nats on the target, row 2 log(1 + e^-1) + 1
        lse2 = math.log1p(math.exp(-1))
        rows = [0.9 * 2000 + 0.1 * 3000 / 3, 0.1 * 4000 / 3,
                0.9 * (1 + lse2) + 0.1 * ((1 + lse2) + lse2 + (1999 + lse2)) / 3]
        assert loss.item() == pytest.approx(sum(rows) / 3, rel=1e-5)
        loss.backward()
        assert np.isfinite(x.grad._array).all()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bce_with_logits_is_finite_at_100_and_1000(dtype: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = trainer.tensor([100.0, -100.0, 1000.0, -1000.0], dtype=dtype, requires_grad=True)
        y = trainer.tensor([0.0, 1.0, 1.0, 0.0], dtype=dtype)
        loss = F.binary_cross_entropy_with_logits(x, y, reduction="none", pos_weight=trainer.tensor([2.0],
                                                                                                    dtype=dtype))
        np.testing.assert_allclose(loss._array, [100, 200, 0, 0], rtol=1e-6)
        loss.sum().backward()
        np.testing.assert_allclose(x.grad._array, [1, -2, 0, 0], atol=1e-6)


def test_other_losses_stay_finite_for_extreme_inputs() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = trainer.tensor([1000.0, -1000.0], dtype="float64", requires_grad=True)
        loss = F.soft_margin_loss(x, trainer.tensor([-1.0, 1.0], dtype="float64"))
        assert loss.item() == pytest.approx(1000.0)
        loss.backward()
        np.testing.assert_allclose(x.grad._array, [0.5, -0.5])
        p = trainer.tensor([0.0, 1.0], dtype="float64", requires_grad=True)
        bce = F.binary_cross_entropy(p, trainer.tensor([1.0, 0.0], dtype="float64"))
        assert bce.item() == 100.0
        z = trainer.tensor([-1000.0, 1000.0, 30.0], requires_grad=True)
        for out in (F.softplus(z), F.silu(z), F.sigmoid(z), F.elu(z), F.gelu(z), F.gelu(z, approximate="tanh")):
            out.sum().backward()
            assert np.isfinite(out._array).all() and np.isfinite(z.grad._array).all()
            z.grad = None


def _calls(x, y, p, cls, probs, logp, lab, v, pair_labels):
    return {
        "relu": lambda: F.relu(x), "leaky_relu": lambda: F.leaky_relu(x), "elu": lambda: F.elu(x),
        "gelu": lambda: F.gelu(x), "gelu_tanh": lambda: F.gelu(x, approximate="tanh"), "silu": lambda: F.silu(x),
        "sigmoid": lambda: F.sigmoid(x), "tanh": lambda: F.tanh(x), "softplus": lambda: F.softplus(x),
        "softmax": lambda: F.softmax(x, 1), "log_softmax": lambda: F.log_softmax(x, 1),
        "dropout": lambda: F.dropout(x, 0.5), "mse": lambda: F.mse_loss(x, y), "l1": lambda: F.l1_loss(x, y),
        "smooth_l1": lambda: F.smooth_l1_loss(x, y), "huber": lambda: F.huber_loss(x, y),
        "bce": lambda: F.binary_cross_entropy(p, p), "bce_logits": lambda: F.binary_cross_entropy_with_logits(x, p),
        "ce": lambda: F.cross_entropy(x, cls, label_smoothing=0.1), "ce_probs": lambda: F.cross_entropy(x, probs),
        "nll": lambda: F.nll_loss(logp, cls), "kl": lambda: F.kl_div(logp, probs, reduction="batchmean"),
        "poisson": lambda: F.poisson_nll_loss(x, p, full=True), "gaussian": lambda: F.gaussian_nll_loss(x, y, v),
        "hinge": lambda: F.hinge_embedding_loss(x, lab), "soft_margin": lambda: F.soft_margin_loss(x, lab),
        "ranking": lambda: F.margin_ranking_loss(x, y, lab),
        "cosine": lambda: F.cosine_embedding_loss(x, y, pair_labels),
    }


def test_float32_stays_float32_everywhere() -> None:
    trainer.manual_seed(0)
    x = trainer.randn(3, 4, requires_grad=True)
    y = trainer.randn(3, 4)
    p = trainer.rand(3, 4)
    probs = F.softmax(trainer.randn(3, 4), 1)
    logp = F.log_softmax(trainer.randn(3, 4), 1)
    lab = trainer.tensor(np.where(np.random.default_rng(0).random((3, 4)) < 0.5, -1.0, 1.0), dtype="float32")
    v = trainer.rand(3, 4) + 0.5
    calls = _calls(x, y, p, trainer.tensor([1, 0, 3]), probs, logp, lab, v, trainer.tensor([1.0, -1.0, 1.0]))
    for name, call in calls.items():
        out = call()
        assert out.dtype == np.float32, name
        if out.requires_grad:
            out.sum().backward()
            assert x.grad.dtype == np.float32, name
            x.grad = None
