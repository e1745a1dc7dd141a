"""Combining elements: forward differences (diff), Kronecker and cross products (kron, cross), as torch.X and
Tensor methods, and the Cartesian products and combinations of 1-d tensors (cartesian_prod, combinations)."""

from __future__ import annotations

import builtins
import itertools
import warnings

import numpy as np

from . import ops
from ._shape_helpers import _broadcast_shape, _dim, _piece, _type_name
from .broadcasting import meshgrid
from .joining import concat
from .rearranging import ravel
from .tensor import Tensor

__all__ = ["cartesian_prod", "combinations", "cross", "diff", "kron"]


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


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """All tuples of one element from each 1-d tensor, as the rows of a matrix (a 1-d tensor alone: itself)."""
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return ops.stack([ravel(g) for g in grids], 1)


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

_METHODS = {"diff": diff, "kron": kron, "cross": cross}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
