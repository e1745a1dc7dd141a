"""One row's shape through the layers, estimated from the config alone (no layer built): conv, pooling, flatten.

The memory estimate (build.memory) needs each layer's output size before the model exists. Layers are read
by their arguments, as PyTorch's formulas give them: `out_channels` + `kernel_size` (a convolution, or a
transposed one with `output_padding`), `kernel_size` alone (pooling, stride defaulting to the kernel),
`output_size` (adaptive pooling), `start_dim`/`end_dim` (flatten), `unflattened_size`, `size` /
`scale_factor` (upsample), `padding` alone (the padding layers). A layer it cannot read keeps the shape; a value
it cannot use gives no estimate.
"""

from __future__ import annotations

import math
from typing import Any

Shape = tuple[int, ...]  # one row, without the row count: (C, H, W), (features,), ...


def _each(value: Any, n: int) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list | tuple) else (value,) * n


def _windowed(spec: Any, space: Shape, transposed: bool, pool: bool) -> Shape:
    n = len(space)
    kernel = _each(spec.kernel_size, n)
    stride = getattr(spec, "stride", None)
    stride = kernel if stride is None and pool else _each(1 if stride is None else stride, n)
    dilation = _each(getattr(spec, "dilation", 1), n)
    padding = getattr(spec, "padding", 0)
    if padding == "same":
        return space
    padding = _each(0 if padding == "valid" else padding, n)
    if transposed:
        extra = _each(getattr(spec, "output_padding", 0), n)
        return tuple((size - 1) * s - 2 * p + d * (k - 1) + e + 1
                     for size, k, s, p, d, e in zip(space, kernel, stride, padding, dilation, extra))
    ceil = math.ceil if getattr(spec, "ceil_mode", False) else math.floor
    return tuple(ceil((size + 2 * p - d * (k - 1) - 1) / s) + 1
                 for size, k, s, p, d in zip(space, kernel, stride, padding, dilation))


def _conv(spec: Any, shape: Shape) -> tuple[int, Shape, list[Shape]]:
    """(parameters, output shape, parameter shapes) of a convolution."""
    channels, space = shape[0], shape[1:]
    out, groups = int(spec.out_channels), int(getattr(spec, "groups", 1) or 1)
    kernel = _each(spec.kernel_size, len(space))
    transposed = hasattr(spec, "output_padding")
    weight = (channels, out // groups, *kernel) if transposed else (out, channels // groups, *kernel)
    shapes = [weight, *([(out,)] if getattr(spec, "bias", True) else [])]
    return sum(math.prod(s) for s in shapes), (out, *_windowed(spec, space, transposed, pool=False)), shapes


def _merge(shape: Shape, start: int, end: int) -> Shape:
    full = (1, *shape)  # the row count back in front, so PyTorch's dims count as written
    start, end = start % len(full), end % len(full)
    return (*full[1:start], math.prod(full[start:end + 1]), *full[end + 1:])


def _padded(spec: Any, shape: Shape) -> Shape:
    """A padding layer's output: `padding` lists (before, after) pairs, the last dim first; an int pads both
    sides of the dims its type names (zeropad2d: the last two; every spatial dim when the type does not say)."""
    name = str(getattr(spec, "type", ""))
    dims = int(name[-2]) if name.endswith("d") and name[-2:-1].isdigit() else len(shape) - 1
    pads = _each(spec.padding, 2 * dims)
    out = list(shape)
    for i in range(len(pads) // 2):
        out[-1 - i] += int(pads[2 * i]) + int(pads[2 * i + 1])
    return tuple(out)


def _reshaped(spec: Any, shape: Shape) -> Shape | None:
    """The output shape of a layer that moves no values between channels, or None when it keeps the shape."""
    space = shape[1:]
    if getattr(spec, "kernel_size", None) is not None:
        return (shape[0], *_windowed(spec, space, transposed=False, pool=True))
    if hasattr(spec, "output_size"):
        size = _each(spec.output_size, len(space))
        return (shape[0], *(old if new is None else int(new) for old, new in zip(space, size)))
    if hasattr(spec, "start_dim") and hasattr(spec, "end_dim"):
        return _merge(shape, int(spec.start_dim), int(spec.end_dim))
    if hasattr(spec, "unflattened_size"):
        dim = int(spec.dim) % (len(shape) + 1) - 1
        return (*shape[:dim], *map(int, spec.unflattened_size), *shape[dim + 1:])
    if getattr(spec, "padding", None) is not None:
        return _padded(spec, shape)
    if getattr(spec, "size", None) is not None and hasattr(spec, "scale_factor"):  # LocalResponseNorm's is a width
        return (shape[0], *map(int, _each(spec.size, len(space))))
    if getattr(spec, "scale_factor", None) is not None:
        return (shape[0], *(int(math.floor(s * f)) for s, f in zip(space, _each(spec.scale_factor, len(space)))))
    return None


def spatial_footprint(spec: Any, shape: Shape) -> tuple[int, Shape, list[Shape]] | None:
    """(parameters, output shape, parameter shapes) of a layer on images or sequences; None for other layers
    (and for values no formula can use, which the probe then reports)."""
    if len(shape) < 2 and not hasattr(spec, "unflattened_size"):
        return None
    try:
        if getattr(spec, "out_channels", None) is not None and getattr(spec, "kernel_size", None) is not None:
            return _conv(spec, shape)
        out = _reshaped(spec, shape)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if out is None:
        channels = shape[0]
        affine = getattr(spec, "affine", False) is True
        return 2 * channels * affine, shape, [(channels,)] * (2 * affine)
    return 0, out, []
