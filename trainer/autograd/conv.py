"""Convolutions (plain and transposed, any number of spatial dims) as one graph node: `ConvolutionBackward0`.

The forward is im2col: a strided window view of the (zero-padded) input copied once into a
(N*out, C*kernel) matrix, then one BLAS product with the weight (a stacked product over groups).
The input gradient is col2im: the column gradient scatter-added back, one strided add per kernel
offset. A transposed convolution is the same pair the other way round: col2im forward, im2col backward.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from .tensor import Tensor

Ints = tuple[int, ...]


def _windows(a: np.ndarray, kernel: Ints, stride: Ints, dilation: Ints, out: Ints) -> np.ndarray:
    """The read-only view (N, C, *out, *kernel) of every kernel window of `a` (N, C, *spatial)."""
    s = a.strides
    strides = s[:2] + tuple(s[2 + i] * st for i, st in enumerate(stride)) + tuple(
        s[2 + i] * d for i, d in enumerate(dilation))
    return np.lib.stride_tricks.as_strided(a, a.shape[:2] + out + kernel, strides, writeable=False)


def im2col(a: np.ndarray, kernel: Ints, stride: Ints, dilation: Ints, out: Ints) -> np.ndarray:
    """The windows of `a` (N, C, *spatial) as a C-contiguous (N * prod(out), C * prod(kernel)) matrix."""
    d = len(kernel)
    view = _windows(a, kernel, stride, dilation, out)
    order = (0, *range(2, 2 + d), 1, *range(2 + d, 2 + 2 * d))  # (N, *out, C, *kernel)
    cols = np.empty(tuple(view.shape[i] for i in order), dtype=a.dtype)
    np.copyto(cols, view.transpose(order))
    return cols.reshape(a.shape[0] * math.prod(out), a.shape[1] * math.prod(kernel))


def col2im(cols: np.ndarray, n: int, channels: int, full: Ints, kernel: Ints, stride: Ints, dilation: Ints,
           out: Ints) -> np.ndarray:
    """The adjoint of `im2col`: each column entry added back to the input position it was read from."""
    d = len(kernel)
    grad = np.zeros((n, channels, *full), dtype=cols.dtype)
    c = cols.reshape(n, *out, channels, *kernel)
    c = np.moveaxis(c, 1 + d, 1)  # (N, C, *out, *kernel), a view
    lead = (slice(None), slice(None))
    outs = (slice(None),) * d
    for k in itertools.product(*(range(n_k) for n_k in kernel)):
        region = tuple(slice(k[i] * dilation[i], k[i] * dilation[i] + stride[i] * (out[i] - 1) + 1, stride[i])
                       for i in range(d))
        grad[lead + region] += c[lead + outs + k]
    return grad


def _gmm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(M, G*A) times per-group (G, A, B) matrices: (M, G*B), one BLAS call (a stacked one for G > 1)."""
    groups = b.shape[0]
    if groups == 1:
        return np.dot(a, b[0])
    m = a.shape[0]
    out = np.matmul(a.reshape(m, groups, -1).transpose(1, 0, 2), b)
    return out.transpose(1, 0, 2).reshape(m, -1)


def _gmm_t(a: np.ndarray, b: np.ndarray, groups: int) -> np.ndarray:
    """Per group a_g^T b_g for a (M, G*A) and b (M, G*B): (G, A, B)."""
    if groups == 1:
        return np.dot(a.T, b)[None]
    m = a.shape[0]
    return np.matmul(a.reshape(m, groups, -1).transpose(1, 2, 0), b.reshape(m, groups, -1).transpose(1, 0, 2))


def _channels_last(a: np.ndarray) -> np.ndarray:
    """(N, C, *spatial) as a (N * prod(spatial), C) matrix (a copy unless C == 1 or there is no spatial extent)."""
    return np.moveaxis(a, 1, -1).reshape(-1, a.shape[1])


def _channels_first(m: np.ndarray, n: int, spatial: Ints) -> np.ndarray:
    """The inverse of `_channels_last`: a C-contiguous (N, C, *spatial) array."""
    c = m.shape[1]
    out = np.empty((n, c, *spatial), dtype=m.dtype)
    np.copyto(np.moveaxis(out, 1, -1), m.reshape(n, *spatial, c))
    return out


def _padded(a: np.ndarray, padding: Sequence[tuple[int, int]]) -> np.ndarray:
    """`a` with zeros added before and after each spatial dim (itself when there is nothing to add)."""
    if not any(lo or hi for lo, hi in padding):
        return a
    shape = a.shape[:2] + tuple(n + lo + hi for n, (lo, hi) in zip(a.shape[2:], padding))
    out = np.zeros(shape, dtype=a.dtype)
    out[(slice(None), slice(None)) + tuple(slice(lo, lo + n) for n, (lo, _) in zip(a.shape[2:], padding))] = a
    return out


def conv_out_size(size: int, kernel: int, stride: int, lo: int, hi: int, dilation: int) -> int:
    return (size + lo + hi - dilation * (kernel - 1) - 1) // stride + 1


def convolution(x: Tensor, weight: Tensor, bias: Tensor | None, stride: Ints, padding: Sequence[tuple[int, int]],
                dilation: Ints, groups: int) -> Tensor:
    """Cross-correlation of x (N, C_in, *S) with weight (C_out, C_in/groups, *K), zero padding (lo, hi) per dim.

    Arguments are already checked (nn.functional does that, with PyTorch's messages).
    """
    a, w = x._array, weight._array
    n, d = a.shape[0], a.ndim - 2
    kernel = w.shape[2:]
    c_out = w.shape[0]
    xp = _padded(a, padding)
    out = tuple(conv_out_size(a.shape[2 + i], kernel[i], stride[i], *padding[i], dilation[i]) for i in range(d))
    cols = im2col(xp, kernel, stride, dilation, out)
    wg = w.reshape(groups, c_out // groups, -1)
    res = _gmm(cols, wg.transpose(0, 2, 1))
    if bias is not None:
        res += bias._array
    y = _channels_first(res, n, out)
    spatial = a.shape[2:]

    def backward(g: np.ndarray):
        g2 = _channels_last(g)
        gx = gw = gb = None
        if x.requires_grad:
            gcols = _gmm(g2, wg)
            gxp = col2im(gcols, n, a.shape[1], xp.shape[2:], kernel, stride, dilation, out)
            gx = gxp[(slice(None), slice(None)) + tuple(slice(lo, lo + s) for s, (lo, _) in zip(spatial, padding))]
        if weight.requires_grad:
            gw = _gmm_t(g2, cols, groups).reshape(w.shape)
        if bias is not None and bias.requires_grad:
            gb = np.add.reduce(g2, axis=0)
        return gx, gw, gb

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Convolution")


def conv_transpose_out_size(size: int, kernel: int, stride: int, padding: int, dilation: int, output_padding: int
                            ) -> int:
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def convolution_transpose(x: Tensor, weight: Tensor, bias: Tensor | None, stride: Ints, padding: Ints,
                          output_padding: Ints, dilation: Ints, groups: int) -> Tensor:
    """The adjoint of `convolution` in x: x (N, C_in, *S), weight (C_in, C_out/groups, *K), output
    (N, C_out, *O) with O = (S-1)*stride - 2*padding + dilation*(K-1) + output_padding + 1."""
    a, w = x._array, weight._array
    n, d = a.shape[0], a.ndim - 2
    kernel, spatial = w.shape[2:], a.shape[2:]
    c_out = w.shape[1] * groups
    reach = tuple((spatial[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1 for i in range(d))
    out = tuple(conv_transpose_out_size(spatial[i], kernel[i], stride[i], padding[i], dilation[i], output_padding[i])
                for i in range(d))
    full = tuple(max(reach[i], padding[i] + out[i]) for i in range(d))
    crop = (slice(None), slice(None)) + tuple(slice(p, p + o) for p, o in zip(padding, out))
    x2 = _channels_last(a)
    wg = w.reshape(groups, w.shape[0] // groups, -1)
    cols = _gmm(x2, wg)
    y = np.ascontiguousarray(col2im(cols, n, c_out, full, kernel, stride, dilation, spatial)[crop])
    if bias is not None:
        y += bias._array.reshape((-1,) + (1,) * d)

    def backward(g: np.ndarray):
        gx = gw = gb = None
        if x.requires_grad or weight.requires_grad:
            gfull = np.zeros((n, c_out, *full), dtype=g.dtype)
            gfull[crop] = g
            gcols = im2col(gfull, kernel, stride, dilation, spatial)
            if x.requires_grad:
                gx = _channels_first(_gmm(gcols, wg.transpose(0, 2, 1)), n, spatial)
            if weight.requires_grad:
                gw = _gmm_t(x2, gcols, groups).reshape(w.shape)
        if bias is not None and bias.requires_grad:
            gb = np.add.reduce(g.reshape(n, c_out, -1), axis=(0, 2))
        return gx, gw, gb

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Convolution")


def unfold(x: Tensor, kernel: Ints, dilation: Ints, padding: Ints, stride: Ints, batched: bool = True) -> Tensor:
    """`F.unfold` (im2col): x (N, C, *S) as its zero-padded sliding blocks (N, C * prod(kernel), L);
    unbatched, x (C, *S) gives (C * prod(kernel), L)."""
    a = x._array if batched else x._array[None]
    n, c, d = a.shape[0], a.shape[1], a.ndim - 2
    pads = [(p, p) for p in padding]
    xp = _padded(a, pads)
    out = tuple(conv_out_size(a.shape[2 + i], kernel[i], stride[i], padding[i], padding[i], dilation[i])
                for i in range(d))
    cols = im2col(xp, kernel, stride, dilation, out).reshape(n, math.prod(out), -1)
    y = np.ascontiguousarray(cols.transpose(0, 2, 1) if batched else cols[0].T)
    crop = (slice(None) if batched else 0, slice(None)) + tuple(slice(p, p + s) for p, s in zip(padding, a.shape[2:]))

    def backward(g: np.ndarray):
        g = g if batched else g[None]
        gcols = g.transpose(0, 2, 1).reshape(-1, g.shape[1])
        return (col2im(gcols, n, c, xp.shape[2:], kernel, stride, dilation, out)[crop],)

    return Tensor._make(y, (x,), backward, "Im2Col")


def fold(x: Tensor, output_size: Ints, kernel: Ints, dilation: Ints, padding: Ints, stride: Ints,
         batched: bool = True) -> Tensor:
    """`F.fold` (col2im): blocks (N, C * prod(kernel), L) summed into (N, C, *output_size), the adjoint of unfold;
    unbatched, (C * prod(kernel), L) gives (C, *output_size)."""
    a = x._array if batched else x._array[None]
    n, k = a.shape[0], math.prod(kernel)
    c, d = a.shape[1] // k, len(kernel)
    full = tuple(s + 2 * p for s, p in zip(output_size, padding))
    out = tuple(conv_out_size(output_size[i], kernel[i], stride[i], padding[i], padding[i], dilation[i])
                for i in range(d))
    cols = a.transpose(0, 2, 1).reshape(-1, a.shape[1])
    crop = (slice(None) if batched else 0, slice(None)) + tuple(slice(p, p + s) for p, s in zip(padding, output_size))
    y = np.ascontiguousarray(col2im(cols, n, c, full, kernel, stride, dilation, out)[crop])

    def backward(g: np.ndarray):
        gp = _padded(g if batched else g[None], [(p, p) for p in padding])
        gcols = im2col(gp, kernel, stride, dilation, out).reshape(n, math.prod(out), -1)
        return (gcols.transpose(0, 2, 1) if batched else gcols[0].T,)

    return Tensor._make(y, (x,), backward, "Col2Im")
