"""`Unfold` and `Fold`: the module forms of F.unfold (im2col) and F.fold (col2im)."""

from __future__ import annotations

from ..autograd.tensor import Tensor
from .functional.fold import fold, unfold
from .module import Module


class Unfold(Module):
    """Sliding blocks of (N, C, H, W) as columns (N, C * kH * kW, L)."""

    def __init__(self, kernel_size: int | tuple[int, int], dilation: int | tuple[int, int] = 1,
                 padding: int | tuple[int, int] = 0, stride: int | tuple[int, int] = 1) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.padding = padding
        self.stride = stride

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
                f"stride={self.stride}")


class Fold(Module):
    """Columns (N, C * kH * kW, L) summed back into images (N, C, *output_size)."""

    def __init__(self, output_size: int | tuple[int, int], kernel_size: int | tuple[int, int],
                 dilation: int | tuple[int, int] = 1, padding: int | tuple[int, int] = 0,
                 stride: int | tuple[int, int] = 1) -> None:
        super().__init__()
        self.output_size = output_size
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.padding = padding
        self.stride = stride

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")
