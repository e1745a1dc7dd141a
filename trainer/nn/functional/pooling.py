"""Pooling functions with PyTorch's names and arguments: max, average and adaptive pooling in 1, 2 and 3 dims,
max_unpool2d/3d.

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


_THREE = {"max_pool3d": ("must either be ", "must either be omitted, ", "must be either "),
          "avg_pool3d": ("must be ", "must be omitted, ", "must be ")}


def _triple(value: Any, fn: str, what: str) -> tuple[int, ...] | None:
    """A 3-d pooling argument as a 3-tuple (None for an omitted stride), with PyTorch's message otherwise."""
    try:
        return _tuple(value, 3, fn, what, optional=what == "stride")
    except RuntimeError:
        plain, omitted, either = _THREE[fn]
        lead = omitted if what == "stride" else either if what == "dilation" else plain
        raise RuntimeError(f"{fn}: {what} {lead}a single int, or a tuple of three ints") from None


def _input_3d(input: Any, fn: str, where: str) -> Tensor:  # noqa: A002
    x = as_tensor(input, fn, "input")
    a = x._array
    if a.ndim not in (4, 5):
        raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
    if 0 in a.shape[a.ndim - 4:]:
        raise RuntimeError(f"{where}: Expected input's non-batch dimensions to have positive length, but input has a "
                           f"shape of {list(a.shape)} and non-batch dimension 0 has length zero!")
    if a.dtype.kind != "f":
        raise RuntimeError(f"{fn}: expected a floating-point input, got dtype {a.dtype} (shape {list(a.shape)})")
    return x


def _window_args_3d(fn: str, x: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
                    ceil_mode: bool) -> tuple[tuple[int, ...], ...]:
    """(kernel, stride, padding, dilation) as 3-tuples after PyTorch's pool3d checks, in its order."""
    k = _triple(kernel_size, fn, "kernel_size")
    s = _triple(stride, fn, "stride") or k
    p = _triple(padding, fn, "padding")
    d = _triple(1 if fn == "avg_pool3d" else dilation, fn, "dilation")
    assert k is not None and p is not None and d is not None
    for i in range(3):  # pooling_output_shape, per axis (C++'s division, which truncates)
        if s[i] == 0:
            raise RuntimeError("stride should not be zero")
        if p[i] < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {p[i]}")
        if p[i] > int(((k[i] - 1) * d[i] + 1) / 2):
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p[i]}, "
                               f"kernel_size={k[i]} and dilation={d[i]}")
    if min(k) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kT: {k[0]} kH: {k[1]} kW: {k[2]}")
    if min(s) <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dT: {s[0]} dH: {s[1]} dW: {s[2]}")
    if min(d) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationT: {d[0]} dilationH: {d[1]} "
                           f"dilationW: {d[2]}")
    spatial = x.shape[-3:]
    if fn == "avg_pool3d" and any(n < kk for n, kk in zip(spatial, k)):
        raise RuntimeError(f"input image (T: {spatial[0]} H: {spatial[1]} W: {spatial[2]}) smaller than kernel size "
                           f"(kT: {k[0]} kH: {k[1]} kW: {k[2]})")
    if any(p[i] > k[i] // 2 for i in range(3)):
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got kT: {k[0]} kW: {k[2]} "
                           f"kH: {k[1]} padT: {p[0]} padW: {p[2]} padH: {p[1]}")
    out = [engine.pooled_size(spatial[i], k[i], s[i], p[i], d[i], ceil_mode) for i in range(3)]
    if min(out) < 1:
        c = x.shape[-4]
        raise RuntimeError(f"Given input size: ({c}x{'x'.join(map(str, spatial))}). Calculated output size: "
                           f"({c}x{'x'.join(map(str, out))}). Output size is too small")
    return k, s, p, d


def max_pool3d_with_indices(input: Tensor, kernel_size: int | Sequence[int],  # noqa: A002
                            stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
                            dilation: int | Sequence[int] = 1, ceil_mode: bool = False,
                            return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """Max over (kD, kH, kW) windows of an (N, C, D, H, W) or (C, D, H, W) input and the flat D*H*W index of each
    maximum."""
    x = _input_3d(input, "max_pool3d", "max_pool3d_with_indices_out_cpu_template()")
    k, s, p, d = _window_args_3d("max_pool3d", x, kernel_size, stride, padding, dilation, ceil_mode)
    out, index = engine.max_pool(x, k, s, p, d, ceil_mode)
    return out, _indices(index)


def max_pool3d(input: Tensor, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,  # noqa: A002
               padding: int | Sequence[int] = 0, dilation: int | Sequence[int] = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Any:
    """Max pooling over 3 spatial axes (padding counts as -inf); `return_indices` adds the flat indices."""
    out, index = max_pool3d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return (out, index) if return_indices else out


def avg_pool3d(input: Tensor, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,  # noqa: A002
               padding: int | Sequence[int] = 0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """Average over (kD, kH, kW) windows (zero padding, counted unless `count_include_pad=False`)."""
    x = _input_3d(input, "avg_pool3d", "avg_pool3d()")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    k, s, p, _ = _window_args_3d("avg_pool3d", x, kernel_size, stride, padding, 1, ceil_mode)
    return engine.avg_pool(x, k, s, p, ceil_mode, count_include_pad, divisor_override)


def _adaptive_input_3d(input: Any, fn: str) -> Tensor:  # noqa: A002
    x = as_tensor(input, fn, "input")
    a = x._array
    if a.ndim not in (4, 5):
        raise RuntimeError(f"{fn}(): Expected 4D or 5D tensor, but got{':' if 'max' in fn else ''} {list(a.shape)}")
    for i in range(1, 4) if a.ndim == 4 else range(2, 5):
        if a.shape[i] == 0:
            raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch dimensions, but input "
                               f"has sizes {list(a.shape)} with dimension {i} being empty")
    if a.dtype.kind != "f":
        raise RuntimeError(f"{fn}: expected a floating-point input, got dtype {a.dtype} (shape {list(a.shape)})")
    return x


def _output_size_3d(fn: str, x: Tensor, output_size: Any) -> tuple[int, int, int]:
    """The adaptive output size as (depth, height, width): None entries keep the input's size."""
    if isinstance(output_size, int | np.integer) or output_size is None:
        sizes = [output_size] * 3
    elif isinstance(output_size, Sequence):
        sizes = list(output_size)
    else:
        raise TypeError(f"object of type '{type(output_size).__name__}' has no len()")
    if len(sizes) != 3:
        raise RuntimeError(f"{fn}(): internal error: output_size.size() must be 3" if "max" in fn
                           else f"{fn}: output_size must be 3")
    resolved = [int(x.shape[i - 3]) if v is None else v for i, v in enumerate(sizes)]
    if any(not isinstance(v, int | np.integer) or isinstance(v, bool) for v in resolved):
        raise TypeError(f"{fn}: output_size must hold ints or None, got {output_size!r}")
    if min(resolved) < 0:
        if "max" in fn:
            shape = [*x.shape[:-3], *resolved]
            raise RuntimeError(f"Trying to create tensor with negative dimension {min(resolved)}: {shape}")
        shown = ", ".join(str(v) for v in resolved[:2]) + "," + str(resolved[2])  # PyTorch's own spacing
        raise RuntimeError(f"{fn}: elements of output_size must be greater than or equal to 0 but received "
                           f"{{{shown}}}")
    return int(resolved[0]), int(resolved[1]), int(resolved[2])


def adaptive_avg_pool3d(input: Tensor, output_size: int | None | Sequence[int | None]) -> Tensor:  # noqa: A002
    """Average over windows start=floor(i*D/out), end=ceil((i+1)*D/out) (per axis), to `output_size`."""
    x = _adaptive_input_3d(input, "adaptive_avg_pool3d")
    out = _output_size_3d("adaptive_avg_pool3d", x, output_size)
    if out == (1, 1, 1):
        return engine.mean_spatial(x, 3)
    return engine.adaptive_avg_pool(x, out)


def adaptive_max_pool3d_with_indices(input: Tensor, output_size: int | None | Sequence[int | None],  # noqa: A002
                                     return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """Max over adaptive windows and the flat D*H*W index of each maximum."""
    x = _adaptive_input_3d(input, "adaptive_max_pool3d")
    out, index = engine.adaptive_max_pool(x, _output_size_3d("adaptive_max_pool3d", x, output_size))
    return out, _indices(index)


def adaptive_max_pool3d(input: Tensor, output_size: int | None | Sequence[int | None],  # noqa: A002
                        return_indices: bool = False) -> Any:
    """Max over adaptive windows of 3 spatial axes; `return_indices` adds the flat indices."""
    out, index = adaptive_max_pool3d_with_indices(input, output_size)
    return (out, index) if return_indices else out


def unpool_output_size(input: Tensor, kernel: Sequence[int], stride: Sequence[int],  # noqa: A002
                       padding: Sequence[int], output_size: Sequence[int] | None) -> Sequence[int]:
    """PyTorch's `_unpool_output_size`: the default size, or `output_size` (d or d + 2 entries) within a stride."""
    n = len(kernel)
    if len(stride) < n or len(padding) < n:
        raise IndexError("tuple index out of range")
    default = [(input.shape[i - n] - 1) * stride[i] + kernel[i] - 2 * padding[i] for i in range(n)]
    if output_size is None:
        return default
    if len(output_size) == n + 2:
        output_size = output_size[2:]
    if len(output_size) != n:
        raise ValueError(f"output_size should be a sequence containing {n} or {n + 2} elements, but it has a length "
                         f"of '{len(output_size)}'")
    for i in range(n):
        lo, hi = default[i] - stride[i], default[i] + stride[i]
        if not lo < output_size[i] < hi:
            raise ValueError(f'invalid output_size "{output_size}" (dim {i} must be between {lo} and {hi})')
    return output_size


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size: int | Sequence[int],  # noqa: A002
                 stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
                 output_size: Sequence[int] | None = None) -> Tensor:
    """The inverse of max_pool3d: each value back at its flat index in a zero volume, the rest 0."""
    x = as_tensor(input, "max_unpool3d", "input")
    k = _as_triple(kernel_size)
    s = _as_triple(stride) if stride is not None else k
    p = _as_triple(padding)
    size = [int(v) for v in unpool_output_size(x, k, s, p, output_size)]
    index = indices._array
    if index.dtype != np.int64:
        raise RuntimeError("elements in indices should be type int64")
    if x.ndim not in (4, 5):
        raise RuntimeError(f"Input to max_unpooling3d should be a 4d or 5d Tensor, but got a tensor with {x.ndim} "
                           "dimensions.")
    if index.shape != tuple(x.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor ({list(x.shape)}) but "
                           f"got indices tensor with shape: {list(index.shape)}")
    if len(size) != 3:
        raise RuntimeError(f"There should be exactly three elements (depth, height, width) in output_size, but got "
                           f"{len(size)} elements.")
    bad = (index < 0) | (index >= size[0] * size[1] * size[2])
    if bad.any():  # PyTorch names the one its (threaded) loop meets first; this is the first in memory order
        raise RuntimeError(f"Found an invalid max index: {int(index[bad].reshape(-1)[0])} (output volumes are of size "
                           f"{size[0]}x{size[1]}x{size[2]})")
    return engine.max_unpool(x, index, (size[0], size[1], size[2]))


def _as_triple(value: Any) -> tuple[int, ...]:
    """PyTorch's `_triple`: an int three times, a sequence as it is."""
    return tuple(int(v) for v in value) if isinstance(value, Sequence) else (int(value),) * 3
