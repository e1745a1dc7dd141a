"""Splitting a tensor into pieces along a dim (views): tensor_split, hsplit, vsplit, dsplit, as torch.X and Tensor
methods."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._shape_helpers import _dim, _piece, _type_name
from .tensor import Tensor

__all__ = ["dsplit", "hsplit", "tensor_split", "vsplit"]


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


# ----- Tensor methods --------------------------------------------------------------------------

_METHODS = {name: globals()[name] for name in __all__}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
