"""`Dropout`."""

from __future__ import annotations

from ..autograd.tensor import Tensor
from .functional.layers import dropout
from .module import Module


class Dropout(Module):
    """Zero elements with probability p in training mode (scaling the rest by 1/(1-p)); identity in eval mode.

    The mask is drawn from the library's seeded generator.
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
