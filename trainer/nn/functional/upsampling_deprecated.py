"""PyTorch's deprecated `upsample_nearest` and `upsample_bilinear` (`interpolate` with a fixed mode; they warn)."""

from __future__ import annotations

import warnings
from typing import Any

from ...autograd.tensor import Tensor
from .upsampling import interpolate


def upsample_nearest(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:  # noqa: A002
    """`interpolate(input, size, scale_factor, mode='nearest')`, with PyTorch's deprecation warning."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:  # noqa: A002
    """`interpolate(..., mode='bilinear', align_corners=True)`, with PyTorch's deprecation warning."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
