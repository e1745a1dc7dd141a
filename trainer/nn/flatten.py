"""`Flatten`."""

from __future__ import annotations

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
