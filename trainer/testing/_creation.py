"""`torch.testing.make_tensor`: a tensor of random values in [low, high), drawn from the default generator as
PyTorch draws them (`randint` for booleans and integers, `uniform_` for floats), so the values for a seed are
PyTorch's."""

from __future__ import annotations

import collections.abc
import functools
import math
import warnings
from typing import Any

import numpy as np

from ..autograd.creation import empty, randint
from ..autograd.device import as_device
from ..autograd.dtype_info import finfo, iinfo
from ..autograd.tensor import Tensor

__all__ = ["make_tensor"]

_BOOL = np.dtype(np.bool_)
_INTEGRAL_TYPES = [np.dtype(t) for t in (np.uint8, np.int8, np.int16, np.int32, np.int64)]
_FLOATING_TYPES = [np.dtype(t) for t in (np.float16, np.float32, np.float64)]
_BOOLEAN_OR_INTEGRAL_TYPES = [_BOOL, *_INTEGRAL_TYPES]


def _uniform_random_(t: Tensor, low: float, high: float) -> Tensor:
    if high - low >= finfo(t.dtype).max:
        return t.uniform_(low / 2, high / 2).mul_(2)
    return t.uniform_(low, high)


def make_tensor(*shape: Any, dtype: Any, device: Any, low: float | None = None, high: float | None = None,
                requires_grad: bool = False, noncontiguous: bool = False, exclude_zero: bool = False,
                memory_format: Any = None) -> Tensor:
    """A tensor of `shape` and `dtype` filled with values uniform in [low, high) (defaults: [-9, 9) for floats,
    [-9, 10) for integers, booleans either), clamped to what the dtype holds; `noncontiguous` gives a strided view,
    `exclude_zero` replaces zeros by 1 (integers) or the dtype's smallest normal number."""
    key = np.dtype(dtype) if dtype is not None else None

    def modify_low_high(low: float | None, high: float | None, *, lowest_inclusive: float, highest_exclusive: float,
                        default_low: float, default_high: float) -> tuple[float, float]:
        def clamp(a: float, lo: float, hi: float) -> float:
            return min(max(a, lo), hi)

        low = low if low is not None else default_low
        high = high if high is not None else default_high
        if any(isinstance(value, float) and math.isnan(value) for value in [low, high]):
            raise ValueError(f"`low` and `high` cannot be NaN, but got low={low!r} and high={high!r}")
        elif low == high and key in _FLOATING_TYPES:
            warnings.warn("Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is "
                          "deprecated since 2.1 and will be removed in 2.3. Use `torch.full(...)` instead.",
                          FutureWarning, stacklevel=3)
        elif low >= high:
            raise ValueError(f"`low` must be less than `high`, but got {low} >= {high}")
        elif high < lowest_inclusive or low >= highest_exclusive:
            raise ValueError(f"The value interval specified by `low` and `high` is [{low}, {high}), but {dtype} only "
                             f"supports [{lowest_inclusive}, {highest_exclusive})")
        low = clamp(low, lowest_inclusive, highest_exclusive)
        high = clamp(high, lowest_inclusive, highest_exclusive)
        if key in _BOOLEAN_OR_INTEGRAL_TYPES:
            return math.ceil(low), math.ceil(high)
        return low, high

    if len(shape) == 1 and isinstance(shape[0], collections.abc.Sequence):
        shape = shape[0]
    shape = tuple(shape)
    if noncontiguous and memory_format is not None:
        raise ValueError(f"The parameters `noncontiguous` and `memory_format` are mutually exclusive, but got "
                         f"noncontiguous={noncontiguous!r} and memory_format={memory_format!r}")
    if requires_grad and key in _BOOLEAN_OR_INTEGRAL_TYPES:
        raise ValueError(f"`requires_grad=True` is not supported for boolean and integral dtypes, but got "
                         f"dtype={dtype!r}")
    as_device(device)
    noncontiguous = noncontiguous and functools.reduce(lambda x, y: x * y, shape, 1) > 1
    if noncontiguous:
        shape = (*shape[:-1], 2 * shape[-1])
    if key == _BOOL:
        low, high = modify_low_high(low, high, lowest_inclusive=0, highest_exclusive=2, default_low=0, default_high=2)
        result = randint(int(low), int(high), shape, dtype=dtype)
    elif key in _INTEGRAL_TYPES:
        info = iinfo(dtype)
        low, high = modify_low_high(low, high, lowest_inclusive=info.min,
                                    highest_exclusive=info.max + (1 if key != np.int64 else 0),
                                    default_low=-9, default_high=10)
        result = randint(int(low), int(high), shape, dtype=dtype)
    elif key in _FLOATING_TYPES:
        info = finfo(dtype)
        low, high = modify_low_high(low, high, lowest_inclusive=info.min, highest_exclusive=info.max, default_low=-9,
                                    default_high=9)
        result = empty(shape, dtype=dtype)
        _uniform_random_(result, low, high)
    else:
        raise TypeError(f"The requested dtype '{dtype}' is not supported by torch.testing.make_tensor(). To request "
                        "support, file an issue at: https://github.com/pytorch/pytorch/issues")
    if noncontiguous:
        result = result[..., 1::2]
    elif memory_format is not None:  # trainer keeps one (contiguous) layout
        result = result.clone()
    if exclude_zero:
        result[result == 0] = 1 if key in _BOOLEAN_OR_INTEGRAL_TYPES else float(finfo(dtype).tiny)
    if key in _FLOATING_TYPES:
        result.requires_grad = requires_grad
    return result

