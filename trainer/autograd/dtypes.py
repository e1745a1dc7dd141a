"""dtype names and the rules that map user input to numpy dtypes."""

from __future__ import annotations

from typing import Any

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
float16 = np.dtype(np.float16)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
bool_ = np.dtype(np.bool_)
float = float32  # noqa: A001 - PyTorch alias
double = float64
long = int64

_ALIASES = {
    "float": float32, "float32": float32, "torch.float32": float32,
    "double": float64, "float64": float64, "torch.float64": float64,
    "half": float16, "float16": float16,
    "long": int64, "int64": int64, "int": int32, "int32": int32,
    "bool": bool_,
}

_default_float = [float32]


def get_default_dtype() -> np.dtype:
    """The dtype of new floating-point tensors (float32 unless changed)."""
    return _default_float[0]


def set_default_dtype(dtype: Any) -> None:
    """Set the dtype of new floating-point tensors (float32 or float64)."""
    d = as_dtype(dtype)
    if d.kind != "f":
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float[0] = d


def as_dtype(dtype: Any) -> np.dtype:
    """Turn a dtype given as a string, numpy type or numpy dtype into a numpy dtype."""
    if isinstance(dtype, str):
        try:
            return _ALIASES[dtype.lower()]
        except KeyError:
            raise TypeError(f"unknown dtype {dtype!r}; expected one of {sorted(_ALIASES)}") from None
    return np.dtype(dtype)


def display_name(dtype: np.dtype) -> str:
    """PyTorch-style name used in reprs, e.g. `trainer.float64`."""
    return f"trainer.{'bool' if dtype == bool_ else dtype.name}"
