"""Array kernels shared by the optimizers, written to follow ATen's arithmetic order."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd import Tensor


def grads_of(params: list[Tensor]) -> list[tuple[Tensor, np.ndarray]]:
    """(parameter, gradient array) for the parameters that have a gradient."""
    return [(p, p.grad.data) for p in params if p.grad is not None]


def signed(grad: np.ndarray, maximize: bool) -> np.ndarray:
    """The gradient, negated (as a new array) when maximizing."""
    return -grad if maximize else grad


def lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """In-place `start.lerp_(end, weight)` with ATen's two-sided formula (exact at weight 1)."""
    if abs(weight) < 0.5:
        start += weight * (end - start)
    else:
        one_minus = float(1 - start.dtype.type(weight))
        np.subtract(end, (end - start) * one_minus, out=start)
    return start


def lerp(start: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """Out-of-place `torch.lerp`."""
    return lerp_(np.array(start, copy=True), end, weight)


def addcmul_(target: np.ndarray, a: np.ndarray, b: Any, value: float = 1.0) -> np.ndarray:
    """`target += value * a * b` in place."""
    target += (value * a) * b if value != 1.0 else a * b
    return target


def addcdiv_(target: np.ndarray, a: np.ndarray, b: np.ndarray, value: float = 1.0) -> np.ndarray:
    """`target += value * a / b` in place."""
    target += (value * a) / b if value != 1.0 else a / b
    return target
