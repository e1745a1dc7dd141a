"""Reading entries by index: index_select, masked_select, take, take_along_dim and select (a view), as torch.X and
Tensor methods; the gradient goes back to the positions read, adding up over repeated indices."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from . import ops
from ._shape_helpers import _along, _broadcast_shape, _dim, _flat_positions, _type_name, _zeros_with
from .more_ops import _index_arrays
from .tensor import Tensor

__all__ = ["index_select", "masked_select", "select", "take", "take_along_dim"]


def _index_vector(index: Any) -> np.ndarray:
    """index_select's 0-d or 1-d int32/int64 index as a 1-d int64 array, with PyTorch's dtype and rank errors."""
    if not isinstance(index, Tensor) or index._array.dtype.type not in (np.int64, np.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index._array.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    return index._array.reshape(-1).astype(np.int64, copy=False)


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:  # noqa: A002 - PyTorch's names
    """The entries of `input` at `index` along `dim`; the gradient adds up over repeated indices (index_add)."""
    x = input._array
    axis = _dim(dim, x.ndim)
    idx = _index_vector(index)
    if x.ndim == 0:
        if idx.size != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)")
        if idx[0] != 0:
            raise IndexError("index out of range in self")
        return Tensor._make(x.copy(), (input,), lambda g: (g,), "IndexSelect")
    n = x.shape[axis]
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = int(idx.min() if idx.min() < 0 else idx.max())
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={n}")
    where = _along(axis, idx)
    shape = x.shape
    res = Tensor._make(np.take(x, idx, axis=axis), (input,),
                       lambda g: (_zeros_with(shape, g.dtype, where, g, True),), "IndexSelect")
    res._ctx = lambda v: np.take(v, idx, axis=axis)  # the forward map, for `higher_order`
    return res


def masked_select(input: Tensor, mask: Tensor) -> Tensor:  # noqa: A002
    """The elements where the boolean `mask` holds, as a 1-d tensor (input and mask broadcast together)."""
    m = mask._array if isinstance(mask, Tensor) else np.asarray(mask)
    if m.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = _broadcast_shape(input._array.shape, m.shape)
    mb = np.broadcast_to(m, shape)
    out = np.broadcast_to(input._array, shape)[mb]
    return Tensor._make(out, (input,), lambda g: (_zeros_with(shape, g.dtype, mb, g, False),), "MaskedSelect")


def take(input: Tensor, index: Tensor) -> Tensor:  # noqa: A002
    """`input` as a 1-d tensor indexed by `index` (negative indices count from the end); `index`'s shape."""
    if not isinstance(index, Tensor) or index._array.dtype != np.int64:
        got = _type_name(index) if isinstance(index, Tensor) else type(index).__name__
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {got}")
    flat, idx = _flat_positions(input, index)
    shape = input._array.shape
    return Tensor._make(flat[idx], (input,),
                        lambda g: (_zeros_with((flat.size,), g.dtype, idx, g, True).reshape(shape),), "Take")


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:  # noqa: A002
    """`gather` with `input` and `indices` broadcast against each other (all but `dim`); flat when dim is None."""
    if not isinstance(indices, Tensor) or indices._array.dtype != np.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got {_type_name(indices)}")
    x, idx = input._array, indices._array
    if dim is None:
        x, idx, axis = x.reshape(-1), idx.reshape(-1), 0
    else:
        if x.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        if x.ndim != idx.ndim:
            raise RuntimeError("torch.take_along_dim(): input and indices should have the same number of dimensions, "
                               f"but got {x.ndim} dimensions for input, and {idx.ndim} dimensions for indices")
        axis = _dim(dim, x.ndim)
        shape = list(_broadcast_shape(x.shape[:axis] + (idx.shape[axis],) + x.shape[axis + 1:], idx.shape))
        idx = np.broadcast_to(idx, shape)
        shape[axis] = x.shape[axis]
        x = np.broadcast_to(x, shape)
    n = x.shape[axis]
    if dim is None and idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = int(idx.min() if idx.min() < 0 else idx.max())
        raise RuntimeError(f"index {bad} is out of bounds for dimension 0 with size {n}")
    where = _index_arrays(idx % builtins.max(n, 1), axis)  # with a dim, PyTorch 2.13 wraps any index modulo the size
    shape_in, src_shape = x.shape, input._array.shape
    res = Tensor._make(np.array(x[where]), (input,),
                       lambda g: (_zeros_with(shape_in, g.dtype, where, g, True).reshape(
                           src_shape if dim is None else shape_in),), "Gather")
    res._ctx = lambda v: np.broadcast_to(v.reshape(-1) if dim is None else v, shape_in)[where]  # for `higher_order`
    return res


def select(input: Tensor, dim: int, index: int) -> Tensor:  # noqa: A002
    """The slice at `index` along `dim`, that dimension removed (a view)."""
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    axis = _dim(dim, input.ndim)
    n = input._array.shape[axis]
    if not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at "
                         f"dimension {axis}")
    return ops.getitem(input, _along(axis, int(index)))


# ----- Tensor methods --------------------------------------------------------------------------

_METHODS = {name: globals()[name] for name in __all__}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
