"""Rules for +, -, *, / and pow."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..tensor import Tensor
from ._base import (
    _const,
    _ctx,
    _rule,
)


def _scaled(node: Tensor, g: Tensor, sign: int) -> Tensor:
    """sign * alpha * g for the second operand of `add`/`sub` (`_ctx` is `alpha` when it is not 1)."""
    alpha = getattr(node, "_ctx", None)
    if alpha is None:
        return g if sign > 0 else ops.neg(g)
    return ops.mul(g, _const(np.asarray(sign * alpha, g._array.dtype)))


@_rule("Add")
def _add(node: Tensor, g: Tensor) -> tuple:
    return g, _scaled(node, g, 1)


@_rule("Sub")
def _sub(node: Tensor, g: Tensor) -> tuple:
    return g, _scaled(node, g, -1)


@_rule("Neg")
def _neg(node: Tensor, g: Tensor) -> tuple:
    return (ops.neg(g),)


@_rule("Mul", "Dot")
def _mul(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    return (ops.mul(g, b) if a.requires_grad else None, ops.mul(g, a) if b.requires_grad else None)


@_rule("Div")
def _div(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    ga = ops.div(g, b) if a.requires_grad else None
    gb = ops.neg(ops.div(ops.mul(g, ops.div(a, b)), b)) if b.requires_grad else None
    return ga, gb


@_rule("Pow")
def _pow(node: Tensor, g: Tensor) -> tuple:
    """PyTorch's pow_backward: zeros for exponent 0 (no graph), else grad * (p * x^(p-1))."""
    (a,), p = node._parents, _ctx(node)
    if p == 0:
        return (_const(np.zeros_like(a._array)),)
    return (ops.mul(g, ops.mul(ops.pow(a, p - 1), _const(np.asarray(p, a._array.dtype)))),)
