"""`UpsamplingNearest2d` and `UpsamplingBilinear2d`: `Upsample` with its mode fixed (bilinear with aligned
corners), as PyTorch's older names."""

from __future__ import annotations

from typing import Any

from .upsampling import Upsample


class UpsamplingNearest2d(Upsample):
    """Nearest-neighbour upsampling of (N, C, H, W) inputs by `size` or `scale_factor`."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Bilinear upsampling of (N, C, H, W) inputs with `align_corners=True`, by `size` or `scale_factor`."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
