"""Classification losses: binary_cross_entropy(_with_logits), cross_entropy, nll_loss, kl_div.

Each is one graph node with a fused, numerically stable backward rule (finite for logits of any
magnitude), PyTorch's options and its rule that a weighted 'mean' divides by the summed weights of
the kept targets.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...autograd.more_ops import log_softmax_array
from ...autograd.tensor import Tensor
from ._util import (
    as_tensor,
    check_reduction,
    constant,
    float_input_and_target,
    float_target,
    reduce_pointwise,
    require_float,
    same_shape,
)
from .activations import sigmoid_array


def _broadcast_weight(fn: str, weight: Any, x: Tensor, name: str) -> np.ndarray | None:
    w = constant(weight, x._array.dtype, fn, name)
    if w is None:
        return None
    try:
        shape = np.broadcast_shapes(w.shape, x.shape)
    except ValueError:
        shape = None
    if shape != tuple(x.shape):
        raise ValueError(f"{fn}: {name} shape {w.shape} does not broadcast to input shape {tuple(x.shape)}")
    return w


def _log_sigmoid(a: np.ndarray) -> np.ndarray:
    """log(sigmoid(a)) = min(a, 0) - log1p(exp(-|a|)), finite for any finite a."""
    return np.minimum(a, 0) - np.log1p(np.exp(-np.abs(a)))


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, *,  # noqa: A002
                         reduction: str = "mean") -> Tensor:
    """-w (y log x + (1 - y) log(1 - x)) for probabilities x, each log clamped at -100 like PyTorch."""
    fn = "binary_cross_entropy"
    x, t = float_input_and_target(fn, input, target, reduction)
    t = float_target(fn, x, t)
    w = _broadcast_weight(fn, weight, x, "weight")
    a, y = x._array, t._array
    if np.any((a < 0) | (a > 1)):
        raise ValueError(f"{fn}: all elements of input should be between 0 and 1 (apply sigmoid, or use "
                         "binary_cross_entropy_with_logits)")
    if np.any((y < 0) | (y > 1)):
        raise ValueError(f"{fn}: all elements of target should be between 0 and 1")
    with np.errstate(divide="ignore"):
        log_x = np.maximum(np.log(a), -100)
        log_1mx = np.maximum(np.log1p(-a), -100)
    loss = -(y * log_x + (1 - y) * log_1mx)
    if w is not None:
        loss = loss * w

    def backward(g: np.ndarray):
        gw = g if w is None else g * w
        gx = gw * (a - y) / np.maximum((1 - a) * a, 1e-12)
        gt = gw * (log_1mx - log_x) if t.requires_grad else None
        return gx, gt

    res = reduce_pointwise(loss, (x, t), backward, reduction, "BinaryCrossEntropy")
    res._ctx = (reduction, w)  # for `autograd.higher_order`
    return res


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None, *,  # noqa: A002
                                     reduction: str = "mean", pos_weight: Tensor | None = None) -> Tensor:
    """BCE on logits: (1 - y) x - (1 + (p - 1) y) log(sigmoid(x)), times the weight; stable for any |x|."""
    fn = "binary_cross_entropy_with_logits"
    x, t = float_input_and_target(fn, input, target, reduction)
    t = float_target(fn, x, t)
    w = _broadcast_weight(fn, weight, x, "weight")
    pw = _broadcast_weight(fn, pos_weight, x, "pos_weight")
    a, y = x._array, t._array
    log_sig = _log_sigmoid(a)
    coef = 1.0 if pw is None else 1.0 + (pw - 1.0) * y
    loss = (1.0 - y) * a - coef * log_sig
    if w is not None:
        loss = loss * w

    def backward(g: np.ndarray):
        gw = g if w is None else g * w
        gx = gw * ((1.0 - y) - coef * sigmoid_array(-a))
        gt = None
        if t.requires_grad:
            gt = gw * (-a if pw is None else -a - (pw - 1.0) * log_sig)
        return gx, gt

    res = reduce_pointwise(loss, (x, t), backward, reduction, "BinaryCrossEntropyWithLogits")
    if pw is None:
        res._ctx = (reduction, w)  # for `autograd.higher_order`
    return res


def _class_layout(fn: str, x: Tensor) -> tuple[int, int]:
    """(class axis, number of classes) for an input of shape (C,), (N, C) or (N, C, d1, ...)."""
    if x.ndim == 0:
        raise ValueError(f"{fn}: input must have a class dimension, got a 0-d input")
    cdim = 0 if x.ndim == 1 else 1
    return cdim, x.shape[cdim]


def _class_weight(fn: str, weight: Any, x: Tensor, classes: int) -> np.ndarray | None:
    w = constant(weight, x._array.dtype, fn, "weight")
    if w is not None and w.shape != (classes,):
        raise ValueError(f"{fn}: weight shape {w.shape} does not match the {classes} classes of input shape "
                         f"{tuple(x.shape)}")
    return w


def _index_target(fn: str, x: Tensor, t: Tensor, cdim: int) -> np.ndarray:
    expected = tuple(x.shape[:cdim]) + tuple(x.shape[cdim + 1:])
    if t._array.dtype.kind not in "iu":
        raise ValueError(f"{fn}: class-index targets must be integers, got dtype {t._array.dtype} with target shape "
                         f"{tuple(t.shape)} for input shape {tuple(x.shape)} (use target.long(), or give "
                         "probability targets of the input's shape)")
    if tuple(t.shape) != expected:
        raise ValueError(f"{fn}: input shape {tuple(x.shape)} needs a class-index target of shape {expected}, "
                         f"got target shape {tuple(t.shape)}")
    return t._array


def _kept_targets(target: np.ndarray, classes: int, ignore_index: int, weight: np.ndarray | None,
                  dtype: np.dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(kept mask, targets with ignored ones set to 0, per-target weight that is 0 where ignored)."""
    keep = target != ignore_index
    bad = keep & ((target < 0) | (target >= classes))
    if np.any(bad):
        raise IndexError(f"Target {int(target[bad].flat[0])} is out of bounds.")
    safe = np.where(keep, target, 0)
    kw = keep.astype(dtype)
    if weight is not None:
        kw = kw * weight[safe]
    return keep, safe, kw


def _gather(arr: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return np.take_along_axis(arr, idx[..., None], axis=-1)[..., 0]


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, *,  # noqa: A002
                  ignore_index: int = -100, reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """log_softmax + negative log-likelihood over dim 1 (dim 0 for a 1-D input), fused.

    Integer targets are class indices (with `ignore_index`; 'mean' divides by the summed weights of
    the kept targets); floating targets of the input's shape are class probabilities ('mean' divides
    by the number of samples). `label_smoothing` mixes the target with the uniform distribution.
    """
    fn = "cross_entropy"
    check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    x = as_tensor(input, fn, "input")
    require_float(x, fn)
    t = as_tensor(target, fn, "target")
    cdim, classes = _class_layout(fn, x)
    w = _class_weight(fn, weight, x, classes)
    eps = label_smoothing
    dtype = x._array.dtype
    logp = log_softmax_array(np.moveaxis(x._array, cdim, -1), -1)
    if t._array.dtype.kind == "f":
        if t.shape != x.shape:
            raise ValueError(f"{fn}: probability targets must have the input's shape {tuple(x.shape)}, got "
                             f"{tuple(t.shape)} (class-index targets must be integers)")
        t = float_target(fn, x, t)
        y = np.moveaxis(t._array, cdim, -1)
        coef = y * (1.0 - eps) + eps / classes if eps else y
        if w is not None:
            coef = coef * w
        loss = -np.sum(coef * logp, axis=-1)
        denom = None

        def coefficients() -> np.ndarray:
            return coef
    else:
        target_idx = _index_target(fn, x, t, cdim)
        keep, safe, kw = _kept_targets(target_idx, classes, ignore_index, w, dtype)
        loss = -(1.0 - eps) * kw * _gather(logp, safe) if eps != 1.0 else np.zeros(kw.shape, dtype)
        smooth = None
        if eps:
            smooth = (eps / classes) * keep[..., None].astype(dtype)
            if w is not None:
                smooth = smooth * w
            loss = loss - np.sum(smooth * logp, axis=-1)
        denom = kw.sum()

        def coefficients() -> np.ndarray:
            """The weight each log-probability gets in the loss (built only when a gradient is needed)."""
            c = np.zeros_like(logp)
            np.put_along_axis(c, safe[..., None], ((1.0 - eps) * kw)[..., None], axis=-1)
            return c if smooth is None else c + smooth

    def backward(g: np.ndarray):
        gl = g[..., None]
        coef = coefficients()
        gx = gl * (np.exp(logp) * np.sum(coef, axis=-1, keepdims=True) - coef)
        gt = None
        if t.requires_grad and t._array.dtype.kind == "f":
            scaled = logp * (1.0 - eps) if eps else logp
            gt = np.moveaxis(-gl * (scaled if w is None else scaled * w), -1, cdim)
        return np.moveaxis(gx, -1, cdim), gt

    res = reduce_pointwise(np.asarray(loss, dtype=dtype), (x, t), backward, reduction, "CrossEntropyLoss", denom)
    # for `autograd.higher_order`: index targets give the constant coefficients, probability ones how to build them
    res._ctx = (cdim, reduction, loss.size if denom is None else denom,
                coefficients if denom is not None else None, eps, w)
    return res


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, *,  # noqa: A002
             ignore_index: int = -100, reduction: str = "mean") -> Tensor:
    """-w[y] * input[y] over the class dim, for log-probability inputs and integer targets."""
    fn = "nll_loss"
    check_reduction(reduction)
    x = as_tensor(input, fn, "input")
    require_float(x, fn)
    t = as_tensor(target, fn, "target")
    cdim, classes = _class_layout(fn, x)
    w = _class_weight(fn, weight, x, classes)
    target_idx = _index_target(fn, x, t, cdim)
    dtype = x._array.dtype
    _, safe, kw = _kept_targets(target_idx, classes, ignore_index, w, dtype)
    xl = np.moveaxis(x._array, cdim, -1)
    picked = _gather(xl, safe)
    loss = np.where(kw != 0, -kw * picked, 0.0).astype(dtype, copy=False)
    shape = xl.shape

    def backward(g: np.ndarray):
        gx = np.zeros(shape, dtype=dtype)
        np.put_along_axis(gx, safe[..., None], (-kw * g)[..., None], axis=-1)
        return np.moveaxis(gx, -1, cdim), None

    return reduce_pointwise(np.asarray(loss), (x, t), backward, reduction, "NllLoss", kw.sum())


def kl_div(input: Tensor, target: Tensor, *, reduction: str = "mean", log_target: bool = False  # noqa: A002
           ) -> Tensor:
    """Pointwise y (log y - x) for log-probability inputs (target as probabilities, or log-probabilities).

    'batchmean' divides the sum by the batch size (the KL divergence proper); 'mean' by the element count.
    """
    fn = "kl_div"
    check_reduction(reduction, ("none", "mean", "sum", "batchmean"))
    x = as_tensor(input, fn, "input")
    require_float(x, fn)
    t = as_tensor(target, fn, "target")
    same_shape(fn, x, t)
    t = float_target(fn, x, t)
    a, y = x._array, t._array
    if log_target:
        ey = np.exp(y)
        loss = ey * (y - a)
    else:
        pos = y > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            log_y = np.log(np.where(pos, y, 1.0)).astype(a.dtype, copy=False)
            ylogy = np.where(pos, y * log_y, np.where(y == 0, 0.0, np.nan)).astype(a.dtype, copy=False)
        loss = ylogy - y * a

    def backward(g: np.ndarray):
        if log_target:
            return -ey * g, (ey * (y - a + 1.0) * g if t.requires_grad else None)
        gt = np.where(pos, log_y + 1.0 - a, -a) * g if t.requires_grad else None
        return -y * g, gt

    if reduction == "batchmean":
        denom = a.shape[0] if a.ndim else 1
        return reduce_pointwise(loss, (x, t), backward, "mean", "KlDivLoss", denom)
    return reduce_pointwise(loss, (x, t), backward, reduction, "KlDivLoss")
