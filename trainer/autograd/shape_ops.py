"""PyTorch's shape, indexing and joining functions (index_select, take, repeat_interleave, movedim, diagonal,
hstack, tensor_split, meshgrid, rot90, index_add, index_put, diff, kron, cross, ...), as torch.X and Tensor methods.

Composite ops are written from the differentiable ops of `ops` and `more_ops` where that is exact; the others keep
their backward beside their forward. Views (select, diagonal, movedim, swapaxes, unflatten, tensor_split pieces) are
numpy views of their input, so `Tensor._make` gives them their base's version counter and in-place writes reach it.
"""

from __future__ import annotations

import builtins
import itertools
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import more_ops, ops
from .aliases import numpy_names
from .dtypes import scalar_type_name
from .more_ops import _index_arrays, _inplace_method
from .ops import _dims
from .size import Size
from .tensor import Tensor

__all__ = [
    "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_shapes", "broadcast_tensors", "broadcast_to",
    "cartesian_prod", "column_stack", "combinations", "concat", "concatenate", "cross", "diag_embed", "diagflat",
    "diagonal", "diagonal_scatter", "diff", "dsplit", "dstack", "fliplr", "flipud", "hsplit", "hstack", "index_add",
    "index_copy", "index_fill", "index_put", "index_select", "kron", "masked_scatter", "masked_select", "meshgrid",
    "moveaxis", "movedim", "put", "ravel", "repeat_interleave", "rot90", "row_stack", "select", "select_scatter",
    "slice_scatter", "swapaxes", "swapdims", "take", "take_along_dim", "tensor_split", "tile", "trace", "unflatten",
    "vsplit", "vstack",
]


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


# ----- selecting by index ----------------------------------------------------------------------


def _index_vector(index: Any) -> np.ndarray:
    """index_select's 0-d or 1-d int32/int64 index as a 1-d int64 array, with PyTorch's dtype and rank errors."""
    if not isinstance(index, Tensor) or index._array.dtype.type not in (np.int64, np.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index._array.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    return index._array.reshape(-1).astype(np.int64, copy=False)


def _along(axis: int, idx: Any) -> tuple:
    return (slice(None),) * axis + (idx,)


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
    return Tensor._make(np.take(x, idx, axis=axis), (input,),
                        lambda g: (_zeros_with(shape, g.dtype, where, g, True),), "IndexSelect")


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


def _flat_positions(input: Tensor, index: Tensor) -> tuple[np.ndarray, np.ndarray]:  # noqa: A002
    """`input` flattened and `index` as positions in it (negative ones from the end), bounds checked."""
    flat = input._array.reshape(-1)
    idx = index._array
    n = flat.size
    if idx.size and (idx.min() < -n or idx.max() >= n):
        bad = int(idx.max() if idx.max() >= n else idx.min())
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    return flat, idx % builtins.max(n, 1)


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
    return Tensor._make(np.array(x[where]), (input,),
                        lambda g: (_zeros_with(shape_in, g.dtype, where, g, True).reshape(
                            src_shape if dim is None else shape_in),), "Gather")


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


# ----- repeating -------------------------------------------------------------------------------


def _repeat_counts(repeats: Any, n: int) -> np.ndarray | int:
    """`repeats` as a Python int or a 1-d int64 array of `n` counts, with PyTorch's checks."""
    if not isinstance(repeats, Tensor):
        if repeats < 0:
            raise RuntimeError("Repeats must be non-negative")
        return int(repeats)
    r = repeats._array
    if r.dtype.kind not in "iu":
        raise NotImplementedError(f'"repeat_interleave_cpu" not implemented for \'{_type_name(repeats)}\'')
    if r.ndim > 1:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    if r.size and r.min() < 0:
        raise RuntimeError("repeats can not be negative")
    if r.ndim == 0 or r.size == 1:
        return np.full(n, int(r.reshape(())) if r.ndim == 0 else int(r[0]), np.int64)
    if r.size != n:
        raise RuntimeError("repeats must have the same size as input along dim, but got repeats.size(0) = "
                           f"{r.size} and input.size(0) = {n}")
    return r.astype(np.int64)


def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,  # noqa: A002
                      output_size: int | None = None) -> Tensor:
    """Each element (or slice along `dim`) repeated `repeats` times; `repeat_interleave(counts)` gives the
    indices 0, 1, ... each repeated by its count."""
    if repeats is None:
        r = input._array
        if r.ndim != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        counts = _repeat_counts(input, r.size)
        return Tensor._wrap(np.repeat(np.arange(r.size, dtype=np.int64), counts))
    x = input._array
    src_shape = x.shape
    if dim is None:
        x, axis = x.reshape(-1), 0
    else:
        axis = _dim(dim, x.ndim)
        if x.ndim == 0:
            x = x.reshape(1)
    n = x.shape[axis]
    counts = _repeat_counts(repeats, n)
    out = np.repeat(x, counts, axis=axis)
    if output_size is not None and output_size != out.shape[axis]:
        if isinstance(counts, int):
            raise RuntimeError(f"repeat_interleave: Invalid output_size, expected {out.shape[axis]} but got "
                               f"{output_size}")
        raise RuntimeError("allocated size does not match required size")
    shape = x.shape

    def backward(g: np.ndarray):
        if isinstance(counts, int):
            grad = g.reshape(shape[:axis] + (n, counts) + shape[axis + 1:]).sum(axis + 1)
        else:
            grad = _zeros_with(shape, g.dtype, _along(axis, np.repeat(np.arange(n), counts)), g, True)
        return (grad.reshape(src_shape),)

    return Tensor._make(out, (input,), backward, "View" if isinstance(counts, int) else "IndexSelect")


def tile(input: Tensor, *dims: Any) -> Tensor:  # noqa: A002
    """`repeat` with too few `dims` padded by leading ones."""
    reps = ops._shape_arg(dims)
    return more_ops.repeat(input, (1,) * (input.ndim - len(reps)) + tuple(reps))


# ----- moving and reshaping dimensions ---------------------------------------------------------


def _dim_list(dims: Any) -> list[int]:
    return [int(dims)] if isinstance(dims, int | np.integer) else [int(d) for d in dims]


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:  # noqa: A002
    """Move the dimensions `source` to the positions `destination`, the others keeping their order (a view)."""
    src, dst = _dim_list(source), _dim_list(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) should contain the "
                           f"same number of dims as destination ({dst} dims)")
    ndim = input.ndim
    src_n = [_dim(d, ndim) for d in src]
    dst_n = [_dim(d, ndim) for d in dst]
    for name, given, norm in (("source", src, src_n), ("destination", dst, dst_n)):
        if len(set(norm)) != len(norm):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({given})")
    if ndim == 0:
        return Tensor._make(input._array.view(), (input,), lambda g: (g,), "Permute")
    order = [d for d in range(ndim) if d not in src_n]
    for d, s in sorted(zip(dst_n, src_n)):
        order.insert(d, s)
    return ops.permute(input, order)


def moveaxis(input: Tensor, source: Any, destination: Any) -> Tensor:  # noqa: A002
    """`movedim` (numpy's name)."""
    return movedim(input, source, destination)


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:  # noqa: A002
    """The transpose of dimensions `axis0` and `axis1` (a view)."""
    return ops.transpose(input, _dim(axis0, input.ndim), _dim(axis1, input.ndim))


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    """The transpose of dimensions `dim0` and `dim1` (a view)."""
    return swapaxes(input, dim0, dim1)


def _transpose_(self: Tensor, dim0: int, dim1: int) -> Tensor:
    """In-place `transpose`: this tensor becomes its transpose (a view operation)."""
    d0, d1 = _dim(dim0, self.ndim), _dim(dim1, self.ndim)

    def transposed(s: Tensor) -> Tensor:  # PyTorch's node for the in-place variant: TransposeBackward1
        return Tensor._make(np.swapaxes(s._array, d0, d1), (s,), lambda g: (np.swapaxes(g, d0, d1),), "Transpose1")

    return self._inplace(transposed, (), False, view=True)


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:  # noqa: A002
    """Dimension `dim` split into `sizes` (one of them may be -1)."""
    sizes = [int(s) for s in sizes]
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if input.ndim == 0:
        raise RuntimeError(f"unflatten got an unexpected error: Dimension specified as {dim} but tensor has no "
                           "dimensions")
    axis = _dim(dim, input.ndim)
    n = input._array.shape[axis]
    known = int(np.prod([s for s in sizes if s != -1]))
    if sizes.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if -1 in sizes and known and n % known == 0:
        sizes[sizes.index(-1)] = n // known
    if -1 in sizes or int(np.prod(sizes)) != n:
        raise RuntimeError(f"unflatten: Provided sizes {sizes} don't multiply up to the size of dim {axis} ({n}) in "
                           "the input tensor")
    shape = input._array.shape
    return ops.reshape(input, shape[:axis] + tuple(sizes) + shape[axis + 1:])


def ravel(input: Tensor) -> Tensor:  # noqa: A002
    """The elements as a 1-d tensor (a view when the layout allows)."""
    return ops.reshape(input, -1)


def _strided_view(x: np.ndarray, shape: tuple[int, ...], strides: tuple[int, ...]) -> np.ndarray:
    """A view of `x`'s memory with these strides, made over the array owning it so that `Tensor._make` knows it as
    a view of `x` (numpy's as_strided hides the owner); a copy when the owner exposes no plain buffer."""
    owner = x if x.base is None else x.base
    if isinstance(owner, np.ndarray) and owner.flags.c_contiguous:
        offset = x.__array_interface__["data"][0] - owner.__array_interface__["data"][0]
        try:
            view = np.ndarray(shape, x.dtype, buffer=owner, offset=offset, strides=strides)
        except (TypeError, ValueError):
            pass
        else:
            if not x.flags.writeable:
                view.flags.writeable = False
            return view
    return np.lib.stride_tricks.as_strided(x, shape, strides).copy()


def unfold(input: Tensor, dimension: int, size: int, step: int) -> Tensor:  # noqa: A002
    """`Tensor.unfold`: the windows of `size` elements, `step` apart, along `dimension`, as a new last dimension
    (a view; overlapping windows share elements, whose gradients add up)."""
    x = input._array
    axis = _dim(dimension, x.ndim)
    n = x.shape[axis] if x.ndim else 1
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {axis} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if x.ndim == 0:
        return Tensor._make(x.reshape(1)[:size], (input,), lambda g: (g.sum().astype(g.dtype),), "Unfold")
    count = (n - size) // step + 1
    shape = x.shape[:axis] + (count,) + x.shape[axis + 1:] + (size,)
    strides = x.strides[:axis] + (x.strides[axis] * step,) + x.strides[axis + 1:] + (x.strides[axis],)
    src_shape = x.shape

    def backward(g: np.ndarray):
        grad = np.zeros(src_shape, g.dtype)
        for k in range(size):  # the k-th element of every window
            grad[_along(axis, slice(k, k + step * (count - 1) + 1, step))] += g[..., k]
        return (grad,)

    return Tensor._make(_strided_view(x, shape, strides), (input,), backward, "Unfold")


# ----- diagonals -------------------------------------------------------------------------------


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


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:  # noqa: A002
    """The `offset`-th diagonal of the (dim1, dim2) planes, as a new last dimension (a view)."""
    x = input._array
    d1, d2 = _two_dims(dim1, dim2, x.ndim)
    shape = x.shape

    def backward(g: np.ndarray):
        grad = np.zeros(shape, g.dtype)
        _diagonal_view(grad, offset, d1, d2)[...] = g
        return (grad,)

    return Tensor._make(_diagonal_view(x, offset, d1, d2), (input,), backward, "Diagonal")


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:  # noqa: A002
    """Matrices (in dims dim1, dim2 of the result) whose `offset`-th diagonal is the last dimension of `input`."""
    x = input._array
    d1, d2 = _two_dims(dim1, dim2, x.ndim + 1)
    n = x.shape[-1] + builtins.abs(offset)
    batch = iter(x.shape[:-1])
    shape = tuple(n if i in (d1, d2) else next(batch) for i in range(x.ndim + 1))
    out = np.zeros(shape, x.dtype)
    _diagonal_view(out, offset, d1, d2)[...] = x
    return Tensor._make(out, (input,), lambda g: (np.diagonal(g, offset, d1, d2).copy(),), "DiagEmbed")


def diagflat(input: Tensor, offset: int = 0) -> Tensor:  # noqa: A002
    """A square matrix with the flattened `input` on its `offset`-th diagonal."""
    return diag_embed(ravel(input), offset, 0, 1)


def trace(input: Tensor) -> Tensor:  # noqa: A002
    """The sum of the main diagonal of a matrix (int64 for integer matrices)."""
    x = input._array
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim}")
    if x.dtype == np.bool_:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    out = np.asarray(np.trace(x), dtype=np.int64 if x.dtype.kind in "iu" else x.dtype)
    shape = x.shape

    def backward(g: np.ndarray):
        grad = np.zeros(shape, g.dtype)
        _diagonal_view(grad, 0, 0, 1)[...] = g
        return (grad,)

    return Tensor._make(out, (input,), backward, "Trace")


# ----- joining ---------------------------------------------------------------------------------


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


# ----- splitting -------------------------------------------------------------------------------


def _piece(input: Tensor, axis: int, start: int | None, stop: int | None) -> Tensor:  # noqa: A002
    where = _along(axis, slice(start, stop))
    shape = input._array.shape
    return Tensor._make(input._array[where], (input,), lambda g: (_zeros_with(shape, g.dtype, where, g, False),),
                        "Slice")


def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    """`sections` nearly equal pieces along `dim` (the first ones one longer), or pieces cut at the `indices`
    (as Python slices: negative indices count from the end, decreasing ones give empty pieces)."""
    if input.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    axis = _dim(dim, input.ndim)
    cut = indices_or_sections
    if isinstance(cut, Tensor):
        if cut._array.dtype != np.int64:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                               f"{_type_name(cut)}")
        if cut._array.ndim > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                               f"one-dimensional tensor, but got a tensor with {cut._array.ndim} dims")
        cut = int(cut._array) if cut._array.ndim == 0 else [int(i) for i in cut._array]
    if isinstance(cut, int | np.integer):
        if cut <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {cut}")
        size, extra = divmod(input._array.shape[axis], int(cut))
        sizes = [size + 1] * extra + [size] * (int(cut) - extra)
        starts = np.cumsum([0, *sizes]).tolist()
        return tuple(_piece(input, axis, a, b) for a, b in zip(starts[:-1], starts[1:]))
    cuts = [int(i) for i in cut]
    return tuple(_piece(input, axis, a, b) for a, b in zip([0, *cuts], [*cuts, None]))


def _split_at(input: Tensor, indices_or_sections: Any, dim: int, least: int, what: str) -> tuple[Tensor, ...]:  # noqa: A002
    if input.ndim < least:
        raise RuntimeError(f"torch.{what} requires a tensor with at least {least} dimension, but got a tensor with "
                           f"{input.ndim} dimensions!")
    n = input._array.shape[dim]
    sections = indices_or_sections
    if isinstance(sections, int | np.integer) and (sections == 0 or n % sections):
        raise RuntimeError(f"torch.{what} attempted to split along dimension {dim}, but the size of the dimension "
                           f"{n} is not divisible by the split_size {sections}!")
    return tensor_split(input, sections, dim)


def hsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:  # noqa: A002
    """Split along the columns (the only dimension of a 1-d tensor); sections must divide it."""
    return _split_at(input, indices_or_sections, 0 if input.ndim == 1 else 1, 1, "hsplit")


def vsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:  # noqa: A002
    """Split along the rows; sections must divide them."""
    return _split_at(input, indices_or_sections, 0, 2, "vsplit")


def dsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:  # noqa: A002
    """Split along the third dimension; sections must divide it."""
    return _split_at(input, indices_or_sections, 2, 3, "dsplit")


# ----- broadcasting and grids ------------------------------------------------------------------


def _broadcast_shape(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        a, b = shapes[0], shapes[1] if len(shapes) > 1 else ()
        raise RuntimeError(f"The size of tensor a ({list(a)}) must match the size of tensor b ({list(b)}) at "
                           "non-singleton dimension") from None


def broadcast_shapes(*shapes: Any) -> Size:
    """The shape tensors of these shapes (ints count as 1-d shapes) broadcast to."""
    tuples = [(int(s),) if isinstance(s, int | np.integer) else tuple(int(n) for n in s) for s in shapes]
    if any(n < 0 for s in tuples for n in s):
        raise ValueError("Attempting to broadcast a dimension with negative length!")
    try:
        return Size(np.broadcast_shapes(*tuples))
    except ValueError:
        raise RuntimeError(f"shape mismatch: objects cannot be broadcast to a single shape: {tuples}") from None


def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:  # noqa: A002
    """`input` expanded to `size` (-1 keeps a dimension), without copying."""
    size = tuple(int(s) for s in size)
    lead = len(size) - input.ndim
    if lead < 0:
        raise RuntimeError(f"expand: the number of sizes provided ({len(size)}) must be greater or equal to the "
                           f"number of dimensions in the tensor ({input.ndim})")
    for i, s in enumerate(size):
        if s == -1 and i < lead:
            raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing "
                               f"dimension {i}")
        if i >= lead and s != -1 and input.shape[i - lead] not in (1, s):
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size "
                               f"({input.shape[i - lead]}) at non-singleton dimension {i}.  Target sizes: "
                               f"{list(size)}.  Tensor sizes: {list(input.shape)}")
    return ops.expand(input, size)


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The tensors expanded to their common broadcast shape."""
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        tensors = tuple(tensors[0])
    shape = _broadcast_shape(*(t._array.shape for t in tensors))
    return tuple(ops.expand(t, shape) for t in tensors)


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids from 0-d or 1-d tensors; `indexing='xy'` swaps the first two dimensions of the grids.

    Without `indexing`, 'ij' with PyTorch's UserWarning that the argument will be required.
    """
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got a tensor of "
                               f"shape {list(t.shape)}")
    if len({t._array.dtype for t in tensors}) > 1:
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    axes = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) > 1:
        axes[0], axes[1] = 1, 0
    shape = [0] * len(tensors)
    for t, ax in zip(tensors, axes):
        shape[ax] = t._array.size
    return tuple(ops.expand(ops.reshape(t, [-1 if k == ax else 1 for k in range(len(shape))]), shape)
                 for t, ax in zip(tensors, axes))


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """All tuples of one element from each 1-d tensor, as the rows of a matrix (a 1-d tensor alone: itself)."""
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return ops.stack([ravel(g) for g in grids], 1)


# ----- flips and rotations ---------------------------------------------------------------------


def fliplr(input: Tensor) -> Tensor:  # noqa: A002
    """Reverse the columns (dimension 1)."""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return more_ops.flip(input, 1)


def flipud(input: Tensor) -> Tensor:  # noqa: A002
    """Reverse the rows (dimension 0)."""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return more_ops.flip(input, 0)


def rot90(input: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:  # noqa: A002
    """Rotate by k quarter turns in the plane `dims`, from the first axis towards the second."""
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.ndim}")
    d0, d1 = _dim(dims[0], input.ndim), _dim(dims[1], input.ndim)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}")
    out = np.rot90(input._array, k, axes=(d0, d1)).copy()
    # the full node name: "Rot90" would read as node Rot9, variant 0
    return Tensor._make(out, (input,), lambda g: (np.rot90(g, -k, axes=(d0, d1)),), "Rot90Backward0")


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


# ----- differences and products ----------------------------------------------------------------


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,  # noqa: A002
         append: Tensor | None = None) -> Tensor:
    """The n-th forward difference along `dim` (logical xor for bool tensors), after joining prepend/append."""
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    axis = _dim(dim, input.ndim)
    parts = []
    for name, extra in (("prepend", prepend), (None, input), ("append", append)):
        if extra is None:
            continue
        if not isinstance(extra, Tensor):
            raise TypeError(f"diff(): argument '{name}' must be Tensor, not {type(extra).__name__}")
        if extra.ndim != input.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        for k, (a, b) in enumerate(zip(input.shape, extra.shape)):
            if k != axis and a != b:
                raise RuntimeError("diff expects the shape of tensor to prepend or append to match that of input "
                                   f"except along the differencing dimension; input.size({k}) = {a}, but got "
                                   f"tensor.size({k}) = {b}")
        parts.append(extra)
    out = concat(parts, axis) if len(parts) > 1 else input
    for _ in range(n):
        size = out._array.shape[axis]
        if size == 0:
            break
        hi, lo = _piece(out, axis, 1, None), _piece(out, axis, 0, size - 1)
        out = ops.ne(hi, lo) if out._array.dtype == np.bool_ else ops.sub(hi, lo)
    return out


def kron(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The Kronecker product: every element of `input` times the whole of `other`, blocks in `input`'s layout."""
    a, b = ops._pair(input, other)
    nd = builtins.max(a.ndim, b.ndim)
    sa = (1,) * (nd - a.ndim) + a.shape
    sb = (1,) * (nd - b.ndim) + b.shape
    prod = ops.mul(ops.reshape(a, [v for n in sa for v in (n, 1)]), ops.reshape(b, [v for n in sb for v in (1, n)]))
    inner = prod._array.shape
    shape = tuple(p * q for p, q in zip(sa, sb))
    return Tensor._make(prod._array.reshape(shape), (prod,), lambda g: (g.reshape(inner),), "UnsafeView")


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:  # noqa: A002
    """The cross product of 3-vectors along `dim` (without it: the first dimension of size 3, deprecated)."""
    if input._array.dtype != other._array.dtype:
        raise RuntimeError(f"expected scalar type {_type_name(input)} but found {_type_name(other)}")
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    shape = _broadcast_shape(input._array.shape, other._array.shape)
    if dim is None:
        dims = [k for k, s in enumerate(shape) if s == 3]
        if not dims:
            raise RuntimeError("no dimension of size 3 in input")
        if len(shape) > 1:
            warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the "
                          "dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to "
                          "agree with that of linalg.cross in a future release.", UserWarning, stacklevel=2)
        axis = dims[0]
    else:
        axis = _dim(dim, len(shape))
    if input.shape[axis] != 3 or other.shape[axis] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {axis} must have length 3. Got {input.shape[axis]} and "
                           f"{other.shape[axis]}")
    x, y = input._array, other._array
    out = np.cross(x, y, axis=axis)

    def backward(g: np.ndarray):
        return (np.cross(y, g, axis=axis) if input.requires_grad else None,
                np.cross(g, x, axis=axis) if other.requires_grad else None)

    return Tensor._make(out, (input, other), backward, "LinalgCross")


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


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:  # noqa: A002
    """The length-`r` combinations of a 1-d tensor's elements, as the rows of a matrix (itertools' order)."""
    if input.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return Tensor._wrap(np.empty(0, input._array.dtype))
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    rows = np.array(list(pick(range(input._array.shape[0]), r)), dtype=np.int64).reshape(-1, r)
    return ops.stack([ops.getitem(input, rows[:, k].copy()) for k in range(r)], 1)


# ----- Tensor methods --------------------------------------------------------------------------


def _tile_method(self: Tensor, *dims: Any) -> Tensor:
    return tile(self, *dims)


def _index_put_(self: Tensor, indices: Sequence[Tensor], values: Tensor, accumulate: bool = False) -> Tensor:
    """In-place `index_put`."""
    return self._inplace(lambda s, v: index_put(s, indices, v, accumulate), (values,), False)


def _put_(self: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """In-place `put`."""
    return self._inplace(lambda s, src: put(s, index, src, accumulate), (source,), False)


_METHODS = {
    "index_select": index_select, "masked_select": masked_select, "take": take, "take_along_dim": take_along_dim,
    "select": select, "repeat_interleave": repeat_interleave, "tile": _tile_method, "movedim": movedim,
    "moveaxis": moveaxis, "swapaxes": swapaxes, "swapdims": swapdims, "unflatten": unflatten, "ravel": ravel,
    "diagonal": diagonal, "diag_embed": diag_embed, "diagflat": diagflat, "trace": trace,
    "tensor_split": tensor_split, "hsplit": hsplit, "vsplit": vsplit, "dsplit": dsplit,
    "broadcast_to": broadcast_to, "fliplr": fliplr, "flipud": flipud, "rot90": rot90,
    "index_add": index_add, "index_copy": index_copy, "index_fill": index_fill, "masked_scatter": masked_scatter,
    "index_put": index_put, "put": put, "diff": diff, "kron": kron, "cross": cross,
    "unfold": unfold, "select_scatter": select_scatter, "diagonal_scatter": diagonal_scatter,
    "slice_scatter": slice_scatter, "transpose_": _transpose_, "swapaxes_": _transpose_, "swapdims_": _transpose_,
    "masked_scatter_": _masked_scatter_, "index_put_": _index_put_, "put_": _put_,
}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
for _fn in (index_add, index_copy, index_fill):  # their backward reads only the index and the source
    setattr(Tensor, _fn.__name__ + "_", _inplace_method(_fn, False))
