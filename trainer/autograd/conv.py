"""Convolutions (plain and transposed, any number of spatial dims) as one graph node: `ConvolutionBackward0`,
and im2col/col2im themselves as `F.unfold`/`F.fold`.

The forward is im2col: a strided window view of the (zero-padded) input copied once into a
(N*out, C*kernel) matrix, then one BLAS product with the weight (a stacked product over groups).
The input gradient is col2im: the column gradient scatter-added back, one strided add per kernel
offset. A transposed convolution is the same pair the other way round: col2im forward, im2col backward.

Inside, images are channels-last, (N, *spatial, C) in memory, so that every copy and add runs along
contiguous channels: a convolution's result is a (N, C, *spatial) numpy view of its (N, *spatial, C)
product, with no transpose, and the next convolution reads it as it lies. Elementwise ops keep that
layout; anything that needs another order (flatten, reshape) copies, with the same values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from .tensor import Tensor

Ints = tuple[int, ...]


def channels_last(a: np.ndarray) -> np.ndarray:
    """(N, C, *S) as a (N, *S, C) view (C-contiguous when `a` came from here)."""
    return np.moveaxis(a, 1, -1)


def channels_first(a: np.ndarray) -> np.ndarray:
    """(N, *S, C) as a (N, C, *S) view."""
    return np.moveaxis(a, -1, 1)


def im2col(a: np.ndarray, kernel: Ints, stride: Ints, dilation: Ints, out: Ints, groups: int = 1) -> np.ndarray:
    """The windows of a channels-last `a` (N, *S, C) as a C-contiguous (N * prod(out), C * prod(kernel)) matrix.

    A row holds, group by group, the window's kernel offsets with that group's channels innermost:
    (G, *kernel, C/G).
    """
    n, c, d = a.shape[0], a.shape[-1], len(kernel)
    s = a.strides
    shape = (n, *out, groups, *kernel, c // groups)
    strides = (s[0], *(s[1 + i] * stride[i] for i in range(d)), s[-1] * (c // groups),
               *(s[1 + i] * dilation[i] for i in range(d)), s[-1])
    view = np.lib.stride_tricks.as_strided(a, shape, strides, writeable=False)
    cols = np.empty(shape, dtype=a.dtype)
    np.copyto(cols, view)
    return cols.reshape(n * math.prod(out), c * math.prod(kernel))


def col2im(cols: np.ndarray, n: int, channels: int, full: Ints, kernel: Ints, stride: Ints, dilation: Ints,
           out: Ints, groups: int = 1) -> np.ndarray:
    """The adjoint of `im2col`: a channels-last (N, *full, C) array, each column entry added where it was read."""
    d = len(kernel)
    grad = np.zeros((n, *full, channels), dtype=cols.dtype)
    target = grad.reshape(n, *full, groups, channels // groups)
    c = cols.reshape(n, *out, groups, *kernel, channels // groups)
    lead, outs = (slice(None),), (slice(None),) * (d + 1)  # the output positions and the group
    for k in itertools.product(*(range(n_k) for n_k in kernel)):
        region = tuple(slice(k[i] * dilation[i], k[i] * dilation[i] + stride[i] * (out[i] - 1) + 1, stride[i])
                       for i in range(d))
        target[lead + region] += c[lead + outs + k]
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


def _rows(a: np.ndarray) -> np.ndarray:
    """(N, C, *S) as its (N * prod(S), C) matrix of channel rows: free for arrays laid out channels-last."""
    return channels_last(a).reshape(-1, a.shape[1])


def _padded(a: np.ndarray, padding: Sequence[tuple[int, int]]) -> np.ndarray:
    """A channels-last (N, *S, C) array with zeros added around each spatial dim (itself when nothing is added)."""
    if not any(lo or hi for lo, hi in padding):
        return a
    shape = (a.shape[0], *(n + lo + hi for n, (lo, hi) in zip(a.shape[1:-1], padding)), a.shape[-1])
    out = np.zeros(shape, dtype=a.dtype)
    out[_interior(a.shape[1:-1], padding)] = a
    return out


def _interior(spatial: Ints, padding: Sequence[tuple[int, int]]) -> tuple[slice, ...]:
    """The index of the unpadded region of a channels-last padded array."""
    return (slice(None), *(slice(lo, lo + n) for n, (lo, _) in zip(spatial, padding)), slice(None))


def _kernel_last(w: np.ndarray, groups: int) -> np.ndarray:
    """A weight (G*A, B, *K) as per-group (G, A, prod(K) * B) matrices with B innermost (im2col's order)."""
    return np.moveaxis(w, 1, -1).reshape(groups, w.shape[0] // groups, -1)


def _kernel_first(m: np.ndarray, shape: Ints) -> np.ndarray:
    """The inverse of `_kernel_last`: per-group (G, A, prod(K) * B) back to a C-contiguous weight of `shape`."""
    a, b, kernel = shape[0], shape[1], shape[2:]
    return np.ascontiguousarray(np.moveaxis(m.reshape(a, *kernel, b), -1, 1))


def conv_out_size(size: int, kernel: int, stride: int, lo: int, hi: int, dilation: int) -> int:
    return (size + lo + hi - dilation * (kernel - 1) - 1) // stride + 1


def convolution(x: Tensor, weight: Tensor, bias: Tensor | None, stride: Ints, padding: Sequence[tuple[int, int]],
                dilation: Ints, groups: int) -> Tensor:
    """Cross-correlation of x (N, C_in, *S) with weight (C_out, C_in/groups, *K), zero padding (lo, hi) per dim.

    Arguments are already checked (nn.functional does that, with PyTorch's messages).
    """
    a, w = x._array, weight._array
    n, d = a.shape[0], a.ndim - 2
    kernel, spatial = w.shape[2:], a.shape[2:]
    xp = _padded(channels_last(a), padding)
    out = tuple(conv_out_size(spatial[i], kernel[i], stride[i], *padding[i], dilation[i]) for i in range(d))
    cols = im2col(xp, kernel, stride, dilation, out, groups)
    wg = _kernel_last(w, groups)
    res = _gmm(cols, wg.transpose(0, 2, 1))
    if bias is not None:
        res += bias._array
    y = channels_first(res.reshape(n, *out, w.shape[0]))
    padded = xp.shape[1:-1]  # the padded input itself is not kept: its columns are
    del xp

    def backward(g: np.ndarray):
        rows = _rows(g)
        gx = gw = gb = None
        if x.requires_grad:
            gxp = col2im(_gmm(rows, wg), n, a.shape[1], padded, kernel, stride, dilation, out, groups)
            gx = channels_first(gxp[_interior(spatial, padding)])
        if weight.requires_grad:
            gw = _kernel_first(_gmm_t(rows, cols, groups), w.shape)
        if bias is not None and bias.requires_grad:
            gb = np.add.reduce(rows, axis=0)
        return gx, gw, gb

    parents = (x, weight) if bias is None else (x, weight, bias)
    res = Tensor._make(y, parents, backward, "Convolution")
    res._ctx = (False, stride, padding, dilation, groups, None)  # for `higher_order`
    return res


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
    crop = _interior(out, [(p, p) for p in padding])
    rows = _rows(a)
    wg = _kernel_last(w, groups)
    full_y = col2im(_gmm(rows, wg), n, c_out, full, kernel, stride, dilation, spatial, groups)
    y = full_y[crop]
    if bias is not None:
        y = y + bias._array
    y = channels_first(y)

    def backward(g: np.ndarray):
        gx = gw = gb = None
        if x.requires_grad or weight.requires_grad:
            gfull = np.zeros((n, *full, c_out), dtype=g.dtype)
            gfull[crop] = channels_last(g)
            gcols = im2col(gfull, kernel, stride, dilation, spatial, groups)
            if x.requires_grad:
                gx = channels_first(_gmm(gcols, wg.transpose(0, 2, 1)).reshape(n, *spatial, a.shape[1]))
            if weight.requires_grad:
                gw = _kernel_first(_gmm_t(rows, gcols, groups), w.shape)
        if bias is not None and bias.requires_grad:
            gb = np.add.reduce(_rows(g), axis=0)
        return gx, gw, gb

    parents = (x, weight) if bias is None else (x, weight, bias)
    res = Tensor._make(y, parents, backward, "Convolution")
    res._ctx = (True, stride, padding, dilation, groups, output_padding)  # for `higher_order`
    return res


def unfold(x: Tensor, kernel: Ints, dilation: Ints, padding: Ints, stride: Ints, batched: bool = True) -> Tensor:
    """`F.unfold` (im2col): x (N, C, *S) as its zero-padded sliding blocks (N, C * prod(kernel), L);
    unbatched, x (C, *S) gives (C * prod(kernel), L). Rows are (C, *kernel), as PyTorch orders them."""
    a = x._array if batched else x._array[None]
    n, c, d = a.shape[0], a.shape[1], a.ndim - 2
    pads = [(p, p) for p in padding]
    spatial = a.shape[2:]
    xp = _padded(channels_last(a), pads)
    out = tuple(conv_out_size(spatial[i], kernel[i], stride[i], padding[i], padding[i], dilation[i])
                for i in range(d))
    cols = im2col(xp, kernel, stride, dilation, out, groups=c).reshape(n, math.prod(out), -1)  # (C, *K) per row
    y = np.ascontiguousarray(cols.transpose(0, 2, 1) if batched else cols[0].T)

    def backward(g: np.ndarray):
        g = g if batched else g[None]
        gcols = g.transpose(0, 2, 1).reshape(-1, g.shape[1])
        grad = channels_first(col2im(gcols, n, c, xp.shape[1:-1], kernel, stride, dilation, out, c)[
            _interior(spatial, pads)])
        return (grad if batched else grad[0],)

    res = Tensor._make(y, (x,), backward, "Im2Col")
    res._ctx = (kernel, dilation, padding, stride, batched)  # for `higher_order`
    return res


def fold(x: Tensor, output_size: Ints, kernel: Ints, dilation: Ints, padding: Ints, stride: Ints,
         batched: bool = True) -> Tensor:
    """`F.fold` (col2im): blocks (N, C * prod(kernel), L) summed into (N, C, *output_size), the adjoint of unfold;
    unbatched, (C * prod(kernel), L) gives (C, *output_size)."""
    a = x._array if batched else x._array[None]
    n, k = a.shape[0], math.prod(kernel)
    c, d = a.shape[1] // k, len(kernel)
    pads = [(p, p) for p in padding]
    full = tuple(s + 2 * p for s, p in zip(output_size, padding))
    out = tuple(conv_out_size(output_size[i], kernel[i], stride[i], padding[i], padding[i], dilation[i])
                for i in range(d))
    cols = a.transpose(0, 2, 1).reshape(-1, a.shape[1])
    y = channels_first(col2im(cols, n, c, full, kernel, stride, dilation, out, c)[_interior(output_size, pads)])
    y = np.ascontiguousarray(y if batched else y[0])

    def backward(g: np.ndarray):
        gp = _padded(channels_last(g if batched else g[None]), pads)
        gcols = im2col(gp, kernel, stride, dilation, out, groups=c).reshape(n, math.prod(out), -1)
        return (gcols.transpose(0, 2, 1) if batched else gcols[0].T,)

    res = Tensor._make(y, (x,), backward, "Col2Im")
    res._ctx = (output_size, kernel, dilation, padding, stride, batched)  # for `higher_order`
    return res
