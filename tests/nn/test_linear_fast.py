"""Linear.forward reads its parameters straight from the registry only where `self.weight` would find them."""

from __future__ import annotations

import numpy as np

import trainer
from trainer import nn


def test_replaced_parameter_is_used() -> None:
    lin = nn.Linear(2, 1)
    lin.weight = nn.Parameter(trainer.ones(1, 2))
    lin.bias = None
    out = lin(trainer.tensor([[1.0, 2.0]]))
    np.testing.assert_array_equal(out._array, [[3.0]])
    assert type(out.grad_fn).__name__ == "MmBackward0"


def test_subclass_property_weight_wins() -> None:
    class Scaled(nn.Linear):
        @property
        def weight(self) -> trainer.Tensor:  # type: ignore[override]
            return self._parameters["weight"] * 2

    lin = Scaled(2, 1)
    with trainer.no_grad():
        lin._parameters["weight"].copy_(trainer.tensor([[1.0, 1.0]]))
        lin.bias.zero_()
    np.testing.assert_array_equal(lin(trainer.tensor([[1.0, 2.0]]))._array, [[6.0]])


def test_fast_and_attribute_paths_agree() -> None:
    lin = nn.Linear(3, 4)
    x = trainer.tensor(np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32))
    fast = lin(x)
    slow = nn.functional.linear(x, lin.weight, lin.bias)
    assert np.array_equal(fast._array, slow._array)
