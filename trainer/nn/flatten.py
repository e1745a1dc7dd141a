"""`Flatten` and `Unflatten`."""

from __future__ import annotations

from collections.abc import Sequence

from ..autograd import ops
from ..autograd.tensor import Tensor
from .module import Module


class Flatten(Module):
    """Flatten dimensions start_dim..end_dim into one (by default all but the batch dimension)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        nd = max(input.ndim, 1)
        for d in (self.start_dim, self.end_dim):
            if not -nd <= d < nd:
                raise ValueError(f"Flatten: dimension {d} is out of range for input shape {tuple(input.shape)}")
        if input.ndim and self.start_dim % nd > self.end_dim % nd:
            raise ValueError(f"Flatten: start_dim {self.start_dim} comes after end_dim {self.end_dim} for input "
                             f"shape {tuple(input.shape)}")
        return ops.flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dimension `dim` into `unflattened_size` (one entry may be -1)."""

    def __init__(self, dim: int, unflattened_size: Sequence[int]) -> None:
        super().__init__()
        if not isinstance(dim, int) or isinstance(dim, bool):
            raise TypeError(f"invalid argument type for dim parameter, expected `int`, got {type(dim).__name__}")
        if not isinstance(unflattened_size, Sequence) or isinstance(unflattened_size, str):
            raise TypeError("unflattened_size must be tuple of ints, but found type "
                            f"{type(unflattened_size).__name__}")
        for i, v in enumerate(unflattened_size):
            if not isinstance(v, int) or isinstance(v, bool):
                raise TypeError(f"unflattened_size must be tuple of ints, but found element of type "
                                f"{type(v).__name__} at pos {i}")
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        shape = tuple(input.shape)
        nd = len(shape)
        if not -nd <= self.dim < max(nd, 1):
            raise IndexError(f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got "
                             f"{self.dim})")
        d = self.dim % nd
        sizes = tuple(self.unflattened_size)
        known = 1
        for v in sizes:
            known *= v if v != -1 else 1
        if sizes.count(-1) > 1 or (-1 not in sizes and known != shape[d]) or (
                -1 in sizes and (known == 0 or shape[d] % known)):
            raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim "
                               f"{self.dim} ({shape[d]}) in the input tensor")
        return ops.reshape(input, shape[:d] + sizes + shape[d + 1:])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
