"""`torch.histogram` (and `Tensor.histogram`) and the window functions `hann_window`, `hamming_window`,
`bartlett_window`, `blackman_window` and `kaiser_window`, computed in the target dtype in PyTorch's order of
operations (no gradients)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._linalg_common import result_type
from ._stat_helpers import _torch_name
from .creation import _float_dtype
from .tensor import Tensor

__all__ = ["histogram", "hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window"]

_Histogram = result_type("histogram", "hist bin_edges")


def _linear_edges(x: np.ndarray, bins: int, range: Any) -> np.ndarray:  # noqa: A002
    """`bins + 1` evenly spaced edges over `range` (the data's range by default; widened by 0.5 when empty)."""
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    if range is not None:
        lo, hi = float(range[0]), float(range[1])
    else:
        lo, hi = (float(x.min()), float(x.max())) if x.size else (0.0, 1.0)
    if lo > hi:
        raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min {lo:g} max {hi:g} for "
                           f"dimension 0")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histogramdd: dimension 0's range [{lo:g}, {hi:g}] is not finite")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    return np.linspace(lo, hi, bins + 1).astype(x.dtype)


def _given_edges(x: np.ndarray, bins: Tensor) -> np.ndarray:
    edges = bins._array
    if edges.ndim != 1:
        raise RuntimeError(f"torch.histogramdd: bins tensor should have one dimension, but got {edges.ndim} "
                           f"dimensions in the bins tensor for dimension 0")
    if edges.dtype != x.dtype:
        raise RuntimeError(f"torch.histogramdd: input tensor and bins tensors should have the same dtype, but got "
                           f"input with dtype {_long_name(x.dtype)} and bins for dimension 0 with dtype "
                           f"{_long_name(edges.dtype)}")
    return edges


def _long_name(dtype: np.dtype) -> str:
    return {"float32": "float", "float64": "double", "float16": "c10::Half"}.get(dtype.name, dtype.name)


def histogram(input: Tensor, bins: Any, *, range: Any = None, weight: Tensor | None = None,  # noqa: A002
              density: bool = False) -> Any:
    """(hist, bin_edges): the (weighted) counts of `input`'s elements in `bins` equal-width bins over `range`
    (or between the edges of a 1-d tensor `bins`); the last bin includes its right edge. `density` divides by
    the total and the bin widths."""
    x = input._array
    if x.dtype.kind != "f":
        raise NotImplementedError(f"\"histogramdd\" not implemented for '{_torch_name(x.dtype)}'")
    flat = x.reshape(-1)
    if weight is not None and weight.shape != input.shape:
        raise RuntimeError(f"torch.histogramdd: if weight tensor is provided it should have the same shape as the "
                           f"input tensor excluding its innermost dimension, but got input with shape "
                           f"{[flat.size, 1]} and weight with shape {list(weight.shape)}")
    edges = _given_edges(x, bins) if isinstance(bins, Tensor) else _linear_edges(flat, int(bins), range)
    hist = np.zeros(max(edges.size - 1, 0), x.dtype)
    if edges.size > 1:
        inside = (flat >= edges[0]) & (flat <= edges[-1])
        pos = np.minimum(np.searchsorted(edges, flat[inside], side="right") - 1, edges.size - 2)
        w = None if weight is None else weight._array.reshape(-1)[inside].astype(x.dtype)
        np.add.at(hist, pos, 1 if w is None else w)
    if density:
        with np.errstate(all="ignore"):
            hist = (hist / hist.sum() / np.diff(edges)).astype(x.dtype)
    return _Histogram(Tensor._wrap(hist), Tensor._wrap(edges.copy()))


def _histogram_method(self: Tensor, bins: Any, *, range: Any = None, weight: Tensor | None = None,  # noqa: A002
                      density: bool = False) -> Any:
    return histogram(self, bins, range=range, weight=weight, density=density)


# ----- windows -----------------------------------------------------------------------------------


def _window(name: str, length: int, dtype: Any) -> tuple[np.dtype, np.ndarray | None]:
    """The dtype, and the finished window when the length is 0 or 1 (else None)."""
    dt = _float_dtype(dtype)
    if dt.kind != "f":
        raise RuntimeError(f"{name} expects floating point dtypes, got: TensorOptions(dtype={_options_name(dt)}, "
                           f"device=cpu, layout=Strided (default), requires_grad=false (default), "
                           f"pinned_memory=false, memory_format=(nullopt))")
    if length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got window_length={length}")
    return dt, (np.ones(length, dt) if length <= 1 else None)


def _options_name(dt: np.dtype) -> str:
    return {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "bool": "bool"}.get(dt.name, dt.name)


def _finish(window: np.ndarray, periodic: bool, requires_grad: bool) -> Tensor:
    t = Tensor._wrap(window[:-1].copy() if periodic else window)
    return t.requires_grad_(True) if requires_grad else t


def _ramp(n: int, scale: float, dt: np.dtype) -> np.ndarray:
    return np.arange(n, dtype=dt) * dt.type(scale)


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54, beta: float = 0.46, *,
                   dtype: Any = None, layout: Any = None, device: Any = None, pin_memory: bool = False,
                   requires_grad: bool = False) -> Tensor:
    """alpha - beta * cos(2 pi n / (N - 1)); `periodic` computes N + 1 points and drops the last."""
    return _cosine_window("hamming_window", window_length, periodic, alpha, beta, dtype, requires_grad)


def hann_window(window_length: int, periodic: bool = True, *, dtype: Any = None, layout: Any = None,
                device: Any = None, pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """The Hamming window with alpha = beta = 0.5."""
    return _cosine_window("hann_window", window_length, periodic, 0.5, 0.5, dtype, requires_grad)


def _cosine_window(name: str, length: int, periodic: bool, alpha: float, beta: float, dtype: Any,
                   requires_grad: bool) -> Tensor:
    dt, small = _window(name, length, dtype)
    if small is not None:
        return _finish(small, False, requires_grad)
    n = length + 1 if periodic else length
    window = np.cos(_ramp(n, math.pi * 2.0 / (n - 1), dt)) * dt.type(-beta) + dt.type(alpha)
    return _finish(window, periodic, requires_grad)


def bartlett_window(window_length: int, periodic: bool = True, *, dtype: Any = None, layout: Any = None,
                    device: Any = None, pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """The triangular window 1 - |2n / (N - 1) - 1|."""
    dt, small = _window("bartlett_window", window_length, dtype)
    if small is not None:
        return _finish(small, False, requires_grad)
    n = window_length + 1 if periodic else window_length
    window = _ramp(n, 2.0 / (n - 1), dt)
    half = ((n - 1) >> 1) + 1
    window[half:] = window[half:] * dt.type(-1) + dt.type(2)
    return _finish(window, periodic, requires_grad)


def blackman_window(window_length: int, periodic: bool = True, *, dtype: Any = None, layout: Any = None,
                    device: Any = None, pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1))."""
    dt, small = _window("blackman_window", window_length, dtype)
    if small is not None:
        return _finish(small, False, requires_grad)
    n = window_length + 1 if periodic else window_length
    w = _ramp(n, math.pi / (n - 1), dt)
    window = np.cos(w * dt.type(4)) * dt.type(0.08) - np.cos(w * dt.type(2)) * dt.type(0.5) + dt.type(0.42)
    return _finish(window, periodic, requires_grad)


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *, dtype: Any = None,
                  layout: Any = None, device: Any = None, pin_memory: bool = False,
                  requires_grad: bool = False) -> Tensor:
    """I0(beta * sqrt(1 - ((n - (N - 1) / 2) / ((N - 1) / 2))^2)) / I0(beta)."""
    dt, small = _window("kaiser_window", window_length, dtype)
    if small is not None:
        return _finish(small, False, requires_grad)
    n = window_length + 1 if periodic else window_length
    center = (n - 1) / 2.0
    ratio = (np.arange(n, dtype=np.float64) - center) / center
    with np.errstate(invalid="ignore"):
        window = np.i0(beta * np.sqrt(np.maximum(1 - ratio * ratio, 0.0))) / np.i0(beta)
    return _finish(window.astype(dt), periodic, requires_grad)


Tensor.histogram = _histogram_method
