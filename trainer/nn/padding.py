"""Padding layers (`nn.ZeroPad2d`, `nn.ReflectionPad1d`, ...): `F.pad` with a fixed padding and mode.

`padding` is an int (the same on every side) or a tuple in `F.pad`'s order: last dim first, (left, right,
top, bottom, front, back).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..autograd.tensor import Tensor
from .functional.padding import pad
from .module import Module


def _ntuple(padding: Any, n: int) -> tuple[int, ...]:
    """PyTorch's `_ntuple`: an iterable as a tuple, anything else repeated n times."""
    if isinstance(padding, Iterable):
        return tuple(padding)
    return (padding,) * n


class _ConstantPadNd(Module):
    _sides = 2

    def __init__(self, padding: int | tuple[int, ...], value: float) -> None:
        super().__init__()
        self.value = value
        self.padding = _ntuple(padding, self._sides)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with `value`: padding (left, right)."""

    _sides = 2


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with `value`: padding (left, right, top, bottom)."""

    _sides = 4


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three dims with `value`: padding (left, right, top, bottom, front, back)."""

    _sides = 6


class ZeroPad1d(ConstantPad1d):
    """Pad the last dim with zeros."""

    def __init__(self, padding: int | tuple[int, int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pad the last two dims with zeros."""

    def __init__(self, padding: int | tuple[int, int, int, int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad3d(ConstantPad3d):
    """Pad the last three dims with zeros."""

    def __init__(self, padding: int | tuple[int, int, int, int, int, int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ModePadNd(Module):
    """Padding in a non-constant `F.pad` mode over 1 to 3 trailing dims (`_sides` = 2, 4 or 6 numbers)."""

    _sides = 2
    _mode = "reflect"

    def __init__(self, padding: int | tuple[int, ...]) -> None:
        super().__init__()
        self.padding = _ntuple(padding, self._sides)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ReflectionPad1d(_ModePadNd):
    """Mirror the last dim at its ends (without repeating the edge)."""


class ReflectionPad2d(_ModePadNd):
    """Mirror the last two dims at their ends."""

    _sides = 4


class ReflectionPad3d(_ModePadNd):
    """Mirror the last three dims at their ends."""

    _sides = 6


class ReplicationPad1d(_ModePadNd):
    """Repeat the edge values of the last dim."""

    _mode = "replicate"


class ReplicationPad2d(_ModePadNd):
    """Repeat the edge values of the last two dims."""

    _sides = 4
    _mode = "replicate"


class ReplicationPad3d(_ModePadNd):
    """Repeat the edge values of the last three dims."""

    _sides = 6
    _mode = "replicate"


class _CircularPadNd(_ModePadNd):
    """Wrap around: PyTorch checks the input's rank here (batched or not) before padding."""

    _mode = "circular"

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        lo = self._sides // 2 + 1
        if input.ndim not in (lo, lo + 1):
            raise ValueError(f"expected {lo}D or {lo + 1}D input (got {input.ndim}D input)")
        return pad(input, self.padding, "circular")


class CircularPad1d(_CircularPadNd):
    """Wrap the last dim around: (C, L) or (N, C, L) inputs."""


class CircularPad2d(_CircularPadNd):
    """Wrap the last two dims around: (C, H, W) or (N, C, H, W) inputs."""

    _sides = 4


class CircularPad3d(_CircularPadNd):
    """Wrap the last three dims around: (C, D, H, W) or (N, C, D, H, W) inputs."""

    _sides = 6
