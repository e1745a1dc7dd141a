"""Pooling layers: `MaxPool1d/2d/3d`, `AvgPool1d/2d/3d`, the adaptive ones and `MaxUnpool2d/3d`, PyTorch's
arguments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..autograd.tensor import Tensor
from .functional import pooling as P
from .module import Module

IntOrPair = int | tuple[int, int]


class _MaxPoolNd(Module):
    _fn: Any = None

    def __init__(self, kernel_size: IntOrPair, stride: IntOrPair | None = None, padding: IntOrPair = 0,
                 dilation: IntOrPair = 1, return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input: Tensor) -> Any:  # noqa: A002
        return type(self)._fn(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              ceil_mode=self.ceil_mode, return_indices=self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """Max over sliding windows of the last axis of (N, C, L) or (C, L) inputs (-inf padding)."""

    _fn = staticmethod(P.max_pool1d)

    def __init__(self, kernel_size: int | tuple[int], stride: int | tuple[int] | None = None,
                 padding: int | tuple[int] = 0, dilation: int | tuple[int] = 1, return_indices: bool = False,
                 ceil_mode: bool = False) -> None:
        super().__init__(kernel_size, stride, padding, dilation, return_indices, ceil_mode)


class MaxPool2d(_MaxPoolNd):
    """Max over sliding (kH, kW) windows of (N, C, H, W) or (C, H, W) inputs (-inf padding).

    `return_indices=True` also returns each maximum's flat index into its H*W input plane (int64).
    """

    _fn = staticmethod(P.max_pool2d)


class MaxPool3d(_MaxPoolNd):
    """Max over sliding (kD, kH, kW) windows of (N, C, D, H, W) or (C, D, H, W) inputs (-inf padding).

    `return_indices=True` also returns each maximum's flat index into its D*H*W input volume (int64).
    """

    _fn = staticmethod(P.max_pool3d)

    def __init__(self, kernel_size: int | tuple[int, int, int], stride: int | tuple[int, int, int] | None = None,
                 padding: int | tuple[int, int, int] = 0, dilation: int | tuple[int, int, int] = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__(kernel_size, stride, padding, dilation, return_indices, ceil_mode)


class AvgPool1d(Module):
    """Average over sliding windows of the last axis of (N, C, L) or (C, L) inputs."""

    def __init__(self, kernel_size: int | tuple[int], stride: int | tuple[int] | None = None,
                 padding: int | tuple[int] = 0, ceil_mode: bool = False, count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return P.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(Module):
    """Average over sliding (kH, kW) windows of (N, C, H, W) or (C, H, W) inputs (zero padding)."""

    def __init__(self, kernel_size: IntOrPair, stride: IntOrPair | None = None, padding: IntOrPair = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True, divisor_override: int | None = None) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return P.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool3d(AvgPool2d):
    """Average over sliding (kD, kH, kW) windows of (N, C, D, H, W) or (C, D, H, W) inputs (zero padding)."""

    def __init__(self, kernel_size: int | tuple[int, int, int], stride: int | tuple[int, int, int] | None = None,
                 padding: int | tuple[int, int, int] = 0, ceil_mode: bool = False, count_include_pad: bool = True,
                 divisor_override: int | None = None) -> None:
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return P.avg_pool3d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)


def _single(value: Any) -> tuple[int]:
    return tuple(value) if isinstance(value, Sequence) else (value,)


class _AdaptivePool(Module):
    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePool):
    """Average over PyTorch's adaptive windows of the last axis to `output_size` positions."""

    def __init__(self, output_size: int) -> None:
        super().__init__(output_size)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return P.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptivePool):
    """Average over adaptive windows (start floor(i*H/out), end ceil((i+1)*H/out)); None keeps a size."""

    def __init__(self, output_size: int | None | tuple[int | None, int | None]) -> None:
        super().__init__(output_size)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return P.adaptive_avg_pool2d(input, self.output_size)


class AdaptiveMaxPool1d(_AdaptivePool):
    """Max over adaptive windows of the last axis; `return_indices` adds each maximum's index."""

    def __init__(self, output_size: int, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Any:  # noqa: A002
        return P.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptivePool):
    """Max over adaptive windows; None keeps a size; `return_indices` adds each maximum's flat H*W index."""

    def __init__(self, output_size: int | None | tuple[int | None, int | None], return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Any:  # noqa: A002
        return P.adaptive_max_pool2d(input, self.output_size, self.return_indices)


class AdaptiveAvgPool3d(_AdaptivePool):
    """Average over adaptive windows of (N, C, D, H, W) or (C, D, H, W) inputs; None keeps a size."""

    def __init__(self, output_size: int | None | tuple[int | None, int | None, int | None]) -> None:
        super().__init__(output_size)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return P.adaptive_avg_pool3d(input, self.output_size)


class AdaptiveMaxPool3d(_AdaptivePool):
    """Max over adaptive windows; None keeps a size; `return_indices` adds each maximum's flat D*H*W index."""

    def __init__(self, output_size: int | None | tuple[int | None, int | None, int | None],
                 return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Any:  # noqa: A002
        return P.adaptive_max_pool3d(input, self.output_size, self.return_indices)


class MaxUnpool2d(Module):
    """The inverse of MaxPool2d given its indices: values back in place, zeros elsewhere."""

    def __init__(self, kernel_size: IntOrPair, stride: IntOrPair | None = None, padding: IntOrPair = 0) -> None:
        super().__init__()
        self.kernel_size = _pair(kernel_size)
        self.stride = _pair(stride if stride is not None else kernel_size)
        self.padding = _pair(padding)

    def forward(self, input: Tensor, indices: Tensor, output_size: Sequence[int] | None = None) -> Tensor:  # noqa: A002
        return P.max_unpool2d(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


def _pair(value: Any) -> tuple[int, int]:
    return tuple(value) if isinstance(value, Sequence) else (value, value)


class MaxUnpool3d(MaxUnpool2d):
    """The inverse of MaxPool3d given its indices: values back in place, zeros elsewhere."""

    def __init__(self, kernel_size: int | tuple[int, int, int], stride: int | tuple[int, int, int] | None = None,
                 padding: int | tuple[int, int, int] = 0) -> None:
        Module.__init__(self)
        self.kernel_size = P._as_triple(kernel_size)
        self.stride = P._as_triple(stride if stride is not None else kernel_size)
        self.padding = P._as_triple(padding)

    def forward(self, input: Tensor, indices: Tensor, output_size: Sequence[int] | None = None) -> Tensor:  # noqa: A002
        return P.max_unpool3d(input, indices, self.kernel_size, self.stride, self.padding, output_size)
