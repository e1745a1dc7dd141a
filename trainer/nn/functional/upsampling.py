"""`interpolate` (and `upsample`) for nearest, nearest-exact, linear, bilinear and trilinear modes, PyTorch's rules.

The output size is `size`, or floor(input size * scale_factor); the kernel is told the scale factor too
(it changes the source indices) unless `recompute_scale_factor=True`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ...autograd import upsampling as engine
from ...autograd.tensor import Tensor
from ._util import as_tensor

_LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3}
_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "trilinear")
_NAMES = {("nearest", 1): "UpsampleNearest1D", ("nearest", 2): "UpsampleNearest2D",
          ("nearest-exact", 1): "UpsampleNearestExact1D", ("nearest-exact", 2): "UpsampleNearestExact2D",
          ("linear", 1): "UpsampleLinear1D", ("bilinear", 2): "UpsampleBilinear2D",
          ("nearest", 3): "UpsampleNearest3D", ("nearest-exact", 3): "UpsampleNearestExact3D",
          ("trilinear", 3): "UpsampleTrilinear3D"}


def _per_dim(value: Any, dims: int, what: str, spatial: list[int]) -> list[Any]:
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != dims:
            if what == "size":
                raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input "
                                 f"with spatial dimensions of {spatial} and output size of {value}. Please provide "
                                 "input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) "
                                 "format.")
            raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got input "
                             f"with spatial dimensions of {spatial} and scale_factor of shape {value}. Please provide "
                             "input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) "
                             "format.")
        return list(value)
    return [value] * dims


def interpolate(input: Tensor, size: int | Sequence[int] | None = None,  # noqa: A002
                scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resize the spatial axes of an (N, C, L), (N, C, H, W) or (N, C, D, H, W) input to `size` or by
    `scale_factor`."""
    x = as_tensor(input, "interpolate", "input")
    if mode not in _MODES:
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors and the modes {' | '.join(_MODES)} "
                                  f"are supported (got {x.ndim}D, mode {mode})")
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported; use antialias=False")
    if mode in ("nearest", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear "
                             "| bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dims = x.ndim - 2
    if dims not in (1, 2, 3):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {x.ndim}D) for the "
                                  f"modes: {' | '.join(_MODES)} (got {mode})")
    if mode in _LINEAR and _LINEAR[mode] != dims:
        need = _LINEAR[mode] + 2
        raise NotImplementedError(f"Got {x.ndim}D input, but {mode} mode needs {need}D input")
    if x._array.dtype.kind != "f":
        raise RuntimeError(f"interpolate: expected a floating-point input, got dtype {x._array.dtype}")
    spatial = list(x.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is None and scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
        out = [int(v) for v in _per_dim(size, dims, "size", spatial)]
        scales: list[float | None] = [None] * dims
    else:
        factors = [float(v) for v in _per_dim(scale_factor, dims, "scale_factor", spatial)]
        out = [math.floor(float(spatial[i]) * factors[i]) for i in range(dims)]
        scales = [None] * dims if recompute_scale_factor else list(factors)
    if min(out) <= 0:
        names = ("D", "H", "W")[3 - dims:]
        shown = ", ".join(f"{n}: {v}" for n, v in zip(names, spatial, strict=True))
        got = ", ".join(f"{n}: {v}" for n, v in zip(names, out, strict=True))
        joint = " and" if dims == 1 else ""  # PyTorch's 1-d and 2-d kernels word it differently
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({shown}){joint} output "
                           f"({got})")
    op = _NAMES[(mode, dims)]
    if mode in _LINEAR:
        weights = tuple(engine.linear_weights(spatial[i], out[i], scales[i], bool(align_corners), x._array.dtype)
                        for i in range(dims))
        return engine.upsample_linear(x, weights, op)
    exact = mode == "nearest-exact"
    return engine.upsample_nearest(x, tuple(engine.nearest_index(spatial[i], out[i], scales[i], exact)
                                            for i in range(dims)), op)


def upsample(input: Tensor, size: int | Sequence[int] | None = None,  # noqa: A002
             scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """The deprecated name of `interpolate`."""
    return interpolate(input, size, scale_factor, mode, align_corners)
