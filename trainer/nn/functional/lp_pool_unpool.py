"""`lp_pool1d`, `lp_pool2d`, `lp_pool3d` (power-average pooling) and `max_unpool1d`, composed from the pooling
functions as PyTorch composes them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...autograd import ops
from ...autograd.tensor import Tensor
from .activations import relu
from .pooling import _as_triple, _tuple, avg_pool1d, avg_pool2d, avg_pool3d, max_pool3d, max_unpool2d

IntOrPair = int | Sequence[int]


def _lp(pooled: Tensor, norm_type: float, window: int) -> Tensor:
    """(sign(out) * relu(|out|) * window) ** (1 / norm_type), PyTorch's steps."""
    kept = ops.mul(pooled.sign(), relu(ops.abs(pooled)))
    return ops.pow(ops.mul(kept, window), 1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: int, stride: int | None = None,  # noqa: A002
              ceil_mode: bool = False) -> Tensor:
    """The `norm_type`-norm of each length-`kernel_size` window: (sum x^p)^(1/p)."""
    with np.errstate(invalid="ignore"):  # a negative input to a fractional power is nan, silently as in PyTorch
        out = avg_pool1d(ops.pow(input, norm_type), kernel_size, stride, 0, ceil_mode)
        return _lp(out, norm_type, kernel_size)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size: IntOrPair, stride: IntOrPair | None = None,  # noqa: A002
              ceil_mode: bool = False) -> Tensor:
    """The `norm_type`-norm of each (kH, kW) window: (sum x^p)^(1/p)."""
    kh, kw = _tuple(kernel_size, 2, "lp_pool2d", "kernel_size")
    with np.errstate(invalid="ignore"):
        out = avg_pool2d(ops.pow(input, norm_type), kernel_size, stride, 0, ceil_mode)
        return _lp(out, norm_type, kh * kw)


def lp_pool3d(input: Tensor, norm_type: float, kernel_size: IntOrPair, stride: IntOrPair | None = None,  # noqa: A002
              ceil_mode: bool = False) -> Tensor:
    """The `norm_type`-norm of each (kD, kH, kW) window: (sum x^p)^(1/p); +-inf is the max (min) of |x|."""
    kd, kh, kw = _as_triple(kernel_size)
    if norm_type == float("inf"):
        return max_pool3d(ops.abs(input), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -float("inf"):
        return ops.neg(max_pool3d(ops.neg(ops.abs(input)), kernel_size, stride, 0, 1, ceil_mode))
    with np.errstate(invalid="ignore"):
        out = avg_pool3d(ops.pow(input, norm_type), kernel_size, stride, 0, ceil_mode)
        return _lp(out, norm_type, kd * kh * kw)


def _unpool_size(length: int, k: int, s: int, p: int, output_size: Any) -> int:
    """The output length: the default, or `output_size` (1 or 3 entries) within a stride of it."""
    default = (length - 1) * s + k - 2 * p
    if output_size is None:
        return default
    sizes = list(output_size)
    if len(sizes) == 3:
        sizes = sizes[2:]
    if len(sizes) != 1:
        raise ValueError(f"output_size should be a sequence containing 1 or 3 elements, but it has a length of "
                         f"'{len(sizes)}'")
    if not default - s < sizes[0] < default + s:
        raise ValueError(f'invalid output_size "{list(sizes)}" (dim 0 must be between {default - s} and '
                         f"{default + s})")
    return int(sizes[0])


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size: int | Sequence[int],  # noqa: A002
                 stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
                 output_size: Sequence[int] | None = None) -> Tensor:
    """The inverse of max_pool1d given its indices: values back in place along the length, zeros elsewhere."""
    (k,) = _tuple(kernel_size, 1, "max_unpool1d", "kernel_size")
    (s,) = _tuple(stride, 1, "max_unpool1d", "stride", optional=True) or (k,)
    (p,) = _tuple(padding, 1, "max_unpool1d", "padding")
    length = _unpool_size(input.shape[-1], k, s, p, output_size)
    out = max_unpool2d(ops.unsqueeze(input, -1), ops.unsqueeze(indices, -1), (k, 1), (s, 1), (p, 0), (length, 1))
    return ops.squeeze(out, -1)
