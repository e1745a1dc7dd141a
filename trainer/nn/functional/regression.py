"""Regression losses: mse, l1, smooth_l1, huber, poisson_nll, gaussian_nll (each one fused graph node).

As in PyTorch, mse, l1, smooth_l1 and huber broadcast a target whose shape differs from the input's, with
PyTorch's UserWarning (`(N, 1)` against `(N,)` becomes an `(N, N)` loss: a PyTorch script with that bug runs
as under PyTorch; `trainer run` refuses such a config before training), and mse, l1 and smooth_l1 promote a
float target of another precision (float32 outputs against float64 targets give a float64 loss). The other
losses here raise on a shape mismatch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...autograd import ops
from ...autograd.tensor import Tensor
from ._util import (
    as_tensor,
    broadcast_pair,
    check_reduction,
    constant,
    constant_of,
    float_target,
    reduce_pointwise,
    require_float,
    same_shape,
)


def _pair(fn: str, input: Any, target: Any, reduction: str, *, broadcasts: bool = False,  # noqa: A002
          promotes: bool = False) -> tuple[Tensor, Tensor]:
    """The checked (input, target); `broadcasts`: expanded to a common shape as PyTorch does (warning);
    `promotes`: both in the wider float dtype when the target's float dtype differs."""
    check_reduction(reduction)
    x = as_tensor(input, fn, "input")
    t = as_tensor(target, fn, "target")
    require_float(x, fn)
    if broadcasts and x._array.shape != t._array.shape:
        x, t = broadcast_pair(x, t)
    same_shape(fn, x, t)
    if promotes and t._array.dtype.kind == "f" and t._array.dtype != x._array.dtype:
        wide = np.promote_types(x._array.dtype, t._array.dtype)
        return ops.cast(x, wide), ops.cast(t, wide)
    return x, float_target(fn, x, t)


def _elementwise_weight(fn: str, weight: Any, x: Tensor) -> np.ndarray | None:
    w = constant(weight, x._array.dtype, fn, "weight")
    if w is not None and w.shape != x._array.shape:
        raise ValueError(f"{fn}: weight shape {w.shape} and input shape {tuple(x.shape)} must be the same")
    return w


def mse_loss(input: Tensor, target: Tensor, *, reduction: str = "mean", weight: Tensor | None = None  # noqa: A002
             ) -> Tensor:
    """(x - y)^2; with `weight`, 'mean' is sum(w * l) / sum(w) as in PyTorch."""
    if weight is None and type(input) is Tensor and type(target) is Tensor:
        a, y = input._array, target._array
        if a.dtype is y.dtype and a.dtype.kind == "f" and a.shape == y.shape and a.size and reduction in _REDUCED:
            return _mse_reduced(input, target, reduction == "mean")
    x, t = _pair("mse_loss", input, target, reduction, broadcasts=True, promotes=True)
    w = _elementwise_weight("mse_loss", weight, x)
    d = x._array - t._array
    loss = d * d if w is None else d * d * w

    def backward(g: np.ndarray):
        gx = 2.0 * d * g if w is None else 2.0 * d * w * g
        return gx, (-gx if t.requires_grad else None)

    res = reduce_pointwise(loss, (x, t), backward, reduction, "MseLoss", None if w is None else w.sum())
    if w is None:
        res._ctx = reduction  # for `autograd.higher_order`
    return res


_REDUCED = ("mean", "sum")


def _reduced_total(loss: np.ndarray, mean: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The reduced loss as `reduce_pointwise` computes it, and the count a 'mean' divides the gradient by."""
    dtype = loss.dtype
    total = np.add.reduce(loss, axis=None, dtype=dtype)
    if not mean:
        return np.asarray(total, dtype=dtype), None
    scale = np.asarray(loss.size, dtype=dtype)
    return np.asarray(total / scale, dtype=dtype), scale


def _mse_reduced(x: Tensor, t: Tensor, mean: bool) -> Tensor:
    """The common mse_loss (same dtype and shape, no weight, a non-empty 'mean' or 'sum'): the general path's
    arithmetic, without its helpers; a count > 0 divides without floating-point warnings to silence."""
    d = x._array - t._array
    dtype = d.dtype
    total = np.add.reduce(d * d, axis=None, dtype=dtype)  # `_reduced_total`, inlined (two calls fewer)
    if mean:
        scale = np.asarray(d.size, dtype=dtype)
        out = np.asarray(total / scale, dtype=dtype)
    else:
        scale, out = None, np.asarray(total, dtype=dtype)
    two = _TWOS.get(dtype)
    if two is None:
        two = _TWOS[dtype] = constant_of(2.0, dtype)

    def backward(g: np.ndarray):
        gx = np.multiply(d, two)
        gx *= g if scale is None else g / scale
        return gx, (-gx if t.requires_grad else None)

    res = Tensor._make(out, (x, t), backward, "MseLoss")
    res._ctx = "mean" if mean else "sum"  # for `autograd.higher_order`
    return res


_TWOS: dict[np.dtype, np.ndarray] = {}


def _l1_reduced(x: Tensor, t: Tensor, mean: bool) -> Tensor:
    """The common l1_loss, as `_mse_reduced`."""
    d = x._array - t._array
    out, scale = _reduced_total(np.abs(d), mean)

    def backward(g: np.ndarray):
        gx = np.sign(d)
        gx *= g if scale is None else g / scale
        return gx, (-gx if t.requires_grad else None)

    return Tensor._make(out, (x, t), backward, "L1Loss")


def l1_loss(input: Tensor, target: Tensor, *, reduction: str = "mean", weight: Tensor | None = None  # noqa: A002
            ) -> Tensor:
    """|x - y|; the gradient at 0 is 0. With `weight`, 'mean' is sum(w * l) / sum(w)."""
    if weight is None and type(input) is Tensor and type(target) is Tensor:
        a, y = input._array, target._array
        if a.dtype is y.dtype and a.dtype.kind == "f" and a.shape == y.shape and a.size and reduction in _REDUCED:
            return _l1_reduced(input, target, reduction == "mean")
    x, t = _pair("l1_loss", input, target, reduction, broadcasts=True, promotes=True)
    w = _elementwise_weight("l1_loss", weight, x)
    d = x._array - t._array
    loss = np.abs(d) if w is None else np.abs(d) * w

    def backward(g: np.ndarray):
        gx = np.sign(d) * g if w is None else np.sign(d) * w * g
        return gx, (-gx if t.requires_grad else None)

    return reduce_pointwise(loss, (x, t), backward, reduction, "L1Loss", None if w is None else w.sum())


def smooth_l1_loss(input: Tensor, target: Tensor, *, reduction: str = "mean", beta: float = 1.0  # noqa: A002
                   ) -> Tensor:
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (beta = 0 gives the L1 loss)."""
    if beta < 0:
        raise ValueError(f"smooth_l1_loss does not support negative values for beta, got {beta}")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    x, t = _pair("smooth_l1_loss", input, target, reduction, broadcasts=True, promotes=True)
    d = x._array - t._array
    ad = np.abs(d)
    quad = ad < beta
    loss = np.where(quad, 0.5 * d * d / beta, ad - 0.5 * beta)

    def backward(g: np.ndarray):
        gx = np.where(quad, d / beta, np.sign(d)) * g
        return gx, (-gx if t.requires_grad else None)

    return reduce_pointwise(loss, (x, t), backward, reduction, "SmoothL1Loss")


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,  # noqa: A002
               weight: Tensor | None = None) -> Tensor:
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta); weighted 'mean' divides by the count."""
    if delta <= 0:
        raise ValueError(f"huber_loss does not support non-positive values for delta, got {delta}")
    x, t = _pair("huber_loss", input, target, reduction, broadcasts=True)
    w = _elementwise_weight("huber_loss", weight, x)
    d = x._array - t._array
    ad = np.abs(d)
    quad = ad < delta
    loss = np.where(quad, 0.5 * d * d, delta * (ad - 0.5 * delta))
    if w is not None:
        loss = loss * w

    def backward(g: np.ndarray):
        gx = np.where(quad, d, delta * np.sign(d)) * g
        if w is not None:
            gx = gx * w
        return gx, (-gx if t.requires_grad else None)

    return reduce_pointwise(loss, (x, t), backward, reduction, "HuberLoss")


_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,  # noqa: A002
                     *, eps: float = 1e-8, reduction: str = "mean") -> Tensor:
    """exp(x) - y x (log_input) or x - y log(x + eps).

    `full` adds Stirling's approximation y log y - y + 0.5 log(2 pi y) where y > 1.
    """
    x, t = _pair("poisson_nll_loss", input, target, reduction)
    a, y = x._array, t._array
    if log_input:
        ea = np.exp(a)
        loss = ea - y * a
    else:
        la = np.log(a + eps)
        loss = a - y * la
    stirling_mask = y > 1
    if full:
        ys = np.where(stirling_mask, y, 1.0).astype(a.dtype, copy=False)
        stirling = ys * np.log(ys) - ys + 0.5 * np.log(2.0 * math.pi * ys)
        loss = loss + np.where(stirling_mask, stirling, 0.0).astype(a.dtype, copy=False)

    def backward(g: np.ndarray):
        if log_input:
            gx, gt = (ea - y) * g, -a * g
        else:
            gx, gt = (1.0 - y / (a + eps)) * g, -la * g
        if full:
            gt = gt + np.where(stirling_mask, np.log(ys) + 0.5 / ys, 0.0) * g
        return gx, gt

    return reduce_pointwise(loss, (x, t), backward, reduction, "PoissonNllLoss")


def _gaussian_var(var: Any, x: Tensor) -> tuple[Tensor, np.ndarray, bool]:
    """The variance tensor, its array shaped to broadcast against the input, and whether it was unsqueezed."""
    fn = "gaussian_nll_loss"
    if isinstance(var, int | float) and not isinstance(var, bool):
        if var < 0:
            raise ValueError("gaussian_nll_loss: var has negative entry/entries")
        v = Tensor._wrap(np.full(x.shape, var, dtype=x._array.dtype))
    else:
        v = as_tensor(var, fn, "var")
        v = float_target(fn, x, v, "var")
        if np.any(v._array < 0):
            raise ValueError("gaussian_nll_loss: var has negative entry/entries")
    arr = v._array
    if arr.shape == x.shape:
        return v, arr, False
    if tuple(x.shape[:-1]) == arr.shape:
        return v, arr[..., None], True
    if arr.ndim == x.ndim and sum(b for a, b in zip(x.shape, arr.shape) if a != b) == 1:
        return v, arr, False
    raise ValueError(
        f"gaussian_nll_loss: var shape {arr.shape} is incorrect for input shape {tuple(x.shape)} (expected the "
        "input's shape, the input's shape with one dimension of size 1, or the input's shape without its last)"
    )


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False,  # noqa: A002
                      eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """0.5 (log v + (x - y)^2 / v) with v = max(var, eps) (the clamp does not block var's gradient)."""
    fn = "gaussian_nll_loss"
    check_reduction(reduction)
    x = as_tensor(input, fn, "input")
    require_float(x, fn)
    t = float_target(fn, x, as_tensor(target, fn, "target"))
    if t.shape != x.shape and not (t.ndim == x.ndim and all(b in (a, 1) for a, b in zip(x.shape, t.shape))):
        raise ValueError(
            f"{fn}: target shape {tuple(t.shape)} does not fit input shape {tuple(x.shape)} (it must be equal, or "
            "equal with some dimensions of size 1)"
        )
    v, varr, unsqueezed = _gaussian_var(var, x)
    vc = np.maximum(varr, eps).astype(x._array.dtype, copy=False)
    d = x._array - t._array
    loss = 0.5 * (np.log(vc) + d * d / vc)
    if full:
        loss = loss + _HALF_LOG_2PI

    def backward(g: np.ndarray):
        gx = g * d / vc
        gv = g * 0.5 * (1.0 / vc - d * d / (vc * vc))
        if unsqueezed:
            gv = gv.sum(axis=-1)
        return gx, (-gx if t.requires_grad else None), gv

    return reduce_pointwise(loss, (x, t, v), backward, reduction, "GaussianNllLoss")
