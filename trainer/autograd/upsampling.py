"""Nearest and (bi)linear resizing of the last one or two axes, with PyTorch's source-index rules.

Each axis is resized on its own (gathers at source indices, blended by lambdas for linear modes);
2-d bilinear interpolation blends along the width first, then the height, as PyTorch's kernel does.
Backward rules add each output gradient back at its source indices (`np.bincount`, or `np.add.reduceat`
over whole rows: the indices are non-decreasing).
"""

from __future__ import annotations

import numpy as np

from .tensor import Tensor


def _scale(size: int, out: int, scale: float | None, align_corners: bool, dtype: type) -> np.generic:
    """PyTorch's `area_pixel_compute_scale`: input/output (or 1/scale_factor), (in-1)/(out-1) aligned."""
    if align_corners:
        return dtype(size - 1) / dtype(out - 1) if out > 1 else dtype(0)
    if scale is not None and scale > 0:
        return dtype(1.0 / scale)
    return dtype(size) / dtype(out)


def nearest_index(size: int, out: int, scale: float | None, exact: bool = False) -> np.ndarray:
    """Source index per output position: min(floor(dst * scale), size - 1) in float32 (`nearest-exact`:
    floor((dst + 0.5) * scale)); equal sizes copy, doubled sizes halve."""
    dst = np.arange(out)
    if out == size:
        return dst
    if out == 2 * size and not exact:
        return dst >> 1
    s = _scale(size, out, scale, False, np.float32)
    pos = dst.astype(np.float32) + np.float32(0.5) if exact else dst.astype(np.float32)
    return np.minimum(np.floor(pos * s).astype(np.int64), size - 1)


def linear_weights(size: int, out: int, scale: float | None, align_corners: bool,
                   dtype: np.dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(index0, index1, lambda0, lambda1) per output position, in the input's precision, as PyTorch computes
    them (`compute_source_index_and_lambda`)."""
    dst = np.arange(out)
    if out == size:
        return dst, dst, np.ones(out, dtype), np.zeros(out, dtype)
    t = dtype.type
    s = _scale(size, out, scale, align_corners, t)
    if align_corners:
        real = s * dst.astype(dtype)
    else:
        real = np.maximum(s * (dst.astype(dtype) + t(0.5)) - t(0.5), t(0))
    i0 = np.minimum(np.floor(real).astype(np.int64), size - 1)
    lam1 = np.clip(real - i0.astype(dtype), t(0), t(1)).astype(dtype)
    i1 = i0 + (i0 < size - 1)
    return i0, i1, (t(1) - lam1).astype(dtype), lam1


_DENSE = 1 << 16  # up to this many (input, output) pairs per axis, backward is one matrix product


def _sum_into(v: np.ndarray, index: np.ndarray, size: int, axis: int, weight: np.ndarray | None = None) -> np.ndarray:
    """Sum `v` (times `weight` per position) along `axis` into `size` slots at the non-decreasing `index`."""
    if weight is not None:
        shape = [1] * v.ndim
        shape[axis] = -1
        v = v * weight.reshape(shape)
    if axis == v.ndim - 1:
        rows = v.reshape(-1, v.shape[-1])
        flat = (np.arange(rows.shape[0]).reshape(-1, 1) * size + index).reshape(-1)
        summed = np.bincount(flat, weights=rows.reshape(-1).astype(np.float64, copy=False),
                             minlength=rows.shape[0] * size)
        return summed.astype(v.dtype, copy=False).reshape(v.shape[:-1] + (size,))
    shape = list(v.shape)
    shape[axis] = size
    out = np.zeros(shape, dtype=v.dtype)
    if index.size:
        starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
        where = [slice(None)] * v.ndim
        where[axis] = index[starts]
        out[tuple(where)] = np.add.reduceat(v, starts, axis=axis)
    return out


def _scatter_back(g: np.ndarray, parts: list[tuple[np.ndarray, np.ndarray | None]], size: int,
                  axis: int) -> np.ndarray:
    """The gradient along one axis: each (index, weight) part adds g (times weight) at index. For small axes, one
    product with the (size, out) matrix of the weights; otherwise one scatter per part."""
    out = g.shape[axis]
    if size * out <= _DENSE:
        m = np.zeros((size, out), dtype=g.dtype)
        cols = np.arange(out)
        for index, weight in parts:
            np.add.at(m, (index, cols), 1 if weight is None else weight)
        return g @ m.T if axis == g.ndim - 1 else np.swapaxes(np.swapaxes(g, axis, -1) @ m.T, axis, -1)
    total = None
    for index, weight in parts:
        part = _sum_into(g, index, size, axis, weight)
        total = part if total is None else total + part
    return total


def _lerp(a: np.ndarray, weights: tuple, axis: int) -> np.ndarray:
    i0, i1, l0, l1 = weights
    shape = [1] * a.ndim
    shape[axis] = -1
    return l0.reshape(shape) * np.take(a, i0, axis=axis) + l1.reshape(shape) * np.take(a, i1, axis=axis)


def upsample_nearest(x: Tensor, indices: tuple[np.ndarray, ...], op: str) -> Tensor:
    """Pick the source index per output position along each of the last len(indices) axes."""
    a = x._array
    k = len(indices)
    out = a
    for axis, index in zip(range(a.ndim - k, a.ndim), indices, strict=True):
        out = np.take(out, index, axis=axis)
    sizes = a.shape[a.ndim - k:]

    def backward(g: np.ndarray):
        for axis, index, size in zip(range(a.ndim - k, a.ndim), indices, sizes, strict=True):
            g = _scatter_back(g, [(index, None)], size, axis)
        return (g,)

    return Tensor._make(np.ascontiguousarray(out), (x,), backward, op)


def upsample_linear(x: Tensor, weights: tuple[tuple, ...], op: str) -> Tensor:
    """Blend the two source positions per output position along each of the last len(weights) axes
    (the last axis first)."""
    a = x._array
    k = len(weights)
    axes = list(range(a.ndim - k, a.ndim))
    sizes = a.shape[a.ndim - k:]
    out = a
    for axis, w in reversed(list(zip(axes, weights, strict=True))):
        out = _lerp(out, w, axis)

    def backward(g: np.ndarray):
        for axis, (i0, i1, l0, l1), size in zip(axes, weights, sizes, strict=True):
            g = _scatter_back(g, [(i0, l0), (i1, l1)], size, axis)
        return (g,)

    return Tensor._make(np.ascontiguousarray(out), (x,), backward, op)
