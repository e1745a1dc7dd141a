"""Array kernels shared by the optimizers, written to follow ATen's arithmetic order, and `Scratch`."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd import Tensor

Arrays = list[np.ndarray]  # one array per parameter: what the per-tensor update functions take


def grads_of(params: list[Tensor]) -> list[tuple[Tensor, np.ndarray]]:
    """(parameter, gradient array) for the parameters that have a gradient."""
    return [(p, p.grad._array) for p in params if p.grad is not None]


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


class Scratch:
    """Reusable temporaries for the fused update paths: two scratch arrays and cached 0-d constants.

    Owned by one optimizer and never part of its `state` or `state_dict`.
    """

    def __init__(self) -> None:
        self._views: dict[tuple[tuple[int, ...], np.dtype], tuple[np.ndarray, np.ndarray]] = {}
        self._flat: dict[np.dtype, tuple[np.ndarray, np.ndarray]] = {}
        self._constants: dict[tuple[str, np.dtype], list[np.ndarray]] = {}

    def buffers(self, like: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Two scratch arrays shaped like `like` for the temporaries of an update (contents undefined).

        They are views of two flat per-dtype buffers sized for the largest array seen and shared by all
        parameters (which are updated one after another), so a step allocates nothing and the optimizer
        keeps at most two parameters' worth of scratch.
        """
        key = (like.shape, like.dtype)
        views = self._views.get(key)
        if views is None:
            flat = self._flat.get(like.dtype)
            if flat is None or flat[0].size < like.size:
                flat = (np.empty(like.size, like.dtype), np.empty(like.size, like.dtype))
                self._flat[like.dtype] = flat
                self._views.clear()  # views of the old, smaller buffers
            views = (flat[0][: like.size].reshape(like.shape), flat[1][: like.size].reshape(like.shape))
            self._views[key] = views
        return views

    def scalars(self, name: str, dtype: np.dtype, values: tuple[float, ...]) -> list[np.ndarray]:
        """`values` as 0-d arrays of `dtype` (reused between calls under `name`), for ufunc operands.

        numpy converts a Python float operand to the array's dtype on every ufunc call (~0.4 µs each); a
        0-d array of that dtype holding the same value, rounded the same way, gives bit-identical results
        without that cost, which dominates updates of small parameters.
        """
        key = (name, dtype)
        arrays = self._constants.get(key)
        if arrays is None or len(arrays) != len(values):
            arrays = self._constants[key] = [np.zeros((), dtype) for _ in values]
        for arr, value in zip(arrays, values):
            arr[()] = value
        return arrays
