"""More of torch's functions: log2/log10, floor/ceil/trunc, prod, diag, unique, logspace (Tensor methods too)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .aliases import numpy_names
from .dtypes import as_dtype, get_default_dtype
from .tensor import Tensor


def log2(input: Tensor) -> Tensor:  # noqa: A002
    a = input._array
    return Tensor._make(np.log2(a), (input,), lambda g: (g / (a * a.dtype.type(math.log(2))),), "Log2")


def log10(input: Tensor) -> Tensor:  # noqa: A002
    a = input._array
    return Tensor._make(np.log10(a), (input,), lambda g: (g / (a * a.dtype.type(math.log(10))),), "Log10")


def _rounding(fn: Any, op: str) -> Any:
    def rounded(input: Tensor) -> Tensor:  # noqa: A002
        a = input._array
        if a.dtype.kind != "f":
            return Tensor._wrap(a.copy())
        return Tensor._make(fn(a), (input,), lambda g: (np.zeros_like(g),), op)

    rounded.__name__ = rounded.__qualname__ = op.lower()
    rounded.__doc__ = f"Elementwise {op.lower()} (zero gradient, as PyTorch)."
    return rounded


floor = _rounding(np.floor, "Floor")
ceil = _rounding(np.ceil, "Ceil")
trunc = _rounding(np.trunc, "Trunc")


def _exclusive_products(a: np.ndarray, axis: int) -> np.ndarray:
    """For each element, the product of the others along `axis` (exact with zeros, no division)."""
    moved = np.moveaxis(a, axis, -1)
    ones = np.ones(moved.shape[:-1] + (1,), a.dtype)
    left = np.cumprod(np.concatenate([ones, moved[..., :-1]], -1), -1)
    right = np.flip(np.cumprod(np.flip(np.concatenate([moved[..., 1:], ones], -1), -1), -1), -1)
    return np.moveaxis(left * right, -1, axis)


@numpy_names
def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """Product of all elements, or along `dim`."""
    a = input._array if dtype is None else input._array.astype(as_dtype(dtype))
    if a.dtype.kind in "biu" and dtype is None:
        a = a.astype(np.int64)
    if dim is None:
        out = np.asarray(np.prod(a))
        flat = a.reshape(-1)
        return Tensor._make(out, (input,), lambda g: ((g * _exclusive_products(flat, 0)).reshape(a.shape),), "Prod")
    axis = dim % max(a.ndim, 1)
    out = np.prod(a, axis=axis, keepdims=keepdim)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        gk = g if keepdim else np.expand_dims(g, axis)
        return (gk * _exclusive_products(a, axis),)

    res = Tensor._make(np.asarray(out), (input,), backward, "Prod1")
    res._ctx = (axis, keepdim)  # for `higher_order`
    return res


def diag(input: Tensor, diagonal: int = 0) -> Tensor:  # noqa: A002
    """A 1-d tensor as the k-th diagonal of a square matrix, or a matrix's k-th diagonal as a 1-d tensor."""
    a = input._array
    if a.ndim == 1:
        return Tensor._make(np.diag(a, diagonal), (input,), lambda g: (np.diagonal(g, diagonal).copy(),), "Diag")
    if a.ndim != 2:
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{a.ndim}D")
    out = np.diagonal(a, diagonal).copy()

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros_like(a)
        rows = np.arange(out.size) + max(-diagonal, 0)
        grad[rows, rows + diagonal] = g
        return (grad,)

    return Tensor._make(out, (input,), backward, "Diagonal")


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim: int | None = None) -> Any:
    """The distinct values (sorted), with the inverse indices and counts when asked (no gradient)."""
    res = np.unique(input._array, return_inverse=return_inverse, return_counts=return_counts, axis=dim)
    if not (return_inverse or return_counts):
        return Tensor._wrap(res)
    values, *rest = res
    out = [Tensor._wrap(values)]
    if return_inverse:
        out.append(Tensor._wrap(rest.pop(0).reshape(input._array.shape if dim is None else -1).astype(np.int64)))
    if return_counts:
        out.append(Tensor._wrap(rest.pop(0).astype(np.int64)))
    return tuple(out)


def logspace(start: float, end: float, steps: int, base: float = 10.0, dtype: Any = None,
             requires_grad: bool = False) -> Tensor:
    """`steps` points base ** linspace(start, end, steps)."""
    d = get_default_dtype() if dtype is None else as_dtype(dtype)
    t = Tensor._wrap(np.power(float(base), np.linspace(start, end, int(steps))).astype(d))
    return t.requires_grad_(requires_grad) if requires_grad else t


for _fn in (log2, log10, floor, ceil, trunc, prod, diag, unique):
    setattr(Tensor, _fn.__name__, _fn)
