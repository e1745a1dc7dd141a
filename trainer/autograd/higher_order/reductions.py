"""Rules for sums, means, norms, softmax, variances, extrema, products and scans."""

from __future__ import annotations

import math

import numpy as np

from .. import ops
from ..tensor import Tensor
from ._base import (
    _const,
    _ctx,
    _first,
    _log_softmax_grad,
    _rule,
    _scalar,
    _sign,
    _spread,
    _unsupported,
)


@_rule("Sum")
def _sum(node: Tensor, g: Tensor) -> tuple:
    return (_spread(node, g, None, False),)


@_rule("Sum1")
def _sum_dims(node: Tensor, g: Tensor) -> tuple:
    return (_spread(node, g, *_ctx(node)),)


def _count(node: Tensor, axes: tuple[int, ...] | None) -> Tensor:
    a = node._parents[0]._array
    n = a.size if axes is None else int(np.prod([a.shape[i] for i in axes]))
    return _const(np.asarray(n, a.dtype))


@_rule("Mean")
def _mean(node: Tensor, g: Tensor) -> tuple:
    return (_spread(node, ops.div(g, _count(node, None)), None, False),)


@_rule("Mean1")
def _mean_dims(node: Tensor, g: Tensor) -> tuple:
    axes, keepdim = _ctx(node)
    return (_spread(node, ops.div(g, _count(node, axes)), axes, keepdim),)


@_rule("LogSumExp")
def _logsumexp(node: Tensor, g: Tensor) -> tuple:
    """g * exp(x - logsumexp(x)), both spread back over the reduced dims."""
    axes, keepdim = _ctx(node)
    x = node._parents[0]
    return (ops.mul(_spread(node, g, axes, keepdim), ops.exp(ops.sub(x, _spread(node, node, axes, keepdim)))),)


@_rule("LogSoftmax")
def _log_softmax(node: Tensor, g: Tensor) -> tuple:
    return (_log_softmax_grad(g, node, *_ctx(node)),)


@_rule("Softmax")
def _softmax(node: Tensor, g: Tensor) -> tuple:
    """s * (g - sum(g * s)) along the softmax dim, s the result."""
    (axis,) = _ctx(node)
    return (ops.mul(node, ops.sub(g, ops.sum(ops.mul(g, node), axis, keepdim=True))),)


@_rule("LinalgVectorNorm")
def _vector_norm(node: Tensor, g: Tensor) -> tuple:
    (x,), (p, kept) = node._parents, _ctx(node)
    gk, norm = ops.reshape(g, kept), ops.reshape(node, kept)
    if p == 1:
        return (ops.mul(_const(np.sign(x._array)), gk),)
    zero = _const(np.zeros((), x._array.dtype))
    flat = _const(norm._array == 0)
    safe = ops.where(flat, _const(np.ones((), x._array.dtype)), norm)
    if p == 2:
        return (ops.where(flat, zero, ops.mul(x, ops.div(gk, safe))),)
    if p == 0:
        return (_const(np.zeros_like(x._array)),)
    a = x._array
    if math.isinf(p):  # amax of |x|, ties sharing: sgn(x) * mask * g / count
        mask = (np.abs(a) == norm._array) | np.isnan(a)
        weights = (mask / np.sum(mask, axis=tuple(i for i, n in enumerate(kept) if n == 1 and a.shape[i] != 1),
                                 keepdims=True)).astype(a.dtype)
        return (ops.mul(_sign(x), ops.mul(gk, _const(weights))),)
    # PyTorch's norm_backward: sgn(x) |x|^(p-1) / norm^(p-1), for p < 1 0 where x is 0
    absolute = ops.abs(x)
    if p < 1:
        at_zero = _const(a == 0)
        absolute = ops.where(at_zero, _const(np.ones((), a.dtype)), absolute)
        scaled = ops.where(at_zero, zero, ops.mul(_sign(x), ops.pow(absolute, p - 1)))
        return (ops.mul(ops.mul(scaled, gk), ops.pow(norm, 1 - p)),)
    scaled = ops.mul(_sign(x), ops.pow(absolute, p - 1)) if p < 2 else ops.mul(x, ops.pow(absolute, p - 2))
    return (ops.mul(scaled, ops.where(flat, zero, ops.div(gk, ops.pow(safe, p - 1)))),)


def _var_grad(node: Tensor, g: Tensor, axes: tuple[int, ...] | None, keepdim: bool, denom: float) -> Tensor:
    """PyTorch's var_backward: 2 / (n - correction) * g * (x - mean(x))."""
    x = node._parents[0]
    centred = ops.sub(x, ops.mean(x, axes, keepdim=True))
    return ops.mul(ops.mul(_spread(node, g, axes, keepdim), centred), _scalar(2 / denom if denom else math.inf, x))


def _std_to_var(node: Tensor, g: Tensor) -> Tensor:
    """g / (2 std), 0 where std is 0 (PyTorch's std_backward before var_backward)."""
    zero = node._array == 0
    safe = ops.where(_const(zero), _scalar(1, node), node)
    return ops.where(_const(zero), _scalar(0, g), ops.div(g, ops.mul(safe, _scalar(2, node))))


@_rule("Var", "VarMean", "StdMean")
def _var(node: Tensor, g: Tensor) -> tuple:
    axes, keepdim, denom, root = _ctx(node)
    if root is None:  # the mean of var_mean / std_mean (`denom` is the count)
        return (_spread(node, ops.div(g, _scalar(denom, g)), axes, keepdim),)
    return (_var_grad(node, _std_to_var(node, g) if root else g, axes, keepdim, denom),)


@_rule("Std")
def _std(node: Tensor, g: Tensor) -> tuple:
    return (_std_to_var(node, g),)


@_rule("Max", "Min", "Max1", "Min1", "Amax", "Amin", "Aminmax")
def _value_selecting(node: Tensor, g: Tensor) -> tuple:
    """g routed to the extremum's positions (shared on ties): the first-order weights, constants, times g spread
    back; a function of g alone, as in PyTorch. `_ctx` is (dims, keepdim) but for the full max() and min()."""
    axes, keepdim = (None, False) if node._op in ("Max1", "Min1") else _ctx(node)
    weights = np.asarray(_first(node._backward)(np.ones(node._array.shape, g._array.dtype)))
    return (ops.mul(_spread(node, g, axes, keepdim), _const(weights)),)


@_rule("Prod", "Prod1")
def _prod(node: Tensor, g: Tensor) -> tuple:
    """g * prod / x spread back (PyTorch's prod_backward without zeros in the input; with zeros it is refused)."""
    x = node._parents[0]
    if np.any(x._array == 0):
        raise _unsupported(node)
    axes, keepdim = (None, False) if node._op == "Prod" else ((_ctx(node)[0],), _ctx(node)[1])
    return (ops.div(ops.mul(_spread(node, g, axes, keepdim), _spread(node, node, axes, keepdim)), x),)


def _reverse_cumsum(v: Tensor, axis: int) -> Tensor:
    """sum_{j >= i} v_j along `axis`, as a product with a constant triangle (so differentiable to any order)."""
    n = v._array.shape[axis]
    moved = ops.transpose(v, axis, -1) if axis not in (-1, v._array.ndim - 1) else v
    out = ops.matmul(moved, _const(np.tril(np.ones((n, n), v._array.dtype))))
    return ops.transpose(out, axis, -1) if moved is not v else out


@_rule("Cumsum")
def _cumsum(node: Tensor, g: Tensor) -> tuple:
    """The reversed running sum of g (a 0-d cumsum, which records no axis, passes g)."""
    axis = getattr(node, "_ctx", None)
    return (g if axis is None else _reverse_cumsum(g, axis),)


@_rule("Cumprod")
def _cumprod(node: Tensor, g: Tensor) -> tuple:
    """reversed cumsum(g * cumprod) / x (PyTorch's cumprod_backward without zeros; with zeros it is refused)."""
    axis, x = getattr(node, "_ctx", None), node._parents[0]
    if axis is None:
        return (g,)
    if np.any(x._array == 0):
        raise _unsupported(node)
    return (ops.div(_reverse_cumsum(ops.mul(g, node), axis), x),)
