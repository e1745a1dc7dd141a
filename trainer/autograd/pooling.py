"""Pooling ops over the last d axes of (*, *S) arrays (d = 2 or 3): max and average over sliding windows, adaptive
windows, max unpooling.

Windows are strided views (`as_strided`) reduced in one numpy call; backward rules scatter with
`np.bincount` (max: one input position per output) or add one shifted slice per kernel offset
(average). Leading axes are flattened into one axis of planes (volumes). 1-d pooling is the 2-d op on a
height-1 plane, as in PyTorch. Arguments are checked by the caller (`nn.functional.pooling`).
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .tensor import Tensor

Ints = tuple[int, ...]
Pair = Ints  # the 2-d callers' name


def pooled_size(size: int, kernel: int, stride: int, pad: int, dilation: int, ceil_mode: bool) -> int:
    """PyTorch's output length: floor (or ceil) of the window count, the last window starting inside the input
    or its left padding."""
    span = size + 2 * pad - dilation * (kernel - 1) - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _padded(a: np.ndarray, pad: Ints, out: Ints, kernel: Ints, stride: Ints, dilation: Ints,
            fill: float) -> np.ndarray:
    """Planes `a` (B, *S) padded by `pad` on both sides, and on the right as far as the last (ceil-mode) window
    reaches."""
    extra = [max(0, (out[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1 - (a.shape[1 + i] + 2 * pad[i]))
             for i in range(len(kernel))]
    if not any(pad) and not any(extra):
        return a
    widths = ((0, 0), *((p, p + e) for p, e in zip(pad, extra)))
    return np.pad(a, widths, mode="constant", constant_values=fill)


def _windows(p: np.ndarray, out: Ints, kernel: Ints, stride: Ints, dilation: Ints) -> np.ndarray:
    """A read-only (B, *out, *kernel) view of the windows of the padded planes `p` (B, *S)."""
    s, d = p.strides, len(kernel)
    return as_strided(p, (p.shape[0], *out, *kernel),
                      (s[0], *(s[1 + i] * stride[i] for i in range(d)), *(s[1 + i] * dilation[i] for i in range(d))),
                      writeable=False)


def _planes(a: np.ndarray, dims: int = 2) -> np.ndarray:
    """(*, *S) as (B, *S) for `dims` spatial axes."""
    return a.reshape(-1, *a.shape[a.ndim - dims:])


def _scatter(g: np.ndarray, flat_index: np.ndarray, shape: tuple[int, ...], dims: int = 2) -> np.ndarray:
    """Add each output gradient into the position `flat_index` names in its flattened input plane (volume)."""
    plane = math.prod(shape[len(shape) - dims:])
    lead = shape[:len(shape) - dims]
    count = math.prod(lead)
    base = (np.arange(count, dtype=np.int64) * plane).reshape(*lead, *(1,) * dims)
    summed = np.bincount((flat_index + base).reshape(-1), weights=g.reshape(-1).astype(np.float64, copy=False),
                         minlength=count * plane)
    return summed.astype(g.dtype, copy=False).reshape(shape)


def gather(v: np.ndarray, index: np.ndarray, dims: int) -> np.ndarray:
    """The adjoint of `_scatter`: each plane of `v` read at the flat positions `index` names."""
    lead = index.shape[:index.ndim - dims]
    return np.take_along_axis(v.reshape(*lead, -1), index.reshape(*lead, -1), -1).reshape(index.shape)


def _axis(values: np.ndarray, i: int, d: int) -> np.ndarray:
    """A 1-d array along spatial axis i of d, shaped to broadcast against (*out)."""
    return values.reshape((-1,) + (1,) * (d - 1 - i))


def max_pool(x: Tensor, kernel: Ints, stride: Ints, pad: Ints, dilation: Ints, ceil_mode: bool,
             op: str | None = None) -> tuple[Tensor, np.ndarray]:
    """Max over each window of the last len(kernel) axes (-inf padding); returns the output and int64 indices
    into each flattened input plane (volume).

    The first maximum in row-major window order wins, as in PyTorch's CPU kernel.
    """
    a, d = x._array, len(kernel)
    spatial, lead = a.shape[a.ndim - d:], a.shape[:a.ndim - d]
    out = tuple(pooled_size(spatial[i], kernel[i], stride[i], pad[i], dilation[i], ceil_mode) for i in range(d))
    planes = _planes(a, d)
    p = _padded(planes, pad, out, kernel, stride, dilation, -np.inf)
    win = _windows(p, out, kernel, stride, dilation).reshape(*lead, *out, math.prod(kernel))
    arg = np.argmax(win, axis=-1)
    values = np.take_along_axis(win, arg[..., None], axis=-1)[..., 0]
    offsets = [arg] * d  # the window offset along each axis, from the flat one
    for i in range(d - 1, 0, -1):
        offsets[0], offsets[i] = np.divmod(offsets[0], kernel[i])
    positions = [_axis(np.arange(out[i]) * stride[i] - pad[i], i, d)
                 + (offsets[i] if dilation[i] == 1 else offsets[i] * dilation[i]) for i in range(d)]
    index = positions[0]
    for i in range(1, d):
        index = index * spatial[i] + positions[i]
    if p is not planes:  # windows reach into padding: an all -inf one keeps its first position inside the input
        outside = functools.reduce(np.logical_or, [(q < 0) | (q >= n) for q, n in zip(positions, spatial)])
        if outside.any():
            first = _axis(_first_inside(out[0], stride[0], pad[0], dilation[0]), 0, d)
            for i in range(1, d):
                first = first * spatial[i] + _axis(_first_inside(out[i], stride[i], pad[i], dilation[i]), i, d)
            index = np.where(outside, first, index)
    shape = a.shape

    def backward(g: np.ndarray):
        return (_scatter(g, index, shape, d),)

    res = Tensor._make(values, (x,), backward, op or f"MaxPool{d}DWithIndices")
    res._ctx = (index, d)  # for `higher_order`
    return res, index


max_pool2d = max_pool


def _first_inside(out: int, stride: int, pad: int, dilation: int) -> np.ndarray:
    """Per output position, the first input position of its window that is not padding."""
    start = np.arange(out) * stride - pad
    return start + np.where(start < 0, -(start // dilation), 0) * dilation


def _avg_divisor(size: int, out: int, kernel: int, stride: int, pad: int, include_pad: bool) -> np.ndarray:
    """Per output position, the window length along one axis that divides the sum (PyTorch's pool_size rule)."""
    start = np.arange(out) * stride - pad
    end = np.minimum(start + kernel, size + pad)
    if include_pad:
        return end - start
    return np.minimum(end, size) - np.maximum(start, 0)


def avg_pool(x: Tensor, kernel: Ints, stride: Ints, pad: Ints, ceil_mode: bool, count_include_pad: bool,
             divisor_override: int | None, op: str | None = None) -> Tensor:
    """Mean over each window of the last len(kernel) axes (zero padding), divided as PyTorch divides: by
    `divisor_override`, by the window clipped to the padded input (`count_include_pad`), or by its part inside
    the input."""
    a, d = x._array, len(kernel)
    spatial, lead = a.shape[a.ndim - d:], a.shape[:a.ndim - d]
    ones = (1,) * d
    out = tuple(pooled_size(spatial[i], kernel[i], stride[i], pad[i], 1, ceil_mode) for i in range(d))
    p = _padded(_planes(a, d), pad, out, kernel, stride, ones, 0.0)
    sums = _windows(p, out, kernel, stride, ones).sum(axis=tuple(range(-d, 0))).reshape(*lead, *out)
    if divisor_override:
        divisor = np.asarray(divisor_override, dtype=a.dtype)
    else:
        sizes = [_avg_divisor(spatial[i], out[i], kernel[i], stride[i], pad[i], count_include_pad) for i in range(d)]
        divisor = functools.reduce(np.multiply.outer, sizes).astype(a.dtype)
    values = sums / divisor
    padded_shape = p.shape

    def backward(g: np.ndarray):
        share = _planes(g / divisor, d)
        gp = np.zeros(padded_shape, dtype=g.dtype)
        for k in itertools.product(*(range(n) for n in kernel)):
            gp[(slice(None), *(slice(k[i], k[i] + stride[i] * out[i], stride[i]) for i in range(d)))] += share
        inner = gp[(slice(None), *(slice(pad[i], pad[i] + spatial[i]) for i in range(d)))]
        return (inner.reshape(*lead, *spatial),)

    res = Tensor._make(values, (x,), backward, op or f"AvgPool{d}D")
    res._ctx = (kernel, stride, pad, ceil_mode, count_include_pad, divisor_override)  # for `higher_order`
    return res


avg_pool2d = avg_pool


def adaptive_bounds(size: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's adaptive windows: start = floor(i * size / out), end = ceil((i + 1) * size / out)."""
    i = np.arange(out, dtype=np.int64)
    return (i * size) // out, -(-((i + 1) * size) // out)


def _adaptive_mean_matrix(size: int, out: int, dtype: np.dtype) -> np.ndarray:
    """(size, out) matrix whose column i averages window i."""
    start, end = adaptive_bounds(size, out)
    j = np.arange(size).reshape(-1, 1)
    inside = (j >= start) & (j < end)
    return (inside / (end - start)).astype(dtype)


def adaptive_avg_pool(x: Tensor, out: Ints, op: str | None = None) -> Tensor:
    """Mean over adaptive windows of the last len(out) axes: separable, one small averaging matrix per axis."""
    a, d = x._array, len(out)
    mats = [_adaptive_mean_matrix(a.shape[a.ndim - d + i], out[i], a.dtype) for i in range(d)]
    values = a
    for i in range(d):
        values = np.moveaxis(np.moveaxis(values, i - d, -1) @ mats[i], -1, i - d)
    values = np.ascontiguousarray(values)

    def backward(g: np.ndarray):
        for i in reversed(range(d)):
            g = np.moveaxis(np.moveaxis(g, i - d, -1) @ mats[i].T, -1, i - d)
        return (g,)

    res = Tensor._make(values, (x,), backward, op or f"AdaptiveAvgPool{d}D")
    res._ctx = out  # for `higher_order`
    return res


adaptive_avg_pool2d = adaptive_avg_pool


def _adaptive_max_last(a: np.ndarray, out: int) -> tuple[np.ndarray, np.ndarray]:
    """Max and first argmax (as an index along the axis) over adaptive windows of the last axis.

    Windows of one length are gathered and reduced together: a loop over the few distinct lengths.
    """
    start, end = adaptive_bounds(a.shape[-1], out)
    length = end - start
    values = np.empty(a.shape[:-1] + (out,), dtype=a.dtype)
    index = np.empty(a.shape[:-1] + (out,), dtype=np.int64)
    for size in np.unique(length):
        pick = np.flatnonzero(length == size)
        positions = start[pick, None] + np.arange(size)
        win = a[..., positions]
        arg = np.argmax(win, axis=-1)
        values[..., pick] = np.take_along_axis(win, arg[..., None], axis=-1)[..., 0]
        index[..., pick] = start[pick] + arg
    return values, index


def adaptive_max_pool(x: Tensor, out: Ints, op: str | None = None) -> tuple[Tensor, np.ndarray]:
    """Max over adaptive windows of the last len(out) axes and int64 indices into each flattened input plane
    (the first maximum in row-major order: the max along the last axis, then along each axis before it, the
    first position holding the largest of those)."""
    a, d = x._array, len(out)
    values, index = _adaptive_max_last(a, out[-1])
    stride = a.shape[-1]
    for i in range(d - 2, -1, -1):  # axis i - d: reduce it, and keep the flat index within the axes after it
        values, pick = _adaptive_max_last(np.moveaxis(values, i - d, -1), out[i])
        values, pick = np.moveaxis(values, -1, i - d), np.moveaxis(pick, -1, i - d)
        index = pick * stride + np.take_along_axis(index, pick, axis=i - d)
        stride *= a.shape[a.ndim - d + i]
    values = np.ascontiguousarray(values)
    shape = a.shape

    def backward(g: np.ndarray):
        return (_scatter(g, index, shape, d),)

    res = Tensor._make(values, (x,), backward, op or f"AdaptiveMaxPool{d}D")
    res._ctx = (index, d)  # for `higher_order`
    return res, index


adaptive_max_pool2d = adaptive_max_pool


def max_unpool(x: Tensor, index: np.ndarray, size: Ints, op: str | None = None) -> Tensor:
    """Place each value at its flat index in a zero (*, *size) plane (later indices win on collisions)."""
    a, d = x._array, len(size)
    lead = a.shape[:a.ndim - d]
    count = math.prod(lead)
    plane = np.zeros((count, math.prod(size)), dtype=a.dtype)
    flat = index.reshape(count, -1)
    np.put_along_axis(plane, flat, a.reshape(count, -1), axis=1)
    shape = a.shape

    def backward(g: np.ndarray):
        return (np.take_along_axis(g.reshape(count, -1), flat, axis=1).reshape(shape),)

    return Tensor._make(plane.reshape(*lead, *size), (x,), backward, op or f"MaxUnpool{d}D")


max_unpool2d = max_unpool


def mean_spatial(x: Tensor, dims: int = 2) -> Tensor:
    """Mean over the last `dims` axes, kept (PyTorch's adaptive average pooling to all ones is this `mean`)."""
    a = x._array
    axes = tuple(range(a.ndim - dims, a.ndim))
    count = math.prod(a.shape[a.ndim - dims:])
    shape = a.shape
    values = a.mean(axis=axes, keepdims=True)
    res = Tensor._make(values, (x,), lambda g: (np.broadcast_to(g / count, shape),), "Mean1")
    res._ctx = (axes, True)  # for `higher_order`, as `ops.mean` records it
    return res
