"""Dims, index tuples, gradient scatters, slices and diagonal views shared by the shape modules (index_reads,
index_writes, rearranging, diagonals, joining, splitting, broadcasting, combining).

In those modules composite ops are written from the differentiable ops of `ops` and `more_ops` where that is exact;
the others keep their backward beside their forward. Views (select, diagonal, movedim, swapaxes, unflatten,
tensor_split pieces) are numpy views of their input, so `Tensor._make` gives them their base's version counter and
in-place writes reach it.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .broadcast_check import broadcast_shape
from .dtypes import scalar_type_name
from .ops import _dims
from .tensor import Tensor


def _dim(dim: int, ndim: int) -> int:
    """`dim` wrapped into [0, ndim); a 0-d tensor takes -1 and 0, as in PyTorch."""
    if ndim == 0 and dim in (-1, 0):
        return 0
    (d,) = _dims(dim, ndim)
    return d


def _type_name(t: Tensor) -> str:
    return scalar_type_name(t._array.dtype)


def _zeros_with(shape: tuple[int, ...], dtype: np.dtype, where: Any, g: np.ndarray, accumulate: bool) -> np.ndarray:
    """A zero array of `shape` with `g` written (or added, for repeated positions) at `where`."""
    grad = np.zeros(shape, dtype)
    if accumulate:
        np.add.at(grad, where, g)
    else:
        grad[where] = g
    return grad


def _along(axis: int, idx: Any) -> tuple:
    return (slice(None),) * axis + (idx,)


def _flat_positions(input: Tensor, index: Tensor) -> tuple[np.ndarray, np.ndarray]:  # noqa: A002
    """`input` flattened and `index` as positions in it (negative ones from the end), bounds checked."""
    flat = input._array.reshape(-1)
    idx = index._array
    n = flat.size
    if idx.size and (idx.min() < -n or idx.max() >= n):
        bad = int(idx.max() if idx.max() >= n else idx.min())
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    return flat, idx % builtins.max(n, 1)


def _broadcast_shape(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    return broadcast_shape(*shapes)


def _piece(input: Tensor, axis: int, start: int | None, stop: int | None) -> Tensor:  # noqa: A002
    where = _along(axis, slice(start, stop))
    shape = input._array.shape
    return Tensor._make(input._array[where], (input,), lambda g: (_zeros_with(shape, g.dtype, where, g, False),),
                        "Slice")


def _diagonal_view(a: np.ndarray, offset: int, axis1: int, axis2: int) -> np.ndarray:
    """numpy's diagonal, writeable when `a` is: writes through it reach `a`, as through PyTorch's view."""
    view = np.diagonal(a, offset, axis1, axis2)
    if a.flags.writeable:
        view.flags.writeable = True
    return view


def _two_dims(dim1: int, dim2: int, ndim: int) -> tuple[int, int]:
    d1, d2 = _dim(dim1, ndim), _dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2
