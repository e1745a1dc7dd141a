"""Rules for the matrix products, linear layers and the losses."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import grad_mode, more_ops, ops
from ..tensor import Tensor
from ._base import (
    _const,
    _ctx,
    _log_softmax_grad,
    _mT,
    _rule,
    _scalar,
)


@_rule("Mm", "MatMul")
def _matmul(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    return (ops.matmul(g, _mT(b)) if a.requires_grad else None, ops.matmul(_mT(a), g) if b.requires_grad else None)


@_rule("Mv")
def _mv(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    return (ops.matmul(ops.unsqueeze(g, -1), ops.unsqueeze(b, 0)) if a.requires_grad else None,
            ops.matmul(_mT(a), g) if b.requires_grad else None)


@_rule("VecMat")
def _vecmat(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    return (ops.matmul(b, g) if a.requires_grad else None,
            ops.matmul(ops.unsqueeze(a, -1), ops.unsqueeze(g, 0)) if b.requires_grad else None)


@_rule("Addmm")
def _addmm(node: Tensor, g: Tensor) -> tuple:
    """beta * input + alpha * mat1 @ mat2 (the recurrent layers' products): g scaled, and the two matmul terms."""
    (c, a, b), (beta, alpha) = node._parents, _ctx(node)

    def scaled(t: Tensor, k: float) -> Tensor:
        return t if k == 1 else ops.mul(t, _scalar(k, t))

    return (scaled(g, beta) if c.requires_grad else None,
            scaled(ops.matmul(g, _mT(b)), alpha) if a.requires_grad else None,
            scaled(ops.matmul(_mT(a), g), alpha) if b.requires_grad else None)


@_rule("Linear", "LinearNoBias")
def _linear(node: Tensor, g: Tensor) -> tuple:
    x, w, *bias = node._parents
    gx = ops.matmul(g, w) if x.requires_grad else None
    g2 = ops.reshape(g, (-1, w._array.shape[0]))
    gw = ops.matmul(_mT(g2), ops.reshape(x, (-1, w._array.shape[1]))) if w.requires_grad else None
    if not bias:
        return gx, gw
    return gx, gw, (ops.sum(g2, 0) if bias[0].requires_grad else None)


@_rule("MseLoss")
def _mse_loss(node: Tensor, g: Tensor) -> tuple:
    x, t = node._parents
    reduction = _ctx(node)
    dt = x._array.dtype
    gx = ops.mul(ops.mul(ops.sub(x, t), _const(np.asarray(2, dt))), g)
    if reduction == "mean":
        gx = ops.div(gx, _const(np.asarray(x._array.size, dt)))
    return (gx if x.requires_grad else None, ops.neg(gx) if t.requires_grad else None)


def _weighted(v: Tensor, weight: np.ndarray | None, count: Any) -> Tensor:
    """A loss's gradient `v` times its weight and, for 'mean' (`count` not None), over the count: 0 when that is 0
    (every target ignored), as the first-order rule (`reduce_pointwise`)."""
    if weight is not None:
        v = ops.mul(v, _const(weight))
    if count is None:
        return v
    return ops.mul(v, _scalar(0, v)) if count == 0 else ops.div(v, _scalar(count, v))


def _mean_count(node: Tensor, reduction: str) -> int | None:
    return node._parents[0]._array.size if reduction == "mean" else None


@_rule("CrossEntropyLoss")
def _cross_entropy(node: Tensor, g: Tensor) -> tuple:
    """log_softmax then the negative log-likelihood, as PyTorch's decomposition: the log-probabilities' gradient
    is -g * coef, coef the (constant) class weights of index targets or the (smoothed, weighted) probability
    targets, and the probability targets' gradient -g * (1 - smoothing) * weight * logp."""
    x, t = node._parents
    cdim, reduction, count, coefficients, smoothing, weight = _ctx(node)
    g = _weighted(g, None, count if reduction == "mean" else None)
    if reduction == "none":
        g = ops.unsqueeze(g, cdim)
    logp = more_ops.log_softmax(x, cdim)
    if coefficients is not None:
        return _log_softmax_grad(ops.neg(ops.mul(g, _const(np.moveaxis(coefficients(), -1, cdim)))), logp, cdim), None
    g = ops.neg(g)
    if weight is not None:
        g = ops.mul(g, _const(weight.reshape((-1,) + (1,) * (x._array.ndim - cdim - 1))))
    target = t
    if smoothing:
        target = ops.add(ops.mul(t, _scalar(1 - smoothing, t)), _scalar(smoothing / x._array.shape[cdim], t))
    gx = _log_softmax_grad(ops.mul(g, target), logp, cdim) if x.requires_grad else None
    gt = None
    if t.requires_grad:
        gt = ops.mul(g, logp)
        if smoothing:
            gt = ops.mul(gt, _scalar(1 - smoothing, t))
    return gx, gt


@_rule("BinaryCrossEntropyWithLogits")
def _bce_with_logits(node: Tensor, g: Tensor) -> tuple:
    """(sigmoid(x) - y) * g for the logits and -x * g for the target, weighted."""
    x, t = node._parents
    reduction, weight = _ctx(node)
    count = _mean_count(node, reduction)
    return (_weighted(ops.mul(ops.sub(ops.sigmoid(x), t), g), weight, count) if x.requires_grad else None,
            _weighted(ops.mul(ops.neg(x), g), weight, count) if t.requires_grad else None)


_BCE_EPS = 1e-12  # PyTorch's, for every dtype


@_rule("BinaryCrossEntropy")
def _bce(node: Tensor, g: Tensor) -> tuple:
    """The probabilities' gradient as one node (`_bce_input_grad`), the target's (log(1 - x) - log(x)) * g,
    both weighted."""
    x, t = node._parents
    reduction, weight = _ctx(node)
    count = _mean_count(node, reduction)
    gt = None
    if t.requires_grad:
        gt = _weighted(ops.mul(ops.sub(ops.log1p(ops.neg(x)), ops.log(x)), g), weight, count)
    return (_bce_input_grad(g, x, t, weight, count) if x.requires_grad else None), gt


def _bce_input_grad(g: Tensor, x: Tensor, y: Tensor, weight: np.ndarray | None, count: int | None) -> Tensor:
    """binary_cross_entropy's input gradient g * (x - y) / max(x (1 - x), 1e-12), weighted, as one node of (g, x, y)
    as in PyTorch, whose own gradients (`_bce_input_grad_parts`) are regularised differently."""
    a, b = x._array, y._array
    out = g._array * (a - b) / np.maximum((1 - a) * a, _BCE_EPS)
    if weight is not None:
        out = out * weight
    if count is not None:
        out = out / np.asarray(count, out.dtype)

    def backward(v: np.ndarray) -> tuple:
        with grad_mode.no_grad():
            return tuple(p._array for p in _bce_input_grad_parts(_const(v), g, x, y, weight, count))

    res = Tensor._make(np.asarray(out, a.dtype), (g, x, y), backward, "BinaryCrossEntropyBackward")
    res._ctx = (weight, count)
    return res


def _bce_input_grad_parts(v: Tensor, g: Tensor, x: Tensor, y: Tensor, weight: np.ndarray | None,
                          count: int | None) -> tuple[Tensor, Tensor, Tensor]:
    """The gradients in (g, x, y) of `_bce_input_grad`, `v` upstream, with PyTorch's double-backward regularisation:
    v (x - y) / ((x + e)(1 - x + e)); v g (x^2 - 2xy + y) / ((x + e)^2 (1 - x + e)^2); -v g / max(x (1 - x), e)
    (that max lifting the value only, the gradient being x (1 - x)'s)."""
    eps, one = _scalar(_BCE_EPS, x), _scalar(1, x)
    above, below = ops.add(x, eps), ops.add(ops.sub(one, x), eps)
    dg = _weighted(ops.mul(ops.div(ops.sub(x, y), ops.mul(above, below)), v), weight, count)
    vg = ops.mul(v, g)
    num = ops.add(ops.sub(ops.mul(x, x), ops.mul(ops.mul(x, y), _scalar(2, x))), y)
    dx = _weighted(ops.mul(ops.div(num, ops.mul(ops.pow(above, 2), ops.pow(below, 2))), vg), weight, count)
    spread = ops.mul(ops.sub(one, x), x)
    floored = ops.add(spread, _const(np.maximum(spread._array, _BCE_EPS) - spread._array))
    dy = _weighted(ops.div(ops.neg(vg), floored), weight, count)
    return dg, dx, dy


@_rule("BinaryCrossEntropyBackward")
def _bce_backward(node: Tensor, v: Tensor) -> tuple:
    g, x, y = node._parents
    return _bce_input_grad_parts(v, g, x, y, *_ctx(node))
