"""Rules for linalg.solve, inv, det, slogdet and cholesky."""

from __future__ import annotations

import numpy as np

from .. import linalg_solve, ops
from ..tensor import Tensor
from ._base import (
    _const,
    _ctx,
    _mT,
    _rule,
    _scalar,
    _unsupported,
)


def _matrix(v: Tensor) -> Tensor:
    """A batch of scalars as (..., 1, 1) matrices."""
    return ops.reshape(v, v._array.shape + (1, 1))


@_rule("LinalgSolveEx")
def _solve(node: Tensor, g: Tensor) -> tuple:
    """AX = B: gB = A^{-T} g and gA = -gB X^T (XA = B: gB = g A^{-T}, gA = -X^T gB), X the result."""
    a, b = node._parents
    left, vector = _ctx(node)
    x = ops.unsqueeze(node, -1) if vector else node
    gm = ops.unsqueeze(g, -1) if vector else g
    gb = linalg_solve.solve(_mT(a), gm) if left else _mT(linalg_solve.solve(a, _mT(gm)))
    ga = ops.neg(ops.matmul(gb, _mT(x)) if left else ops.matmul(_mT(x), gb)) if a.requires_grad else None
    return ga, ((ops.squeeze(gb, -1) if vector else gb) if b.requires_grad else None)


@_rule("LinalgInvEx")
def _inv(node: Tensor, g: Tensor) -> tuple:
    """-A^{-T} g A^{-T}, A^{-1} the result."""
    inverse_t = _mT(node)
    return (ops.neg(ops.matmul(ops.matmul(inverse_t, g), inverse_t)),)


@_rule("LinalgDet")
def _det(node: Tensor, g: Tensor) -> tuple:
    """g det(A) A^{-T} (singular matrices, whose first-order rule PyTorch takes from the SVD, are refused)."""
    (a,) = node._parents
    if np.any(node._array == 0):
        raise _unsupported(node)
    return (ops.mul(_matrix(ops.mul(g, node)), _mT(linalg_solve.inv(a))),)


@_rule("LinalgSlogdet")
def _slogdet(node: Tensor, g: Tensor) -> tuple:
    """g A^{-T} for logabsdet; the sign (recorded without `_ctx`) has no gradient."""
    if getattr(node, "_ctx", None) is None:
        return (None,)
    return (ops.mul(_matrix(g), _mT(linalg_solve.inv(node._parents[0]))),)


@_rule("LinalgCholeskyEx", "Cholesky")
def _cholesky(node: Tensor, g: Tensor) -> tuple:
    """PyTorch's cholesky_backward: sym(L^{-T} Phi(L^T g) L^{-1}), Phi the lower triangle with its diagonal halved,
    L the lower factor (the result, or its transpose when `upper`)."""
    upper = _ctx(node)
    low = _mT(node) if upper else node
    gl = _mT(g) if upper else g
    n = node._array.shape[-1]
    phi = ops.mul(ops.matmul(_mT(low), gl), _const((np.tril(np.ones((n, n))) - 0.5 * np.eye(n)).astype(g._array.dtype)))
    inverse = linalg_solve.inv(low)
    ga = ops.matmul(ops.matmul(_mT(inverse), phi), inverse)
    return (ops.mul(ops.add(ga, _mT(ga)), _scalar(0.5, ga)),)
