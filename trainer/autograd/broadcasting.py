"""Broadcasting and grids: broadcast_shapes, broadcast_to (a Tensor method too), broadcast_tensors and meshgrid."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import ops
from ._shape_helpers import _broadcast_shape
from .size import Size
from .tensor import Tensor

__all__ = ["broadcast_shapes", "broadcast_tensors", "broadcast_to", "meshgrid"]


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


# ----- Tensor methods --------------------------------------------------------------------------

Tensor.broadcast_to = broadcast_to
