"""`Upsample`: resize by `size` or `scale_factor` with `F.interpolate`'s modes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from ..autograd.tensor import Tensor
from .functional.upsampling import interpolate
from .module import Module

Mode = Literal["nearest", "nearest-exact", "linear", "bilinear"]


class Upsample(Module):
    """Resize (N, C, L) or (N, C, H, W) inputs: mode 'nearest', 'nearest-exact', 'linear' or 'bilinear'."""

    def __init__(self, size: int | tuple[int, ...] | None = None, scale_factor: float | tuple[float, ...] | None = None,
                 mode: Mode = "nearest", align_corners: bool | None = None,
                 recompute_scale_factor: bool | None = None) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, Sequence):  # a YAML list too, where PyTorch takes only a tuple
            self.scale_factor: Any = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                           recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self) -> str:
        info: Any = f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        return f"{info}, mode={self.mode!r}"
