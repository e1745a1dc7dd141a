"""Flatten parameters into one vector and back."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ...autograd.ops import cat
from ...autograd.tensor import Tensor


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and concatenated into one 1-D tensor (differentiable, like PyTorch's)."""
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of the 1-D `vec` into the parameters, in place (they keep their identity)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected Tensor, but got: {type(vec).__name__}")
    values = vec._array
    pointer = 0
    for p in parameters:
        n = p._array.size
        np.copyto(p._array, values[pointer:pointer + n].reshape(p._array.shape), casting="unsafe")
        pointer += n
