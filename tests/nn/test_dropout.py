"""Dropout: active only in training, seeded from the library generator, inverted scaling, gradients through the mask."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F


def test_dropout_zeroes_about_p_and_scales_survivors() -> None:
    trainer.manual_seed(0)
    x = trainer.ones(200, 500)
    out = F.dropout(x, p=0.3)
    kept = out._array != 0
    assert kept.mean() == pytest.approx(0.7, abs=0.01)
    np.testing.assert_allclose(out._array[kept], 1 / 0.7, rtol=1e-6)
    assert out.dtype == np.float32


def test_dropout_is_identity_in_eval_mode_and_for_p_zero() -> None:
    layer = nn.Dropout(0.5)
    x = trainer.randn(4, 5)
    assert layer.eval()(x) is x
    assert F.dropout(x, 0.0) is x
    assert F.dropout(x, 0.9, training=False) is x
    assert not F.dropout(x, 1.0)._array.any()


def test_same_seed_same_mask() -> None:
    x = trainer.ones(10, 10)
    trainer.manual_seed(42)
    a = nn.Dropout(0.5)(x)._array
    trainer.manual_seed(42)
    b = nn.Dropout(0.5)(x)._array
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, nn.Dropout(0.5)(x)._array)


def test_gradient_flows_through_the_same_mask() -> None:
    trainer.manual_seed(3)
    x = trainer.randn(6, 7, requires_grad=True)
    out = F.dropout(x, 0.4)
    out.sum().backward()
    mask = (out._array != 0) * (1 / 0.6)
    np.testing.assert_allclose(x.grad._array, mask, rtol=1e-6)


def test_dropout_in_a_model_follows_train_and_eval() -> None:
    net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    x = trainer.randn(3, 4)
    with trainer.no_grad():
        eval_out = net.eval()(x)._array
        np.testing.assert_array_equal(eval_out, net(x)._array)
        train_out = net.train()(x)._array
    assert (train_out == 0).any()
