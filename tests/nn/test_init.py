"""PyTorch's default initialisation and trainer.nn.init: bounds, spread, gains, fan modes, seeding, dtype."""

from __future__ import annotations

import math

import numpy as np
import pytest

import trainer
import trainer.nn as nn
from trainer.nn import init


def test_linear_default_init_is_uniform_in_one_over_sqrt_fan_in() -> None:
    trainer.manual_seed(0)
    layer = nn.Linear(400, 300)
    w, b = layer.weight._array, layer.bias._array
    assert w.shape == (300, 400) and w.dtype == np.float32 and b.dtype == np.float32
    bound = 1 / math.sqrt(400)
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.99 * bound
    # U(-a, a) has mean 0 and std a / sqrt(3); 120000 draws pin both down tightly
    assert abs(w.mean()) < 0.01 * bound
    assert w.std() == pytest.approx(bound / math.sqrt(3), rel=0.01)
    counts, _ = np.histogram(w, bins=10, range=(-bound, bound))
    assert counts.min() > 0.9 * w.size / 10
    assert np.abs(b).max() > 0.9 * bound and b.std() == pytest.approx(bound / math.sqrt(3), rel=0.15)


def test_same_seed_same_weights_and_draws_come_from_the_library_generator() -> None:
    trainer.manual_seed(123)
    a = nn.Linear(5, 4).weight._array.copy()
    trainer.manual_seed(123)
    b = nn.Linear(5, 4).weight._array.copy()
    np.testing.assert_array_equal(a, b)
    trainer.manual_seed(123)
    expected = trainer.empty(4, 5).uniform_(-1 / math.sqrt(5), 1 / math.sqrt(5)).numpy()
    np.testing.assert_array_equal(a, expected)
    c = nn.Linear(5, 4).weight._array
    assert not np.array_equal(a, c)


def test_norm_layers_start_at_one_and_zero_and_embedding_is_standard_normal() -> None:
    for module in (nn.BatchNorm1d(6), nn.LayerNorm(6)):
        assert module.weight._array.tolist() == [1] * 6 and module.bias._array.tolist() == [0] * 6
    bn = nn.BatchNorm1d(3)
    assert bn.running_mean._array.tolist() == [0, 0, 0] and bn.running_var._array.tolist() == [1, 1, 1]
    assert int(bn.num_batches_tracked.item()) == 0
    trainer.manual_seed(1)
    emb = nn.Embedding(1000, 50, padding_idx=3)
    w = emb.weight._array
    assert w.dtype == np.float32
    assert abs(w.mean()) < 0.02 and w.std() == pytest.approx(1.0, rel=0.02)
    assert not w[3].any()


def test_calculate_gain_table() -> None:
    assert init.calculate_gain("linear") == 1 and init.calculate_gain("sigmoid") == 1
    assert init.calculate_gain("conv2d") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="negative_slope"):
        init.calculate_gain("leaky_relu", "x")


def _big(shape=(300, 400)) -> trainer.Tensor:
    return trainer.zeros(*shape, dtype="float64")


def test_xavier_uniform_and_normal_spread() -> None:
    trainer.manual_seed(0)
    t = init.xavier_uniform_(_big(), gain=2.0)
    bound = 2.0 * math.sqrt(6 / 700)
    assert np.abs(t._array).max() <= bound and np.abs(t._array).max() > 0.99 * bound
    t = init.xavier_normal_(_big(), gain=0.5)
    assert t._array.std() == pytest.approx(0.5 * math.sqrt(2 / 700), rel=0.01)


@pytest.mark.parametrize("mode, fan", [("fan_in", 400 * 3), ("fan_out", 300 * 3)])
def test_kaiming_uses_the_chosen_fan_and_gain(mode: str, fan: int) -> None:
    trainer.manual_seed(0)
    shape = (300, 400, 3)  # fans include the receptive field, as for conv weights
    t = init.kaiming_uniform_(_big(shape), mode=mode, nonlinearity="relu")
    bound = math.sqrt(2) * math.sqrt(3 / fan)
    assert np.abs(t._array).max() <= bound and np.abs(t._array).max() > 0.99 * bound
    t = init.kaiming_normal_(_big(shape), a=0.1, mode=mode)
    assert t._array.std() == pytest.approx(math.sqrt(2 / 1.01) / math.sqrt(fan), rel=0.01)
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_uniform_(_big(), mode="fan_avg")


def test_simple_fills_and_distributions() -> None:
    trainer.manual_seed(0)
    t = trainer.zeros(200, 300)
    assert init.uniform_(t, -2.0, 3.0) is t
    assert t._array.min() >= -2 and t._array.max() <= 3 and t._array.mean() == pytest.approx(0.5, abs=0.02)
    init.normal_(t, 1.0, 0.5)
    assert t._array.mean() == pytest.approx(1.0, abs=0.01) and t._array.std() == pytest.approx(0.5, rel=0.01)
    assert t.dtype == np.float32
    assert init.constant_(t, 0.25)._array.max() == 0.25
    assert not init.zeros_(t)._array.any()
    assert init.ones_(t)._array.min() == 1


def test_initialisers_work_on_parameters_and_accept_a_generator() -> None:
    layer = nn.Linear(3, 2)
    init.kaiming_normal_(layer.weight, generator=trainer.Generator().manual_seed(5))
    other = trainer.zeros(2, 3)
    init.kaiming_normal_(other, generator=trainer.Generator().manual_seed(5))
    np.testing.assert_array_equal(layer.weight._array, other._array)
    assert layer.weight.requires_grad and layer.weight.is_leaf


def test_fans_need_two_dimensions() -> None:
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(trainer.zeros(5))
