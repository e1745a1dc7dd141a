"""Joining tensors: concat/concatenate (torch.cat with PyTorch's type promotion and checks), the stacks (hstack,
vstack, row_stack, dstack, column_stack) and atleast_1d/2d/3d."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import ops
from ._shape_helpers import _dim
from .aliases import numpy_names
from .tensor import Tensor

__all__ = ["atleast_1d", "atleast_2d", "atleast_3d", "column_stack", "concat", "concatenate", "dstack", "hstack",
           "row_stack", "vstack"]


def _promoted(ts: list[Tensor]) -> list[Tensor]:
    """The tensors cast to their common dtype by PyTorch's rule: floats win, then the widest kind."""
    dtypes = [t._array.dtype for t in ts]
    floats = [d for d in dtypes if d.kind == "f"]
    common = np.result_type(*(floats or dtypes))
    return [ops.cast(t, common) for t in ts]


def _tensor_list(tensors: Any, what: str) -> list[Tensor]:
    if isinstance(tensors, Tensor):
        raise TypeError(f"{what}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    ts = list(tensors)
    if not ts:
        raise ValueError(f"torch.{what}(): expected a non-empty list of Tensors")
    return ts


def concat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """`cat` with PyTorch's type promotion and checks (1-d empty tensors are skipped, as PyTorch's legacy rule)."""
    ts = _tensor_list(tensors, "cat")
    for i, t in enumerate(ts):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    ts = _promoted(ts)  # the skipped empty tensors take part in the promotion too
    kept = [t for t in ts if t._array.shape != (0,)] or ts[:1]
    ndim = kept[0].ndim
    axis = _dim(dim, ndim)
    for i, t in enumerate(kept):
        if t.ndim != ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ndim} and {t.ndim}")
        for k, (a, b) in enumerate(zip(kept[0].shape, t.shape)):
            if k != axis and a != b:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {axis}. Expected size {a} but "
                                   f"got size {b} for tensor number {i} in the list.")
    return ops.cat(kept, axis)


@numpy_names
def concatenate(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """`cat` (numpy's name; takes `axis=` too)."""
    return concat(tensors, dim)


def _at_least(tensors: tuple, fn) -> Any:
    if len(tensors) == 1 and isinstance(tensors[0], Tensor):
        return fn(tensors[0])
    if len(tensors) == 1:
        tensors = tuple(tensors[0])
    return tuple(fn(t) for t in tensors)


def _1d(t: Tensor) -> Tensor:
    return ops.reshape(t, 1) if t.ndim == 0 else t


def _2d(t: Tensor) -> Tensor:
    return ops.reshape(t, 1, 1) if t.ndim == 0 else ops.unsqueeze(t, 0) if t.ndim == 1 else t


def _3d(t: Tensor) -> Tensor:
    if t.ndim == 0:
        return ops.reshape(t, 1, 1, 1)
    if t.ndim == 1:
        return ops.unsqueeze(ops.unsqueeze(t, 0), -1)
    return ops.unsqueeze(t, -1) if t.ndim == 2 else t


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least one dimension (0-d become shape (1,)); one tensor in, one out."""
    return _at_least(tensors, _1d)


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least two dimensions (a 1-d tensor becomes a row)."""
    return _at_least(tensors, _2d)


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least three dimensions ((n,) -> (1, n, 1), (m, n) -> (m, n, 1))."""
    return _at_least(tensors, _3d)


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenate along the columns (along the only dimension of 1-d tensors)."""
    ts = [_1d(t) for t in _tensor_list(tensors, "hstack")]
    return concat(ts, 0 if ts[0].ndim == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenate along the rows, 1-d tensors as rows."""
    return concat([_2d(t) for t in _tensor_list(tensors, "vstack")], 0)


def row_stack(tensors: Sequence[Tensor]) -> Tensor:
    """`vstack`."""
    return vstack(tensors)


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenate along the third dimension (after `atleast_3d`)."""
    return concat([_3d(t) for t in _tensor_list(tensors, "dstack")], 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenate along the columns, 0-d and 1-d tensors as columns."""
    ts = _tensor_list(tensors, "column_stack")
    return concat([ops.reshape(t, -1, 1) if t.ndim <= 1 else t for t in ts], 1)
