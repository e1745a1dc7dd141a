"""Dims, shapes, NaN tests and dtype names shared by the statistics modules (selection, reductions, quantiles,
scans, distances, searching, covariance)."""

from __future__ import annotations

import builtins

import numpy as np


def _axis(dim: int, ndim: int) -> int:
    """One dim wrapped like PyTorch's (a 0-d tensor takes 0 and -1)."""
    n = builtins.max(ndim, 1)
    if not isinstance(dim, int | np.integer) or isinstance(dim, bool):
        raise TypeError(f"argument 'dim' must be int, not {type(dim).__name__}")
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return int(dim) % n


def _reduced_shape(shape: tuple[int, ...], axis: int, keepdim: bool) -> tuple[int, ...]:
    if not shape:
        return ()
    return shape[:axis] + ((1,) if keepdim else ()) + shape[axis + 1:]


def _is_nan(x: np.ndarray) -> np.ndarray:
    return x != x


def _torch_name(dt: np.dtype) -> str:
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
            "float32": "Float", "float64": "Double", "float16": "Half"}.get(np.dtype(dt).name, str(dt))
