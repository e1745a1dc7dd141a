"""Diagonals: diagonal (a view), diag_embed, diagflat and trace, as torch.X and Tensor methods."""

from __future__ import annotations

import builtins

import numpy as np

from ._shape_helpers import _diagonal_view, _two_dims
from .rearranging import ravel
from .tensor import Tensor

__all__ = ["diag_embed", "diagflat", "diagonal", "trace"]


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


# ----- Tensor methods --------------------------------------------------------------------------

_METHODS = {name: globals()[name] for name in __all__}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
