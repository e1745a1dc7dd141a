"""Margin and embedding losses: hinge_embedding, soft_margin, margin_ranking, cosine_embedding."""

from __future__ import annotations

import numpy as np

from ...autograd.tensor import Tensor
from ._util import (
    as_tensor,
    check_reduction,
    float_input_and_target,
    float_target,
    reduce_pointwise,
    require_float,
    same_shape,
)
from .activations import sigmoid_array


def _label_target(fn: str, x: Tensor, target: Tensor) -> np.ndarray:
    """A ±1 label array in the input's dtype (integer or floating labels are accepted)."""
    t = as_tensor(target, fn, "target")
    if t._array.dtype.kind not in "biuf":
        raise ValueError(f"{fn}: target of dtype {t._array.dtype} (shape {tuple(t.shape)}) is not numeric")
    return t._array.astype(x._array.dtype, copy=False)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, *,  # noqa: A002
                         reduction: str = "mean") -> Tensor:
    """x where y = 1, max(0, margin - x) where y = -1 (PyTorch's rule: other labels get both terms)."""
    fn = "hinge_embedding_loss"
    x, t = float_input_and_target(fn, input, target, reduction)
    y = _label_target(fn, x, t)
    a = x._array
    gap = margin - a
    use_margin = y != 1
    use_self = y != -1
    loss = np.where(use_margin, np.maximum(gap, 0.0), 0.0) + np.where(use_self, a, 0.0)

    def backward(g: np.ndarray):
        d = np.where(use_margin & (gap >= 0), -1.0, 0.0) + np.where(use_self, 1.0, 0.0)
        return (g * d.astype(a.dtype, copy=False),)

    return reduce_pointwise(loss.astype(a.dtype, copy=False), (x,), backward, reduction, "HingeEmbeddingLoss")


def soft_margin_loss(input: Tensor, target: Tensor, *, reduction: str = "mean") -> Tensor:  # noqa: A002
    """log(1 + exp(-y x)), computed stably."""
    fn = "soft_margin_loss"
    x, t = float_input_and_target(fn, input, target, reduction)
    t = float_target(fn, x, t)
    a, y = x._array, t._array
    z = -y * a
    loss = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))

    def backward(g: np.ndarray):
        s = sigmoid_array(z) * g
        return -y * s, (-a * s if t.requires_grad else None)

    return reduce_pointwise(loss, (x, t), backward, reduction, "SoftMarginLoss")


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0, *,
                        reduction: str = "mean") -> Tensor:
    """max(0, -y (x1 - x2) + margin): y = 1 means x1 should rank higher."""
    fn = "margin_ranking_loss"
    check_reduction(reduction)
    x1 = as_tensor(input1, fn, "input1")
    x2 = as_tensor(input2, fn, "input2")
    t = as_tensor(target, fn, "target")
    require_float(x1, fn, "input1")
    same_shape(fn, x1, x2, "input2")
    same_shape(fn, x1, t)
    x2 = float_target(fn, x1, x2, "input2")
    t = float_target(fn, x1, t)
    diff = x1._array - x2._array
    y = t._array
    value = -y * diff + margin
    active = value >= 0
    loss = np.maximum(value, 0.0).astype(diff.dtype, copy=False)

    def backward(g: np.ndarray):
        ga = np.where(active, g, 0.0).astype(diff.dtype, copy=False)
        return -y * ga, y * ga, (-diff * ga if t.requires_grad else None)

    return reduce_pointwise(loss, (x1, x2, t), backward, reduction, "MarginRankingLoss")


_EPS = 1e-12


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0, *,
                          reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos - margin) where y = -1; rows of (N, D) inputs or one (D,) pair."""
    fn = "cosine_embedding_loss"
    check_reduction(reduction)
    x1 = as_tensor(input1, fn, "input1")
    x2 = as_tensor(input2, fn, "input2")
    require_float(x1, fn, "input1")
    same_shape(fn, x1, x2, "input2")
    x2 = float_target(fn, x1, x2, "input2")
    t = as_tensor(target, fn, "target")
    if x1.ndim not in (1, 2) or tuple(t.shape) != tuple(x1.shape[:-1]):
        raise ValueError(f"{fn}: expected inputs of shape (N, D) with target (N,) or (D,) with target (), got "
                         f"input shape {tuple(x1.shape)} and target shape {tuple(t.shape)}")
    y = _label_target(fn, x1, t)
    a, b = x1._array, x2._array
    prod = np.sum(a * b, axis=-1)
    m1 = np.sum(a * a, axis=-1) + _EPS
    m2 = np.sum(b * b, axis=-1) + _EPS
    denom = np.sqrt(m1 * m2)
    cos = prod / denom
    pos = y == 1
    neg_active = (y == -1) & (cos - margin >= 0)
    loss = np.where(pos, 1.0 - cos, 0.0) + np.where(y == -1, np.maximum(cos - margin, 0.0), 0.0)

    def backward(g: np.ndarray):
        dcos = (np.where(neg_active, 1.0, 0.0) - np.where(pos, 1.0, 0.0)).astype(a.dtype, copy=False) * g
        dcos = dcos[..., None]
        ga = dcos * (b / denom[..., None] - cos[..., None] * a / m1[..., None])
        gb = dcos * (a / denom[..., None] - cos[..., None] * b / m2[..., None])
        return ga, gb

    return reduce_pointwise(loss.astype(a.dtype, copy=False), (x1, x2), backward, reduction, "CosineEmbeddingLoss")
