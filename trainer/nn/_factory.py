"""Helpers shared by layer constructors: the `device`/`dtype` keywords PyTorch layers accept."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.dtypes import as_dtype, get_default_dtype
from ..autograd.tensor import Tensor
from . import _arena
from .parameter import Parameter


def layer_dtype(dtype: Any, device: Any, layer: str) -> np.dtype:
    """The floating dtype new parameters get (the default dtype unless given); only the 'cpu' device exists."""
    if device is not None and not str(device).lower().startswith("cpu"):
        raise ValueError(f"{layer}: only the 'cpu' device exists, got {device!r}")
    d = get_default_dtype() if dtype is None else as_dtype(dtype)
    if d.kind != "f":
        raise TypeError(f"{layer}: parameters must have a floating dtype, got {d}")
    return d


def empty_parameter(shape: tuple[int, ...], dtype: np.dtype) -> Parameter:
    """A zero-filled parameter, to be initialised by the layer's `reset_parameters`.

    Its data is a view of the dtype's arena (`_arena`), next to the parameter created before it.
    """
    return Parameter(Tensor._wrap(_arena.take(shape, np.dtype(dtype))))  # shares the view, as Parameter(t) does
