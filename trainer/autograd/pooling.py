"""Pooling ops over the last two axes of (*, H, W) arrays: max and average over sliding windows, adaptive windows.

Windows are strided views (`as_strided`) reduced in one numpy call; backward rules scatter with
`np.bincount` (max: one input position per output) or add one shifted slice per kernel offset
(average). Leading axes are flattened into one axis of planes. 1-d pooling is the 2-d op on a height-1
plane, as in PyTorch. Arguments are checked by the caller (`nn.functional.pooling`).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .tensor import Tensor

Pair = tuple[int, int]


def pooled_size(size: int, kernel: int, stride: int, pad: int, dilation: int, ceil_mode: bool) -> int:
    """PyTorch's output length: floor (or ceil) of the window count, the last window starting inside the input
    or its left padding."""
    span = size + 2 * pad - dilation * (kernel - 1) - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _padded(a: np.ndarray, pad: Pair, out: Pair, kernel: Pair, stride: Pair, dilation: Pair,
            fill: float) -> np.ndarray:
    """`a` padded by `pad` on both sides, and on the right as far as the last (ceil-mode) window reaches."""
    extra = []
    for i in range(2):
        need = (out[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1
        extra.append(max(0, need - (a.shape[1 + i] + 2 * pad[i])))
    widths = ((0, 0), (pad[0], pad[0] + extra[0]), (pad[1], pad[1] + extra[1]))
    if not any(pad) and not any(extra):
        return a
    return np.pad(a, widths, mode="constant", constant_values=fill)


def _windows(p: np.ndarray, out: Pair, kernel: Pair, stride: Pair, dilation: Pair) -> np.ndarray:
    """A read-only (B, OH, OW, KH, KW) view of the windows of the padded planes `p`."""
    s = p.strides
    return as_strided(p, (p.shape[0], out[0], out[1], kernel[0], kernel[1]),
                      (s[0], s[1] * stride[0], s[2] * stride[1], s[1] * dilation[0], s[2] * dilation[1]),
                      writeable=False)


def _planes(a: np.ndarray) -> np.ndarray:
    """(*, H, W) as (B, H, W)."""
    return a.reshape(-1, *a.shape[-2:])


def _scatter(g: np.ndarray, flat_index: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Add each output gradient into the position `flat_index` names in its (H*W) input plane."""
    plane = shape[-2] * shape[-1]
    count = int(np.prod(shape[:-2]))
    base = (np.arange(count, dtype=np.int64) * plane).reshape(*shape[:-2], 1, 1)
    summed = np.bincount((flat_index + base).reshape(-1), weights=g.reshape(-1).astype(np.float64, copy=False),
                         minlength=count * plane)
    return summed.astype(g.dtype, copy=False).reshape(shape)


def max_pool2d(x: Tensor, kernel: Pair, stride: Pair, pad: Pair, dilation: Pair, ceil_mode: bool,
               op: str = "MaxPool2DWithIndices") -> tuple[Tensor, np.ndarray]:
    """Max over each window (-inf padding); returns the output and int64 indices into each input plane.

    The first maximum in row-major window order wins, as in PyTorch's CPU kernel.
    """
    a = x._array
    h, w = a.shape[-2:]
    lead = a.shape[:-2]
    out = (pooled_size(h, kernel[0], stride[0], pad[0], dilation[0], ceil_mode),
           pooled_size(w, kernel[1], stride[1], pad[1], dilation[1], ceil_mode))
    p = _padded(_planes(a), pad, out, kernel, stride, dilation, -np.inf)
    win = _windows(p, out, kernel, stride, dilation).reshape(*lead, *out, kernel[0] * kernel[1])
    arg = np.argmax(win, axis=-1)
    values = np.take_along_axis(win, arg[..., None], axis=-1)[..., 0]
    kh, kw = np.divmod(arg, kernel[1])
    rows = np.arange(out[0]).reshape(-1, 1) * stride[0] - pad[0] + kh * dilation[0]
    cols = np.arange(out[1]) * stride[1] - pad[1] + kw * dilation[1]
    index = rows * w + cols
    outside = (rows < 0) | (rows >= h) | (cols < 0) | (cols >= w)
    if outside.any():  # an all -inf window: PyTorch keeps its first position inside the input
        index = np.where(outside, _first_inside(out[0], stride[0], pad[0], dilation[0]).reshape(-1, 1) * w
                         + _first_inside(out[1], stride[1], pad[1], dilation[1]), index)
    shape = a.shape

    def backward(g: np.ndarray):
        return (_scatter(g, index, shape),)

    res = Tensor._make(values, (x,), backward, op)
    res._ctx = index  # for `higher_order`
    return res, index


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


def avg_pool2d(x: Tensor, kernel: Pair, stride: Pair, pad: Pair, ceil_mode: bool, count_include_pad: bool,
               divisor_override: int | None, op: str = "AvgPool2D") -> Tensor:
    """Mean over each window (zero padding), divided as PyTorch divides: by `divisor_override`, by the window
    clipped to the padded input (`count_include_pad`), or by its part inside the input."""
    a = x._array
    h, w = a.shape[-2:]
    lead = a.shape[:-2]
    ones: Pair = (1, 1)
    out = (pooled_size(h, kernel[0], stride[0], pad[0], 1, ceil_mode),
           pooled_size(w, kernel[1], stride[1], pad[1], 1, ceil_mode))
    p = _padded(_planes(a), pad, out, kernel, stride, ones, 0.0)
    sums = _windows(p, out, kernel, stride, ones).sum(axis=(-2, -1)).reshape(*lead, *out)
    if divisor_override:
        divisor = np.asarray(divisor_override, dtype=a.dtype)
    else:
        dh = _avg_divisor(h, out[0], kernel[0], stride[0], pad[0], count_include_pad)
        dw = _avg_divisor(w, out[1], kernel[1], stride[1], pad[1], count_include_pad)
        divisor = np.multiply.outer(dh, dw).astype(a.dtype)
    values = sums / divisor
    padded_shape = p.shape

    def backward(g: np.ndarray):
        share = _planes(g / divisor)
        gp = np.zeros(padded_shape, dtype=g.dtype)
        for i in range(kernel[0]):
            for j in range(kernel[1]):
                gp[:, i:i + stride[0] * out[0]:stride[0], j:j + stride[1] * out[1]:stride[1]] += share
        return (gp[:, pad[0]:pad[0] + h, pad[1]:pad[1] + w].reshape(*lead, h, w),)

    res = Tensor._make(values, (x,), backward, op)
    res._ctx = (kernel, stride, pad, ceil_mode, count_include_pad, divisor_override)  # for `higher_order`
    return res


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


def adaptive_avg_pool2d(x: Tensor, out: Pair, op: str = "AdaptiveAvgPool2D") -> Tensor:
    """Mean over adaptive windows: separable, one small averaging matrix per axis."""
    a = x._array
    mh = _adaptive_mean_matrix(a.shape[-2], out[0], a.dtype)
    mw = _adaptive_mean_matrix(a.shape[-1], out[1], a.dtype)
    values = np.ascontiguousarray(np.swapaxes(np.swapaxes(a, -2, -1) @ mh, -2, -1) @ mw)

    def backward(g: np.ndarray):
        return (np.swapaxes(np.swapaxes(g @ mw.T, -2, -1) @ mh.T, -2, -1),)

    res = Tensor._make(values, (x,), backward, op)
    res._ctx = out  # for `higher_order`
    return res


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


def adaptive_max_pool2d(x: Tensor, out: Pair, op: str = "AdaptiveMaxPool2D") -> tuple[Tensor, np.ndarray]:
    """Max over adaptive windows and int64 indices into each input plane (the first maximum in row-major
    order: the max along rows, then the first row holding the largest of those)."""
    a = x._array
    w = a.shape[-1]
    row_max, col = _adaptive_max_last(a, out[1])
    values, row = _adaptive_max_last(np.swapaxes(row_max, -2, -1), out[0])
    values, row = np.ascontiguousarray(np.swapaxes(values, -2, -1)), np.swapaxes(row, -2, -1)
    index = row * w + np.take_along_axis(col, row, axis=-2)
    shape = a.shape

    def backward(g: np.ndarray):
        return (_scatter(g, index, shape),)

    res = Tensor._make(values, (x,), backward, op)
    res._ctx = index  # for `higher_order`
    return res, index


def max_unpool2d(x: Tensor, index: np.ndarray, size: Pair, op: str = "MaxUnpool2D") -> Tensor:
    """Place each value at its flat index in a zero (*, *size) plane (later indices win on collisions)."""
    a = x._array
    lead = a.shape[:-2]
    count = int(np.prod(lead))
    plane = np.zeros((count, size[0] * size[1]), dtype=a.dtype)
    flat = index.reshape(count, -1)
    np.put_along_axis(plane, flat, a.reshape(count, -1), axis=1)
    shape = a.shape

    def backward(g: np.ndarray):
        return (np.take_along_axis(g.reshape(count, -1), flat, axis=1).reshape(shape),)

    return Tensor._make(plane.reshape(*lead, *size), (x,), backward, op)


def mean_spatial(x: Tensor) -> Tensor:
    """Mean over the last two axes, kept (PyTorch's adaptive_avg_pool2d to (1, 1) is this `mean`)."""
    a = x._array
    count = math.prod(a.shape[-2:])
    shape = a.shape
    values = a.mean(axis=(-2, -1), keepdims=True)
    res = Tensor._make(values, (x,), lambda g: (np.broadcast_to(g / count, shape),), "Mean1")
    res._ctx = ((a.ndim - 2, a.ndim - 1), True)  # for `higher_order`, as `ops.mean` records it
    return res
