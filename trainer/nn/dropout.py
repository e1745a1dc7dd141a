"""`Dropout`, and `Dropout1d`/`Dropout2d`/`Dropout3d`, which zero whole channels."""

from __future__ import annotations

from ..autograd.tensor import Tensor
from .functional.layers import dropout, dropout1d, dropout2d, dropout3d
from .module import Module


class _DropoutNd(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Zero elements with probability p in training mode (scaling the rest by 1/(1-p)); identity in eval mode.

    The mask is drawn from the library's seeded generator.
    """

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Zero whole channels of (N, C, L) or (C, L) inputs with probability p in training mode (scaled 1/(1-p))."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zero whole channels of (N, C, H, W) inputs with probability p in training mode (scaled 1/(1-p)).

    One draw per (sample, channel), in PyTorch's order, so a seed gives PyTorch's mask.
    """

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) inputs with probability p in training mode
    (scaled 1/(1-p)), one draw per (sample, channel) as in PyTorch."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return dropout3d(input, self.p, self.training, self.inplace)
