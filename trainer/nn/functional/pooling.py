"""Pooling functions with PyTorch's names and arguments: max, average and adaptive pooling, max_unpool2d.

Arguments are checked here with PyTorch's messages; the engine (`autograd.pooling`) computes. 1-d
pooling unsqueezes a height-1 axis, pools in 2-d and squeezes it again, as PyTorch does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...autograd import ops
from ...autograd import pooling as engine
from ...autograd.tensor import Tensor
from ._util import as_tensor

IntOrPair = int | Sequence[int]


def _tuple(value: Any, n: int, fn: str, what: str, optional: bool = False) -> tuple[int, ...] | None:
    """An int or a sequence of `n` ints as a tuple (None or [] for an omitted `optional` argument)."""
    if optional and (value is None or (isinstance(value, Sequence) and len(value) == 0)):
        return None
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return (int(value),) * n
    if isinstance(value, Sequence) and len(value) in (1, n) and all(
            isinstance(v, int | np.integer) and not isinstance(v, bool) for v in value):
        return tuple(int(v) for v in value) * (n // len(value))
    if n == 1:
        article = "None, an int" if optional else "an int"
        raise RuntimeError(f"{fn}() {what} must be {article}, list of ints, or tuple of ints of size 1, got {value!r}")
    omitted = "omitted, " if optional else ""
    raise RuntimeError(f"{fn}: {what} must either be {omitted}a single int, or a tuple of two ints")


def _input(input: Any, fn: str, dims: int) -> Tensor:  # noqa: A002
    """The input as a Tensor of shape (N, C, *spatial) or (C, *spatial), floating point, no empty spatial axis."""
    x = as_tensor(input, fn, "input")
    a = x._array
    if a.ndim not in (dims + 1, dims + 2):
        if dims == 2:
            raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
        if fn == "max_pool1d":
            raise RuntimeError(f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                               f"input, but got:{list(a.shape)}")
        raise RuntimeError(f"Expected {dims + 1} to {dims + 2} dimensions, but got {a.ndim}-dimensional tensor for "
                           f"argument #1 'self' (while checking arguments for {fn})")
    if 0 in a.shape[-dims - 1:]:
        raise RuntimeError(f"{fn}: Expected {dims + 1}D or {dims + 2}D (batch mode) tensor with optional 0 dim batch "
                           f"size for input, but got:{list(a.shape)}")
    if a.dtype.kind != "f":
        raise RuntimeError(f"{fn}: expected a floating-point input, got dtype {a.dtype} (shape {list(a.shape)})")
    return x


def _check_1d(fn: str, k: int, s: int, p: int, d: int, size: int, ceil_mode: bool) -> None:
    """max_pool1d's own checks and messages."""
    for what, v, ok in (("kernel_size", k, k > 0), ("stride", s, s > 0), ("dilation", d, d > 0)):
        if not ok:
            raise RuntimeError(f"{fn}() {what} must be greater than zero, but got {v}")
    if p < 0:
        raise RuntimeError(f"{fn}() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"{fn}() padding should be at most half of kernel size, but got padding={p} and "
                           f"kernel_size={k}")
    out = engine.pooled_size(size, k, s, p, d, ceil_mode)
    if out < 1:
        raise RuntimeError(f"{fn}() Invalid computed output size: {out}")


def _check_2d(x: Tensor, k: tuple[int, ...], s: tuple[int, ...], p: tuple[int, ...], d: tuple[int, ...],
              ceil_mode: bool) -> None:
    """PyTorch's 2-d checks in its order: each axis's output-size rules, then the shape check."""
    for i in range(2):
        if s[i] == 0:
            raise RuntimeError("stride should not be zero")
        if p[i] < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {p[i]}")
        if p[i] > ((k[i] - 1) * d[i] + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p[i]}, "
                               f"kernel_size={k[i]} and dilation={d[i]}")
    if min(k) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {k[0]} kW: {k[1]}")
    if min(s) <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {s[0]} dW: {s[1]}")
    if min(d) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: {d[0]} dilationW: {d[1]}")
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got padW = {p[1]}, "
                           f"padH = {p[0]}, kW = {k[1]}, kH = {k[0]}")
    h, w = x.shape[-2:]
    out = [engine.pooled_size((h, w)[i], k[i], s[i], p[i], d[i], ceil_mode) for i in range(2)]
    if min(out) < 1:
        c = x.shape[-3]
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{out[0]}x{out[1]}). "
                           "Output size is too small")


def _window_args(fn: str, x: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: bool,
                 dims: int) -> tuple[tuple[int, ...], ...]:
    """(kernel, stride, padding, dilation) as 2-tuples after PyTorch's checks (1-d ones become (1, k), ...)."""
    k = _tuple(kernel_size, dims, fn, "kernel_size")
    s = _tuple(stride, dims, fn, "stride", optional=True) or k
    p = _tuple(padding, dims, fn, "padding")
    d = _tuple(dilation, dims, fn, "dilation")
    if fn == "max_pool1d":
        _check_1d(fn, k[0], s[0], p[0], d[0], x.shape[-1], ceil_mode)
    if dims == 1:
        k, s, p, d = (1, *k), (1, *s), (0, *p), (1, *d)
        x = ops.unsqueeze(x, -2)
    _check_2d(x, k, s, p, d, ceil_mode)
    return k, s, p, d


def _indices(index: np.ndarray) -> Tensor:
    return Tensor._wrap(index.astype(np.int64, copy=False))


def max_pool2d_with_indices(input: Tensor, kernel_size: IntOrPair, stride: IntOrPair | None = None,  # noqa: A002
                            padding: IntOrPair = 0, dilation: IntOrPair = 1, ceil_mode: bool = False,
                            return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """Max over (kH, kW) windows of an (N, C, H, W) or (C, H, W) input and the flat H*W index of each maximum."""
    x = _input(input, "max_pool2d", 2)
    k, s, p, d = _window_args("max_pool2d", x, kernel_size, stride, padding, dilation, ceil_mode, 2)
    out, index = engine.max_pool2d(x, k, s, p, d, ceil_mode)
    return out, _indices(index)


def max_pool2d(input: Tensor, kernel_size: IntOrPair, stride: IntOrPair | None = None,  # noqa: A002
               padding: IntOrPair = 0, dilation: IntOrPair = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Any:
    """Max pooling over 2 spatial axes (padding counts as -inf); `return_indices` adds the flat indices."""
    out, index = max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return (out, index) if return_indices else out


def max_pool1d_with_indices(input: Tensor, kernel_size: IntOrPair, stride: IntOrPair | None = None,  # noqa: A002
                            padding: IntOrPair = 0, dilation: IntOrPair = 1, ceil_mode: bool = False,
                            return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """Max over length-k windows of an (N, C, L) or (C, L) input and the index of each maximum."""
    x = _input(input, "max_pool1d", 1)
    k, s, p, d = _window_args("max_pool1d", x, kernel_size, stride, padding, dilation, ceil_mode, 1)
    out, index = engine.max_pool2d(ops.unsqueeze(x, -2), k, s, p, d, ceil_mode)
    return ops.squeeze(out, -2), _indices(index[..., 0, :])


def max_pool1d(input: Tensor, kernel_size: IntOrPair, stride: IntOrPair | None = None,  # noqa: A002
               padding: IntOrPair = 0, dilation: IntOrPair = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Any:
    """Max pooling over the last axis; `return_indices` adds the indices."""
    out, index = max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return (out, index) if return_indices else out


def avg_pool2d(input: Tensor, kernel_size: IntOrPair, stride: IntOrPair | None = None,  # noqa: A002
               padding: IntOrPair = 0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """Average over (kH, kW) windows (zero padding, counted unless `count_include_pad=False`)."""
    x = _input(input, "avg_pool2d", 2)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("avg_pool2d: divisor must be not zero")
    k, s, p, _ = _window_args("avg_pool2d", x, kernel_size, stride, padding, 1, ceil_mode, 2)
    return engine.avg_pool2d(x, k, s, p, ceil_mode, count_include_pad, divisor_override)


def avg_pool1d(input: Tensor, kernel_size: IntOrPair, stride: IntOrPair | None = None,  # noqa: A002
               padding: IntOrPair = 0, ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:
    """Average over length-k windows of an (N, C, L) or (C, L) input."""
    x = _input(input, "avg_pool1d", 1)
    k, s, p, _ = _window_args("avg_pool1d", x, kernel_size, stride, padding, 1, ceil_mode, 1)
    out = engine.avg_pool2d(ops.unsqueeze(x, -2), k, s, p, ceil_mode, count_include_pad, None)
    return ops.squeeze(out, -2)


def _output_size(fn: str, x: Tensor, output_size: Any, dims: int) -> tuple[int, int]:
    """The adaptive output size as (height, width): None entries keep the input's size."""
    if isinstance(output_size, int | np.integer) or output_size is None:
        sizes = [output_size] * dims
    elif isinstance(output_size, Sequence):
        sizes = list(output_size)
    else:
        raise TypeError(f"{fn}: output_size must be an int, None or a tuple of them, got {output_size!r}")
    if len(sizes) != dims:
        if dims == 1:
            raise RuntimeError(f"{fn}() argument 'output_size' should contain one int (got {len(sizes)})")
        raise RuntimeError(f"{fn}: output_size must be {dims}")
    spatial = x.shape[-dims:]
    resolved = [int(spatial[i]) if v is None else v for i, v in enumerate(sizes)]
    if any(not isinstance(v, int | np.integer) or isinstance(v, bool) for v in resolved):
        raise TypeError(f"{fn}: output_size must hold ints or None, got {output_size!r}")
    if min(resolved) < 0:
        shown = ", ".join(str(v) for v in resolved)
        raise RuntimeError(f"{fn}: elements of output_size must be greater than or equal to 0 but received "
                           f"{{{shown}}}")
    out = [int(v) for v in resolved]
    return (1, out[0]) if dims == 1 else (out[0], out[1])


def _adaptive_input(input: Any, fn: str, dims: int) -> Tensor:  # noqa: A002
    x = as_tensor(input, fn, "input")
    a = x._array
    if a.ndim not in (dims + 1, dims + 2):
        if dims == 1:
            raise RuntimeError(f"Expected 2 to 3 dimensions, but got {a.ndim}-dimensional tensor for argument #1 "
                               f"'self' (while checking arguments for {fn})")
        colon = ":" if "max" in fn else ""
        raise RuntimeError(f"{fn}(): Expected 3D or 4D tensor, but got{colon} {list(a.shape)}")
    for i in range(1, a.ndim) if a.ndim == dims + 1 else range(2, a.ndim):
        if a.shape[i] == 0:
            raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch dimensions, but input "
                               f"has sizes {list(a.shape)} with dimension {i} being empty")
    if a.dtype.kind != "f":
        raise RuntimeError(f"{fn}: expected a floating-point input, got dtype {a.dtype} (shape {list(a.shape)})")
    return x


def adaptive_avg_pool2d(input: Tensor, output_size: int | None | Sequence[int | None]) -> Tensor:  # noqa: A002
    """Average over windows start=floor(i*H/out), end=ceil((i+1)*H/out) (per axis), to `output_size`."""
    x = _adaptive_input(input, "adaptive_avg_pool2d", 2)
    out = _output_size("adaptive_avg_pool2d", x, output_size, 2)
    if out == (1, 1):
        return engine.mean_spatial(x)
    return engine.adaptive_avg_pool2d(x, out)


def adaptive_avg_pool1d(input: Tensor, output_size: int | Sequence[int]) -> Tensor:  # noqa: A002
    """Average over adaptive windows of the last axis of an (N, C, L) or (C, L) input."""
    x = _adaptive_input(input, "adaptive_avg_pool1d", 1)
    out = _output_size("adaptive_avg_pool1d", x, output_size, 1)
    x2 = ops.unsqueeze(x, -2)
    pooled = engine.mean_spatial(x2) if out == (1, 1) else engine.adaptive_avg_pool2d(x2, out)
    return ops.squeeze(pooled, -2)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size: int | None | Sequence[int | None],  # noqa: A002
                                     return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """Max over adaptive windows and the flat H*W index of each maximum."""
    x = _adaptive_input(input, "adaptive_max_pool2d", 2)
    out, index = engine.adaptive_max_pool2d(x, _output_size("adaptive_max_pool2d", x, output_size, 2))
    return out, _indices(index)


def adaptive_max_pool2d(input: Tensor, output_size: int | None | Sequence[int | None],  # noqa: A002
                        return_indices: bool = False) -> Any:
    """Max over adaptive windows; `return_indices` adds the flat indices."""
    out, index = adaptive_max_pool2d_with_indices(input, output_size)
    return (out, index) if return_indices else out


def adaptive_max_pool1d_with_indices(input: Tensor, output_size: int | Sequence[int],  # noqa: A002
                                     return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """Max over adaptive windows of the last axis and the index of each maximum."""
    x = _adaptive_input(input, "adaptive_max_pool1d", 1)
    out, index = engine.adaptive_max_pool2d(ops.unsqueeze(x, -2), _output_size("adaptive_max_pool1d", x,
                                                                               output_size, 1))
    return ops.squeeze(out, -2), _indices(index[..., 0, :])


def adaptive_max_pool1d(input: Tensor, output_size: int | Sequence[int],  # noqa: A002
                        return_indices: bool = False) -> Any:
    """Max over adaptive windows of the last axis; `return_indices` adds the indices."""
    out, index = adaptive_max_pool1d_with_indices(input, output_size)
    return (out, index) if return_indices else out


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size: IntOrPair, stride: IntOrPair | None = None,  # noqa: A002
                 padding: IntOrPair = 0, output_size: Sequence[int] | None = None) -> Tensor:
    """The inverse of max_pool2d: each value back at its index in a zero plane, the rest 0."""
    x = as_tensor(input, "max_unpool2d", "input")
    k = _tuple(kernel_size, 2, "max_unpool2d", "kernel_size")
    s = _tuple(stride, 2, "max_unpool2d", "stride", optional=True) or k
    p = _tuple(padding, 2, "max_unpool2d", "padding")
    if x.ndim not in (3, 4):
        raise RuntimeError(f"max_unpool2d: Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor "
                           f"with {x.ndim} dimensions.")
    default = tuple((x.shape[-2 + i] - 1) * s[i] - 2 * p[i] + k[i] for i in range(2))
    size = default if output_size is None else tuple(int(v) for v in output_size)[-2:]
    index = indices._array
    if index.shape != tuple(x.shape):
        raise RuntimeError(f"max_unpool2d: Expected shape of indices to be same as that of the input tensor "
                           f"({list(x.shape)}) but got indices tensor with shape: {list(index.shape)}")
    if index.size and (index.min() < 0 or index.max() >= size[0] * size[1]):
        raise RuntimeError(f"max_unpool2d: Found an invalid max index: {int(index.max())} (output volumes are of "
                           f"size {size[0]}x{size[1]})")
    return engine.max_unpool2d(x, index, (size[0], size[1]))
