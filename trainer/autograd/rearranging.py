"""Rearranging elements: repeats (repeat_interleave, tile), moving and swapping dims (movedim, swapaxes), reshaping
(unflatten, ravel), sliding windows (Tensor.unfold), flips and rotations (fliplr, flipud, rot90), as torch.X and
Tensor methods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import more_ops, ops
from ._shape_helpers import _along, _dim, _type_name, _zeros_with
from .tensor import Tensor

__all__ = ["fliplr", "flipud", "moveaxis", "movedim", "ravel", "repeat_interleave", "rot90", "swapaxes", "swapdims",
           "tile", "unflatten"]


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


# ----- Tensor methods --------------------------------------------------------------------------


def _tile_method(self: Tensor, *dims: Any) -> Tensor:
    return tile(self, *dims)


_METHODS = {
    "repeat_interleave": repeat_interleave, "tile": _tile_method, "movedim": movedim, "moveaxis": moveaxis,
    "swapaxes": swapaxes, "swapdims": swapdims, "unflatten": unflatten, "ravel": ravel, "fliplr": fliplr,
    "flipud": flipud, "rot90": rot90, "unfold": unfold, "transpose_": _transpose_, "swapaxes_": _transpose_,
    "swapdims_": _transpose_,
}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
