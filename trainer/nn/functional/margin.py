"""Margin and embedding losses: hinge_embedding, soft_margin, margin_ranking, cosine_embedding, multi_margin,
multilabel_margin, multilabel_soft_margin, triplet_margin (with any distance)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...autograd.dtypes import scalar_type_name
from ...autograd.ops import minimum
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
from .activations import logsigmoid, sigmoid_array
from .distance import pairwise_distance


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


def _long_target(t: Tensor) -> np.ndarray:
    if t._array.dtype != np.int64:
        raise RuntimeError(f"expected scalar type Long but found {scalar_type_name(t._array.dtype)}")
    return t._array


def _frames(x: Tensor) -> tuple[int, int]:
    """(nframe, dim) of a (C,), (N, C) or 0-d input, with PyTorch's check for the margin losses over classes."""
    shape = tuple(x.shape)
    if not ((x.ndim == 2 and shape[1] != 0) or (x.ndim == 1 and shape[0] != 0) or x.ndim == 0):
        raise RuntimeError(f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                           f"{list(shape)}")
    return (1 if x.ndim <= 1 else shape[0]), (1 if x.ndim == 0 else shape[-1])


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,  # noqa: A002
                      weight: Tensor | None = None, *, reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss: sum over i != y of w[y] * max(0, margin - x[y] + x[i])^p, divided by C.

    `input` is (N, C) or (C,), `target` the class indices (N,) (or 0-d for one sample); p is 1 or 2.
    """
    fn = "multi_margin_loss"
    check_reduction(reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    x = as_tensor(input, fn, "input")
    t = as_tensor(target, fn, "target")
    nframe, dim = _frames(x)
    if t.ndim > 1 or t._array.size != nframe:
        raise RuntimeError(f"multi_margin_loss: target tensor should be 1-D with size equal to the number of input "
                           f"samples (batch size). Expected target size [{nframe}], but got {list(t.shape)}. Input "
                           f"has shape {list(x.shape)}.")
    if weight is not None and weight._array.size != dim:
        raise RuntimeError(f"inconsistent weight size, expected {dim} but got {list(weight.shape)}")
    require_float(x, fn)
    if weight is not None and weight._array.dtype != x._array.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type_name(x._array.dtype)} but found "
                           f"{scalar_type_name(weight._array.dtype)}")
    idx = _long_target(t).reshape(-1)
    if idx.size and (idx.min() < 0 or idx.max() >= dim):
        raise RuntimeError("target out of range")
    a = x._array.reshape(nframe, dim)
    rows = np.arange(nframe)
    z = margin - a[rows, idx][:, None] + a
    active = z > 0
    active[rows, idx] = False
    scale = np.ones((nframe, 1), a.dtype) if weight is None else weight._array[idx][:, None]
    terms = np.where(active, z if p == 1 else z * z, 0.0) * scale
    loss = (terms.sum(axis=1) / a.dtype.type(dim)).astype(a.dtype, copy=False)
    out_shape = (nframe,) if t.ndim > 0 else ()

    def backward(g: np.ndarray):
        d = np.where(active, 1.0 if p == 1 else 2.0 * z, 0.0) * scale * (np.reshape(g, (-1, 1)) / dim)
        d[rows, idx] = -d.sum(axis=1)
        return (d.astype(a.dtype, copy=False).reshape(x.shape),)

    return reduce_pointwise(loss.reshape(out_shape), (x,), backward, reduction, "MultiMarginLoss")


def multilabel_margin_loss(input: Tensor, target: Tensor, *, reduction: str = "mean") -> Tensor:  # noqa: A002
    """Multi-label hinge loss: for each target class j and non-target class i, max(0, 1 - (x[j] - x[i])),
    summed and divided by C. Each target row lists class indices and ends at the first -1."""
    fn = "multilabel_margin_loss"
    check_reduction(reduction)
    x = as_tensor(input, fn, "input")
    t = as_tensor(target, fn, "target")
    nframe, dim = _frames(x)
    fits = (t.ndim <= 1 and t._array.size == dim) if x.ndim <= 1 else tuple(t.shape) == (nframe, dim)
    if not fits:
        raise RuntimeError(f"inconsistent target size: {list(t.shape)} for input of size: {list(x.shape)}")
    require_float(x, fn)
    labels = _long_target(t).reshape(nframe, dim)
    a = x._array.reshape(nframe, dim)
    counts = np.zeros((nframe, dim), a.dtype)  # how often each class is listed (a repeated class counts again)
    for n in range(nframe):
        row = labels[n]
        stop = np.flatnonzero(row == -1)
        listed = row[: stop[0] if stop.size else dim]
        if listed.size and (listed.min() < 0 or listed.max() >= dim):
            raise RuntimeError("argument #2 'target' is out of range")
        np.add.at(counts[n], listed, 1)
    loss, slope = np.empty(nframe, a.dtype), np.empty_like(a)
    step = max(1, _PAIRS_PER_CHUNK // (dim * dim))  # frames at a time: (frames, C, C) pairs of classes
    for lo in range(0, nframe, step):
        loss[lo:lo + step], slope[lo:lo + step] = _multilabel_hinge(a[lo:lo + step], counts[lo:lo + step])
    out_shape = (nframe,) if t.ndim > 1 else ()

    def backward(g: np.ndarray):
        return ((slope * np.reshape(g, (-1, 1))).astype(a.dtype, copy=False).reshape(x.shape),)

    return reduce_pointwise(loss.reshape(out_shape), (x,), backward, reduction, "MultilabelMarginLoss")


_PAIRS_PER_CHUNK = 1 << 22


def _multilabel_hinge(a: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per frame of (frames, C) scores: the summed hinge over (target j, non-target i) pairs divided by C, and its
    gradient with respect to the scores."""
    dim = a.shape[1]
    is_target = counts > 0
    z = 1.0 - a[:, :, None] + a[:, None, :]  # z[n, j, i]: target j against class i
    active = (z > 0) & is_target[:, :, None] & ~is_target[:, None, :]
    weight = active * counts[:, :, None]
    loss = (np.where(active, z, 0.0) * counts[:, :, None]).sum(axis=(1, 2)) / a.dtype.type(dim)
    slope = (weight.sum(axis=1) - weight.sum(axis=2)) / a.dtype.type(dim)
    return loss, slope


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, *,  # noqa: A002
                                reduction: str = "mean") -> Tensor:
    """Per-class logistic loss -(y log sigmoid(x) + (1 - y) log sigmoid(-x)), weighted, averaged over classes
    (PyTorch's composite: the reduction is checked last)."""
    x = as_tensor(input, "multilabel_soft_margin_loss", "input")
    loss = -(target * logsigmoid(x) + (1 - target) * logsigmoid(-x))
    if weight is not None:
        loss = loss * weight
    class_dim = x.ndim - 1
    loss = loss.sum(dim=class_dim) / x.shape[class_dim]
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(f"{reduction} is not valid")


def _triplet_dims(anchor: Tensor, positive: Tensor, negative: Tensor) -> None:
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {anchor.ndim}D, positive {positive.ndim}D, and negative "
                           f"{negative.ndim}D inputs")


def _triplet(dist_pos: Tensor, dist_neg: Tensor, margin: float, reduction: str) -> Tensor:
    loss = (margin + dist_pos - dist_neg).clamp_min(0)
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, *, reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) with the p-norm pairwise distance d; `swap` uses
    min(d(a, n), d(p, n)) for the negative distance."""
    check_reduction(reduction)
    _triplet_dims(anchor, positive, negative)
    dist_pos = pairwise_distance(anchor, positive, p, eps)
    dist_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = minimum(dist_neg, pairwise_distance(positive, negative, p, eps))
    return _triplet(dist_pos, dist_neg, margin, reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Callable[[Tensor, Tensor], Tensor] | None = None,
                                      margin: float = 1.0, swap: bool = False, reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) with any `distance_function` (pairwise_distance by default)."""
    check_reduction(reduction)
    _triplet_dims(anchor, positive, negative)
    distance = distance_function if distance_function is not None else pairwise_distance
    dist_pos = distance(anchor, positive)
    dist_neg = distance(anchor, negative)
    if swap:
        dist_neg = minimum(dist_neg, distance(positive, negative))
    return _triplet(dist_pos, dist_neg, margin, reduction)
