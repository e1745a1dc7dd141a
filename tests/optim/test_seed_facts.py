"""The seed article's observable facts about optimizers (R torch's `optim_adam` on `nn_linear(3, 1)`)."""

from __future__ import annotations

import numpy as np

import trainer
from trainer import nn, optim


def test_fresh_adam_moves_every_parameter_of_linear_by_lr() -> None:
    trainer.manual_seed(1)
    data = trainer.randn(1, 3)
    model = nn.Linear(3, 1)
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    assert optimizer.param_groups[0]["params"] == [model.weight, model.bias]
    assert optimizer.param_groups[0]["params"][0] is model.weight
    before = [p._array.copy() for p in model.parameters()]

    optimizer.zero_grad()
    out = model(data)
    out.backward()
    for p, b in zip(model.parameters(), before, strict=True):  # backward computes gradients, moves nothing
        np.testing.assert_array_equal(p._array, b)

    optimizer.step()
    for p, b in zip(model.parameters(), before, strict=True):
        assert p.dtype == np.float32
        moved = p._array.astype(np.float64) - b
        # Adam's first step is lr * g / (|g| + eps): 0.01 against the gradient's sign, up to eps and float32 rounding
        np.testing.assert_allclose(np.abs(moved), 0.01, atol=1e-6)
        np.testing.assert_array_equal(np.sign(moved), -np.sign(p.grad._array))
    # the optimizer holds the model's parameters, so both show the updated values
    assert optimizer.param_groups[0]["params"][1]._array is model.bias._array
