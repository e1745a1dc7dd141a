"""Finite-difference gradient checks in float64 (HIPS autograd / Chainer style)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

import trainer


def numerical_grads(
    fn: Callable[..., trainer.Tensor], inputs: Sequence[np.ndarray], eps: float = 1e-6
) -> tuple[list[np.ndarray], np.ndarray]:
    """Central differences of sum(fn(*inputs) * weights) for fixed random weights."""
    arrays = [np.array(x, dtype=np.float64) for x in inputs]
    out = fn(*[trainer.tensor(a) for a in arrays])
    weights = np.random.default_rng(123).standard_normal(out.shape)

    def scalar(arrs):
        return float(np.sum(fn(*[trainer.tensor(a) for a in arrs])._array * weights))

    grads = []
    for a in arrays:
        g = np.zeros_like(a)
        it = np.nditer(a, flags=["multi_index"])
        for _ in it:
            idx = it.multi_index
            orig = a[idx]
            a[idx] = orig + eps
            plus = scalar(arrays)
            a[idx] = orig - eps
            minus = scalar(arrays)
            a[idx] = orig
            g[idx] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads, weights


def gradcheck(fn: Callable[..., trainer.Tensor], *inputs: np.ndarray, rtol: float = 1e-5, atol: float = 1e-7) -> None:
    """Assert autograd gradients of `fn` match central finite differences (float64)."""
    expected, weights = numerical_grads(fn, inputs)
    tensors = [trainer.tensor(np.array(x, dtype=np.float64), requires_grad=True) for x in inputs]
    out = fn(*tensors)
    assert out.dtype == np.float64, f"fn returned {out.dtype}; gradcheck runs in float64"
    out.backward(trainer.tensor(weights))
    for i, (t, e) in enumerate(zip(tensors, expected)):
        assert t.grad is not None, f"input {i} got no gradient"
        np.testing.assert_allclose(t.grad._array, e, rtol=rtol, atol=atol, err_msg=f"gradient of input {i}")
