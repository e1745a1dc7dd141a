"""Rules for convolutions, unfold/fold, pooling, dropout, embeddings and the normalisations."""

from __future__ import annotations

import math

import numpy as np

from .. import conv, ops, pooling
from ..tensor import Tensor
from ._base import (
    _const,
    _ctx,
    _first,
    _mT,
    _rule,
    _scalar,
    _unsupported,
    linear_map,
)


@_rule("LinearMap")
def _linear_map(node: Tensor, g: Tensor) -> tuple:
    apply, adjoint = _ctx(node)
    zero = None if len(node._parents) == 1 else _const(np.zeros_like(node._parents[1]._array))
    return linear_map(g, adjoint, apply), zero


def _one_node(grads: tuple, inputs: tuple) -> tuple:
    """The gradients of a node PyTorch computes as one multi-output backward node (convolution_backward,
    native_layer_norm_backward): each requires grad when one of that node's `inputs` (upstream gradient, input,
    weight) does. One computed from the others alone is tied to them (`Tied`) without a gradient through them."""
    linked = tuple(t for t in inputs if t is not None and t.requires_grad)
    if not linked:
        return grads
    return tuple(r if r is None or r.requires_grad else _tied(r, linked) for r in grads)


def _tied(t: Tensor, sources: tuple) -> Tensor:
    return Tensor._make(t._array, (t, *sources), lambda v: (v,) + (None,) * len(sources), "Tied")


@_rule("Tied")
def _tied_rule(node: Tensor, g: Tensor) -> tuple:
    return (g,)


@_rule("Convolution")
def _convolution(node: Tensor, g: Tensor) -> tuple:
    """The convolution as unfold (im2col) and per-group matrix products, y_g = W_g U_g: the input's gradient is
    fold(W_g^T g_g), the weight's sum_n g_g U_g^T (transposed, U = unfold(g) and x_g, W_g swap places); the bias's
    sum(g). fold and unfold are each other's adjoints, so every gradient is again a graph of rules."""
    x, w, *bias = node._parents
    transposed, stride, padding, dilation, groups, output_padding = _ctx(node)
    a, n, kernel = x._array, x._array.shape[0], w._array.shape[2:]
    k = math.prod(kernel)
    gx = gw = None
    if transposed:
        pads = tuple(padding)
        length = math.prod(a.shape[2:])
        cout = node._array.shape[1]
        cols = conv.unfold(g, kernel, dilation, pads, stride)
        if cols._array.shape[-1] != length:  # output_padding >= stride: windows unfold cannot index
            raise _unsupported(node)
        cols = ops.reshape(cols, (n, groups, cout // groups * k, length))
        if x.requires_grad:
            gx = ops.reshape(ops.matmul(ops.reshape(w, (groups, a.shape[1] // groups, -1)), cols), a.shape)
        if w.requires_grad:
            xg = ops.reshape(x, (n, groups, a.shape[1] // groups, length))
            gw = ops.reshape(ops.sum(ops.matmul(xg, _mT(cols)), 0), w._array.shape)
    else:
        if any(lo != hi for lo, hi in padding):
            raise _unsupported(node)
        pads = tuple(lo for lo, _ in padding)
        length = math.prod(node._array.shape[2:])
        cout = w._array.shape[0]
        gg = ops.reshape(g, (n, groups, cout // groups, length))
        if x.requires_grad:
            cols = ops.matmul(_mT(ops.reshape(w, (groups, cout // groups, -1))), gg)
            gx = conv.fold(ops.reshape(cols, (n, a.shape[1] * k, length)), a.shape[2:], kernel, dilation, pads,
                           stride)
        if w.requires_grad:
            cols = ops.reshape(conv.unfold(x, kernel, dilation, pads, stride), (n, groups, -1, length))
            gw = ops.reshape(ops.sum(ops.matmul(gg, _mT(cols)), 0), w._array.shape)
    grads = (gx, gw) if not bias else (gx, gw, ops.sum(g, (0, *range(2, g._array.ndim))) if bias[0].requires_grad
                                       else None)
    return _one_node(grads, (g, x, w))


@_rule("Im2Col")
def _im2col(node: Tensor, g: Tensor) -> tuple:
    (x,), (kernel, dilation, padding, stride, batched) = node._parents, _ctx(node)
    spatial = x._array.shape[2:] if batched else x._array.shape[1:]
    return (conv.fold(g, spatial, kernel, dilation, padding, stride, batched),)


@_rule("Col2Im")
def _col2im(node: Tensor, g: Tensor) -> tuple:
    _, kernel, dilation, padding, stride, batched = _ctx(node)
    return (conv.unfold(g, kernel, dilation, padding, stride, batched),)


@_rule("MaxPool2DWithIndices", "AdaptiveMaxPool2D", "MaxPool3DWithIndices", "AdaptiveMaxPool3D")
def _max_pool(node: Tensor, g: Tensor) -> tuple:
    """g routed to the argmax positions (a scatter with fixed indices) with a zero link to the input; its own
    gradient gathers at those indices."""
    (x,), (index, dims) = node._parents, _ctx(node)
    return (linear_map(g, _first(node._backward), lambda v: pooling.gather(v, index, dims), x),)


@_rule("AvgPool2D", "AvgPool3D")
def _avg_pool(node: Tensor, g: Tensor) -> tuple:
    """The window-sharing gradient (linear in g, a zero link to the input); its gradient is the pooling itself."""
    (x,), args = node._parents, _ctx(node)
    return (linear_map(g, _first(node._backward), lambda v: pooling.avg_pool2d(_const(v), *args)._array, x),)


@_rule("AdaptiveAvgPool2D", "AdaptiveAvgPool3D")
def _adaptive_avg_pool(node: Tensor, g: Tensor) -> tuple:
    (x,), out = node._parents, _ctx(node)
    return (linear_map(g, _first(node._backward), lambda v: pooling.adaptive_avg_pool2d(_const(v), out)._array, x),)


@_rule("Dropout")
def _dropout(node: Tensor, g: Tensor) -> tuple:
    """g times the (scaled) mask, a constant: PyTorch's MulBackward0 of input * noise."""
    return (ops.mul(g, _const(_ctx(node))),)


@_rule("Embedding")
def _embedding(node: Tensor, g: Tensor) -> tuple:
    """The rows of g added into the weight's rows (scaled by frequency, the padding row zero): linear in g alone,
    as PyTorch's embedding_dense_backward; its gradient reads those rows back."""
    idx, padding_idx, by_freq = _ctx(node)
    counts = np.bincount(idx.reshape(-1), minlength=node._parents[0]._array.shape[0]) if by_freq else None

    def rows(v: np.ndarray) -> np.ndarray:
        out = v[idx]
        if padding_idx is not None:
            out = np.where((idx == padding_idx)[..., None], 0, out).astype(v.dtype)
        return out / counts[idx][..., None].astype(v.dtype) if by_freq else out

    return (linear_map(g, _first(node._backward), rows),)


def _normalized_grads(g: Tensor, x: Tensor, weight: Tensor | None, bias: Tensor | None, stat_axes: tuple[int, ...],
                      param_axes: tuple[int, ...], param_shape: tuple[int, ...], eps: float) -> tuple:
    """Layer and group norm's first-order rule written with Tensor ops, the statistics recomputed from x:
    xhat = (x - mean) invstd; dx = invstd (gy - mean(gy) - xhat mean(gy xhat)), gy = g weight; dweight =
    sum(g xhat), dbias = sum(g) over `param_axes`."""
    mean = ops.mean(x, stat_axes, keepdim=True)
    centred = ops.sub(x, mean)
    var = ops.mean(ops.mul(centred, centred), stat_axes, keepdim=True)
    invstd = ops.div(_scalar(1, x), ops.sqrt(ops.add(var, _scalar(eps, x))))
    xhat = ops.mul(centred, invstd)
    out = []
    if x.requires_grad:
        gy = g if weight is None else ops.mul(g, ops.reshape(weight, param_shape))
        gy = ops.sub(ops.sub(gy, ops.mean(gy, stat_axes, keepdim=True)),
                     ops.mul(xhat, ops.mean(ops.mul(gy, xhat), stat_axes, keepdim=True)))
        out.append(ops.mul(gy, invstd))
    else:
        out.append(None)
    for p, v in ((weight, lambda: ops.mul(g, xhat)), (bias, lambda: g)):
        if p is not None:
            out.append(ops.reshape(ops.sum(v(), param_axes), p._array.shape) if p.requires_grad else None)
    return tuple(out)


def _norm_params(node: Tensor, has_weight: bool, has_bias: bool) -> tuple:
    x, *rest = node._parents
    weight = rest.pop(0) if has_weight else None
    return x, weight, (rest[0] if has_bias else None)


@_rule("LayerNorm")
def _layer_norm(node: Tensor, g: Tensor) -> tuple:
    eps, k, has_weight, has_bias = _ctx(node)
    x, weight, bias = _norm_params(node, has_weight, has_bias)
    nd = x._array.ndim
    shape = x._array.shape[nd - k:]
    grads = _normalized_grads(g, x, weight, bias, tuple(range(nd - k, nd)), tuple(range(nd - k)), shape, eps)
    return _one_node(grads, (g, x, weight))


@_rule("BatchNorm")
def _batch_norm(node: Tensor, g: Tensor) -> tuple:
    """Training (or without running statistics): layer norm's rule over the batch and spatial dims, the statistics
    recomputed from x. Eval: the running statistics are constants, dx = g weight invstd, dweight = sum(g xhat)."""
    eps, use_batch, has_weight, has_bias, mean, invstd = _ctx(node)
    x, weight, bias = _norm_params(node, has_weight, has_bias)
    nd = x._array.ndim
    axes, shape = (0, *range(2, nd)), (1, x._array.shape[1]) + (1,) * (nd - 2)
    if use_batch:
        return _one_node(_normalized_grads(g, x, weight, bias, axes, axes, shape, eps), (g, x, weight))
    scale = _const(np.asarray(invstd, x._array.dtype))
    grads = [None if not x.requires_grad else
             ops.mul(g if weight is None else ops.mul(g, ops.reshape(weight, shape)), scale)]
    if weight is not None:
        xhat = ops.mul(ops.sub(x, _const(np.asarray(mean, x._array.dtype).reshape(shape))), scale)
        grads.append(ops.sum(ops.mul(g, xhat), axes) if weight.requires_grad else None)
    if bias is not None:
        grads.append(ops.sum(g, axes) if bias.requires_grad else None)
    return _one_node(tuple(grads), (g, x, weight))


@_rule("NativeGroupNorm")
def _group_norm(node: Tensor, g: Tensor) -> tuple:
    groups, eps, has_weight, has_bias = _ctx(node)
    x, weight, bias = _norm_params(node, has_weight, has_bias)
    shape = x._array.shape
    n, c = shape[:2]
    grouped = (n, groups, c // groups, -1)
    grads = _normalized_grads(ops.reshape(g, grouped), ops.reshape(x, grouped), weight, bias, (2, 3), (0, 3),
                              (1, groups, c // groups, 1), eps)
    return (None if grads[0] is None else ops.reshape(grads[0], shape), *grads[1:])  # composite in PyTorch: not tied
