"""mse_loss's and l1_loss's common-case paths give bit for bit what the general path gives (loss and both gradients)."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer.nn.functional import regression
from trainer.nn.functional.regression import l1_loss, mse_loss

_FAST = {mse_loss: "_mse_reduced", l1_loss: "_l1_reduced"}


def _run(fn: object, dtype: np.dtype, reduction: str, target_grad: bool) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(3)
    x = trainer.tensor(rng.standard_normal((7, 3)).astype(dtype), requires_grad=True)
    y = trainer.tensor(rng.standard_normal((7, 3)).astype(dtype), requires_grad=target_grad)
    loss = fn(x * 1.5, y, reduction=reduction)  # type: ignore[operator]
    (loss * 0.75).backward()
    return loss._array, x.grad._array, (y.grad._array if target_grad else np.zeros(0))


@pytest.mark.parametrize("fn", [mse_loss, l1_loss])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("target_grad", [False, True])
def test_fast_path_equals_general_path(monkeypatch: pytest.MonkeyPatch, fn: object, dtype: np.dtype,
                                       reduction: str, target_grad: bool) -> None:
    calls: list[bool] = []
    fast = getattr(regression, _FAST[fn])
    monkeypatch.setattr(regression, _FAST[fn], lambda *a: calls.append(True) or fast(*a))
    got = _run(fn, dtype, reduction, target_grad)
    assert calls  # the fast path ran
    monkeypatch.setattr(regression, "_REDUCED", ())
    want = _run(fn, dtype, reduction, target_grad)
    assert len(calls) == 1  # the general path ran
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and np.array_equal(g, w)


def test_fast_path_keeps_the_graph_for_a_second_backward() -> None:
    x = trainer.tensor([[1.0, -2.0]], requires_grad=True)
    loss = mse_loss(x, trainer.tensor([[0.5, 0.5]]), reduction="sum")
    loss.backward(retain_graph=True)
    first = x.grad._array.copy()
    loss.backward()
    np.testing.assert_array_equal(x.grad._array, 2 * first)
    assert type(loss.grad_fn).__name__ == "MseLossBackward0"
