"""`alpha_dropout` and `feature_alpha_dropout`: SELU-preserving dropout (PyTorch's noise for the same seed)."""

from __future__ import annotations

import math

import numpy as np

from ...autograd import ops
from ...autograd.random import default_generator
from ...autograd.tensor import Tensor
from ._util import as_tensor

_ALPHA = 1.7580993408473766  # -SELU's scale times its alpha: where dropped units go


def _check(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _alpha_dropout(x: Tensor, p: float, training: bool, noise_shape: tuple[int, ...]) -> Tensor:
    """x * a * keep + a * alpha * (p + keep - 1), keep ~ Bernoulli(1 - p) of `noise_shape` (broadcast)."""
    if p == 0.0 or not training or x._array.size == 0:
        return x
    dtype = x._array.dtype
    if p == 1.0:
        return ops.mul(x, Tensor._wrap(np.zeros((), dtype)))
    keep = default_generator.bernoulli_scalar(math.prod(noise_shape), 1.0 - p).reshape(noise_shape).astype(dtype)
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1.0) * (1.0 - p))
    shift = (keep - 1.0) * dtype.type(_ALPHA * a) + dtype.type(_ALPHA * a * p)
    return ops.add(ops.mul(x, Tensor._wrap(keep * dtype.type(a))), Tensor._wrap(shift.astype(dtype)))


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:  # noqa: A002
    """Alpha dropout: dropped units set to SELU's negative saturation, the rest rescaled to keep mean and variance."""
    _check(p)
    x = as_tensor(input, "alpha_dropout", "input")
    out = _alpha_dropout(x, p, training, tuple(x._array.shape))
    return x.copy_(out) if inplace and out is not x else out


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,  # noqa: A002
                          inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels: one draw per (N, C), broadcast over the remaining dimensions."""
    _check(p)
    x = as_tensor(input, "feature_alpha_dropout", "input")
    if x._array.ndim < 2 and training and p != 0.0 and x._array.size:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    shape = tuple(x._array.shape[:2]) + (1,) * (x._array.ndim - 2)
    out = _alpha_dropout(x, p, training, shape)
    return x.copy_(out) if inplace and out is not x else out
