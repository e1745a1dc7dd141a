"""Writing into a copy of a tensor at indices, masks or regions: index_add, index_copy, index_fill, masked_scatter,
index_put, put and select/diagonal/slice_scatter, as torch.X and Tensor methods, with their in-place methods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._shape_helpers import _along, _broadcast_shape, _diagonal_view, _dim, _flat_positions, _two_dims, _type_name
from .index_reads import select
from .more_ops import _inplace_method
from .tensor import Tensor

__all__ = ["diagonal_scatter", "index_add", "index_copy", "index_fill", "index_put", "masked_scatter", "put",
           "select_scatter", "slice_scatter"]


# ----- writing at indices ----------------------------------------------------------------------


def _index_write_checks(input: Tensor, dim: int, index: Tensor, source: Tensor, what: str,  # noqa: A002
                        ) -> tuple[int, np.ndarray]:
    """The dimension and the 1-d index of index_add / index_copy, with their shape checks (0-d as 1-d)."""
    x, s = input._array, source._array
    axis = _dim(dim, x.ndim)
    idx = index._array.reshape(-1).astype(np.int64, copy=False)
    x_shape = x.shape if x.ndim else (1,)
    s_shape = s.shape if s.ndim else (1,)
    s_n = s_shape[axis] if len(s_shape) > axis else 1
    if idx.size != s_n:
        raise (IndexError if what == "index_copy_" else RuntimeError)(
            f"{what}(): Number of indices ({idx.size}) should be equal to source.size(dim) ({s_n})")
    if len(s_shape) != len(x_shape) or any(a != b for k, (a, b) in enumerate(zip(x_shape, s_shape)) if k != axis):
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {list(x.shape)} source.shape = {list(s.shape)}")
    n = x_shape[axis]
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = int(idx.min() if idx.min() < 0 else idx.max())
        msg = f"index {bad} is out of bounds for dimension {axis} with size {n}"
        if what == "index_copy_":
            raise IndexError(f"{what}(): {msg}")
        raise RuntimeError(msg)
    return axis, idx


def _as_nd(a: np.ndarray) -> np.ndarray:
    return a.reshape(1) if a.ndim == 0 else a


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1) -> Tensor:  # noqa: A002
    """`input` with `alpha * source` added at `index` along `dim` (repeated indices add up)."""
    if not isinstance(index, Tensor) or index._array.dtype.type not in (np.int64, np.int32):
        raise RuntimeError(f"index_add_(): Expected dtype int32/int64 for index but got: {_type_name(index)}")
    if index._array.ndim > 1:
        raise IndexError(f"index_add_(): Index is supposed to be a vector, but got dim: {index._array.ndim} with "
                         f"type: Long and size: {list(index.shape)}")
    if input._array.dtype != source._array.dtype:
        raise RuntimeError(f"index_add_(): self ({_type_name(input)}) and source ({_type_name(source)}) must have "
                           "the same scalar type")
    axis, idx = _index_write_checks(input, dim, index, source, "index_add_")
    x = input._array
    if x.dtype.kind in "iub":
        alpha = int(alpha)  # PyTorch casts alpha to the integer type (towards zero)
    out = _as_nd(x).copy()
    scaled = _as_nd(source._array) * alpha if alpha != 1 else _as_nd(source._array)
    np.add.at(out, _along(axis, idx), scaled.astype(x.dtype, copy=False))
    where, s_shape = _along(axis, idx), source._array.shape

    def backward(g: np.ndarray):
        gs = (_as_nd(g)[where] * alpha).reshape(s_shape) if source.requires_grad else None
        return g, gs

    return Tensor._make(out.reshape(x.shape), (input, source), backward, "IndexAdd")


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:  # noqa: A002
    """`input` with the slices of `source` written at `index` along `dim`."""
    if not isinstance(index, Tensor) or index._array.dtype != np.int64:
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got {_type_name(index)}")
    if input._array.dtype != source._array.dtype:
        raise RuntimeError("index_copy_(): self and source expected to have the same dtype, but got (self) "
                           f"{_type_name(input)} and (source) {_type_name(source)}")
    axis, idx = _index_write_checks(input, dim, index, source, "index_copy_")
    x = input._array
    where, s_shape = _along(axis, idx), source._array.shape
    out = _as_nd(x).copy()
    out[where] = _as_nd(source._array)

    def backward(g: np.ndarray):
        gi = _as_nd(g).copy()
        gi[where] = 0
        return gi.reshape(x.shape), _as_nd(g)[where].reshape(s_shape)

    return Tensor._make(out.reshape(x.shape), (input, source), backward, "IndexCopy")


def index_fill(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:  # noqa: A002
    """`input` with `value` (a number or a 0-d tensor) at `index` along `dim`."""
    if not isinstance(index, Tensor) or index._array.dtype != np.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    x = input._array
    axis = _dim(dim, x.ndim)
    idx = index._array.reshape(-1)
    n = _as_nd(x).shape[axis]
    if idx.size and (idx.min() < -n or idx.max() >= n):
        bad = int(idx.max() if idx.max() >= n else idx.min())
        raise IndexError(f"index {bad} is out of bounds for dimension {axis} with size {n}")
    if isinstance(value, Tensor) and value._array.ndim != 0:
        raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value._array.ndim} dimension(s).")
    v = value if isinstance(value, Tensor) else Tensor._wrap(np.asarray(value))
    where = _along(axis, np.unique(idx % n))
    out = _as_nd(x).copy()
    out[where] = v._array.astype(x.dtype) if x.dtype.kind != "b" else bool(v._array)

    def backward(g: np.ndarray):
        gi = _as_nd(g).copy()
        gi[where] = 0
        gv = np.asarray(_as_nd(g)[where].sum(), g.dtype) if v.requires_grad else None
        return gi.reshape(x.shape), gv

    return Tensor._make(out.reshape(x.shape), (input, v), backward, "IndexFill")


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:  # noqa: A002
    """`input` (broadcast with `mask`) with the True positions filled by `source`'s first elements, in order."""
    m = mask._array if isinstance(mask, Tensor) else np.asarray(mask)
    if m.dtype != np.bool_:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype {m.dtype}")
    if input._array.dtype != source._array.dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but got"
                           f"{_type_name(input)} and {_type_name(source)}")
    shape = _broadcast_shape(input._array.shape, m.shape)
    mb = np.broadcast_to(m, shape)
    count = int(np.count_nonzero(mb))
    src = source._array.reshape(-1)
    if src.size < count:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    out = np.array(np.broadcast_to(input._array, shape))
    out[mb] = src[:count]
    s_shape = source._array.shape

    def backward(g: np.ndarray):
        gs = np.zeros(src.size, g.dtype)
        gs[:count] = g[mb]
        return np.where(mb, 0, g).astype(g.dtype, copy=False), gs.reshape(s_shape)

    return Tensor._make(out, (input, source), backward, "MaskedScatter")


def _masked_scatter_(self: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """In-place `masked_scatter`: the mask broadcasts to this tensor's shape (not the other way)."""
    m = mask._array if isinstance(mask, Tensor) else np.asarray(mask)
    if m.ndim > self.ndim:
        raise RuntimeError(f"expand(CPUBoolType{{{list(m.shape)}}}, size={list(self.shape)}): the number of sizes "
                           f"provided ({self.ndim}) must be greater or equal to the number of dimensions in the "
                           f"tensor ({m.ndim})")
    return self._inplace(lambda s, src: masked_scatter(s, mask, src), (source,), False)


def _index_tuple(indices: Any) -> tuple[np.ndarray, ...]:
    """`index_put`'s indices (integer or bool tensors) as a numpy index, with PyTorch's checks."""
    out = []
    for i, t in enumerate(indices):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
        a = t._array
        if a.dtype == np.uint8:
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype unsigned char")
        if a.dtype.kind not in "iub":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        out.append(a)
    return tuple(out)


def _check_in_bounds(shape: tuple[int, ...], idx: tuple[np.ndarray, ...]) -> None:
    dim = 0
    for a in idx:
        if a.dtype == np.bool_:
            dim += a.ndim
            continue
        n = shape[dim] if dim < len(shape) else 0
        if a.size and (a.min() < -n or a.max() >= n):
            bad = int(a.max() if a.max() >= n else a.min())
            raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {n}")
        dim += 1


def index_put(input: Tensor, indices: Sequence[Tensor], values: Tensor, accumulate: bool = False) -> Tensor:  # noqa: A002
    """`input` with `input[indices] = values` (or `+= values`, repeated indices adding up, when `accumulate`)."""
    if not isinstance(values, Tensor):
        raise TypeError(f"index_put(): argument 'values' (position 2) must be Tensor, not {type(values).__name__}")
    idx = _index_tuple(indices)
    x = input._array
    if x.dtype != values._array.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got {_type_name(input)} "
                           f"for the destination and {_type_name(values)} for the source.")
    _check_in_bounds(x.shape, idx)
    out = x.copy()
    if accumulate:
        np.add.at(out, idx, np.broadcast_to(values._array, x[idx].shape))
    else:
        out[idx] = values._array

    def backward(g: np.ndarray):
        gi = g
        if not accumulate:
            gi = g.copy()
            gi[idx] = 0
        return gi, g[idx] if values.requires_grad else None

    return Tensor._make(out, (input, values), backward, "IndexPut")


def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:  # noqa: A002
    """`input` with `source`'s elements written (or added) at the flat positions `index`."""
    if not isinstance(index, Tensor) or index._array.dtype != np.int64:
        raise RuntimeError("put_(): Expected a long tensor for index")
    if input._array.dtype != source._array.dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got self.dtype = "
                           f"{_type_name(input)} and source.dtype = {_type_name(source)}")
    if index._array.size != source._array.size:
        raise IndexError("put_(): Expected source and index to have the same number of elements, but got "
                         f"source.numel() = {source._array.size}, index.numel() = {index._array.size}")
    flat, idx = _flat_positions(input, index)
    idx = idx.reshape(-1)
    out = flat.copy()
    src = source._array.reshape(-1)
    if accumulate:
        np.add.at(out, idx, src)
    else:
        out[idx] = src
    shape, s_shape = input._array.shape, source._array.shape

    def backward(g: np.ndarray):
        gi = g.reshape(-1)
        if not accumulate:
            gi = gi.copy()
            gi[idx] = 0
        return gi.reshape(shape), g.reshape(-1)[idx].reshape(s_shape) if source.requires_grad else None

    return Tensor._make(out.reshape(shape), (input, source), backward, "Put")


# ----- embedding a tensor into a copy (select/diagonal/slice_scatter) ----------------------------


def _embedded(input: Tensor, src: Tensor, region, op: str) -> Tensor:  # noqa: A002
    """A copy of `input` with `src` written into `region(copy)` (cast to input's dtype); the gradient of `src` is
    the output gradient's region."""
    out = input._array.copy()
    target = region(out)
    if target.shape != src._array.shape:
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = {list(src.shape)}, "
                           f"slice size = {list(target.shape)}")
    target[...] = src._array
    s_dtype = src._array.dtype

    def backward(g: np.ndarray):
        gi = np.array(g, copy=True)
        region(gi)[...] = 0
        return gi, region(g).astype(s_dtype) if src.requires_grad else None

    return Tensor._make(out, (input, src), backward, op)


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:  # noqa: A002
    """A copy of `input` with `src` as its slice at `index` along `dim`."""
    select(input, dim, index)  # PyTorch's checks of dim and index
    where = _along(_dim(dim, input.ndim), int(index))
    return _embedded(input, src, lambda a: a[where], "SelectScatter")


def diagonal_scatter(input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:  # noqa: A002
    """A copy of `input` with `src` as its `offset`-th diagonal of the (dim1, dim2) planes."""
    d1, d2 = _two_dims(dim1, dim2, input.ndim)
    return _embedded(input, src, lambda a: _diagonal_view(a, offset, d1, d2), "DiagonalScatter")


def slice_scatter(input: Tensor, src: Tensor, dim: int = 0, start: int | None = None,  # noqa: A002
                  end: int | None = None, step: int = 1) -> Tensor:
    """A copy of `input` with `src` as its slice start:end:step along `dim`."""
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    where = _along(_dim(dim, input.ndim), slice(start, end, step))
    return _embedded(input, src, lambda a: a[where], "SliceScatter")


# ----- Tensor methods --------------------------------------------------------------------------


def _index_put_(self: Tensor, indices: Sequence[Tensor], values: Tensor, accumulate: bool = False) -> Tensor:
    """In-place `index_put`."""
    return self._inplace(lambda s, v: index_put(s, indices, v, accumulate), (values,), False)


def _put_(self: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """In-place `put`."""
    return self._inplace(lambda s, src: put(s, index, src, accumulate), (source,), False)


_METHODS = {
    "index_add": index_add, "index_copy": index_copy, "index_fill": index_fill, "masked_scatter": masked_scatter,
    "index_put": index_put, "put": put, "select_scatter": select_scatter, "diagonal_scatter": diagonal_scatter,
    "slice_scatter": slice_scatter, "masked_scatter_": _masked_scatter_, "index_put_": _index_put_, "put_": _put_,
}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
for _fn in (index_add, index_copy, index_fill):  # their backward reads only the index and the source
    setattr(Tensor, _fn.__name__ + "_", _inplace_method(_fn, False))
