"""Whole-tensor comparisons and counting: `allclose`, `isclose`, `equal`, `bincount` (no gradients)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor


def _arrays(input: Tensor, other: Tensor) -> tuple[np.ndarray, np.ndarray]:  # noqa: A002
    if not isinstance(input, Tensor) or not isinstance(other, Tensor):
        raise TypeError("expected Tensor arguments, got "
                        f"{type(input).__name__} and {type(other).__name__}")
    a, b = input._array, other._array
    if a.dtype != b.dtype and not (a.dtype.kind in "fc" and b.dtype.kind in "fc"):
        dtype = np.result_type(a.dtype, b.dtype)
        a, b = a.astype(dtype), b.astype(dtype)
    elif a.dtype != b.dtype:
        raise RuntimeError(f"{a.dtype} did not match {b.dtype}")
    return a, b


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
            equal_nan: bool = False) -> Tensor:
    """Elementwise |input - other| <= atol + rtol * |other| (a bool tensor)."""
    a, b = _arrays(input, other)
    return Tensor._wrap(np.asarray(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
             equal_nan: bool = False) -> bool:
    """True when every element is close (`isclose`), broadcasting as PyTorch does."""
    a, b = _arrays(input, other)
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    """True when both have the same shape and the same elements."""
    a, b = input._array, other._array
    return a.shape == b.shape and bool(np.array_equal(a, b))


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:  # noqa: A002
    """How often each value 0..max occurs in a 1-d non-negative integer tensor (summed `weights` if given)."""
    x = input._array
    if x.ndim != 1 or x.dtype.kind not in "iu":
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if x.size and x.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w: Any = None if weights is None else weights._array
    out = np.bincount(x, weights=w, minlength=minlength)
    if w is None:
        out = out.astype(np.int64)
    elif w.dtype == np.float32:
        out = out.astype(np.float32)
    return Tensor._wrap(out)


for _fn in (isclose, allclose, equal, bincount):
    setattr(Tensor, _fn.__name__, _fn)
