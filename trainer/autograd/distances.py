"""p-norm distances: dist, cdist (pairwise between rows) and renorm (slices rescaled to a maximum norm), as torch.X
and Tensor methods (but cdist, a function only), with PyTorch's norm_backward."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._stat_helpers import _axis, _is_nan, _torch_name
from .more_ops import _inplace_method
from .ops import _pair
from .tensor import Tensor

__all__ = ["dist", "cdist", "renorm"]


def _norm_grad(d: np.ndarray, norm: np.ndarray, p: float, g: np.ndarray) -> np.ndarray:
    """PyTorch's norm_backward: the gradient of ||d||_p (`norm`, broadcast against d) with output gradient g."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if p == 0:
            return np.zeros_like(d)
        if p == 1:
            return np.sign(d) * g
        if p == 2:
            return g * np.where(norm == 0, 0, d / norm)
        if math.isinf(p):
            mask = (np.abs(d) == norm) | _is_nan(d)
            return np.sign(d) * (g / mask.sum() * mask)
        if p < 1:
            scaled = np.sign(d) * np.where(d == 0, 0, np.abs(d) ** (p - 1))
            return scaled * g * norm ** (1 - p)
        scaled = np.sign(d) * np.abs(d) ** (p - 1) if p < 2 else d * np.abs(d) ** (p - 2)
        return scaled * np.where(norm == 0, 0, g / norm ** (p - 1))


def _p_norm(d: np.ndarray, p: float, axis: Any) -> np.ndarray:
    a = np.abs(d)
    if p == 0:
        return np.sum(a != 0, axis=axis).astype(d.dtype)
    if p == math.inf:
        return np.max(a, axis=axis, initial=0) if a.size or axis is not None else np.zeros((), d.dtype)
    if p == -math.inf:
        return np.min(a, axis=axis)
    if p == 1:
        return np.sum(a, axis=axis)
    if p == 2:
        return np.sqrt(np.sum(a * a, axis=axis))
    with np.errstate(divide="ignore"):
        return np.sum(a**p, axis=axis) ** (1 / p)


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:  # noqa: A002
    """The p-norm of input - other (broadcast); p may be 0, inf, -inf or any other float."""
    a, b = _pair(input, other)
    if a._array.dtype.kind != "f" or b._array.dtype.kind != "f":
        raise RuntimeError("norm(): input dtype should be either floating point or complex. Got "
                           f"{_torch_name(a._array.dtype if a._array.dtype.kind != 'f' else b._array.dtype)} instead.")
    d = a._array - b._array
    p = float(p)
    out = np.asarray(_p_norm(d, p, None), dtype=d.dtype)

    def backward(g: np.ndarray):
        gd = _norm_grad(d, out, p, g).astype(d.dtype, copy=False)
        return (gd if a.requires_grad else None, -gd if b.requires_grad else None)

    return Tensor._make(out, (a, b), backward, "Dist")


_CDIST_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str = "use_mm_for_euclid_dist_if_necessary"
          ) -> Tensor:
    """p-norm distances between each row of x1 (.., P, M) and each row of x2 (.., R, M), batch dims broadcast."""
    if compute_mode not in _CDIST_MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    for name, t in (("X1", x1), ("X2", x2)):
        if t.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {t.ndim}D")
        if t._array.dtype.kind != "f":
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: {_torch_name(t._array.dtype)}")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    a, b = _pair(x1, x2)
    d = a._array[..., :, None, :] - b._array[..., None, :, :]  # (.., P, R, M)
    p = float(p)
    out = np.asarray(_p_norm(d, p, -1), dtype=d.dtype)

    def backward(g: np.ndarray):
        gk, dist_k = g[..., None], out[..., None]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if p == 0:
                gd = np.zeros_like(d)
            elif p == 1:
                gd = np.sign(d) * gk
            elif math.isinf(p):
                gd = np.sign(d) * (np.abs(d) == dist_k) * gk
            else:
                gd = np.where(dist_k == 0, 0, _norm_grad(d, dist_k, p, 1.0) * gk)
        gd = gd.astype(d.dtype, copy=False)
        return (gd.sum(axis=-2) if a.requires_grad else None, -gd.sum(axis=-3) if b.requires_grad else None)

    return Tensor._make(out, (a, b), backward, "Cdist")


def renorm(input: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:  # noqa: A002
    """Each slice along `dim` rescaled to p-norm at most `maxnorm` (by maxnorm / (norm + 1e-7))."""
    x = input._array
    if x.ndim < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {x.ndim} dimensions")
    if x.dtype.kind != "f":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{_torch_name(x.dtype)}")
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    axis = _axis(dim, x.ndim)
    others = tuple(i for i in range(x.ndim) if i != axis)
    norm = np.asarray(_p_norm(x, float(p), others), dtype=x.dtype)
    norm = np.expand_dims(norm, others)
    over = norm > maxnorm
    factor = np.where(over, maxnorm / (norm + 1e-7), 1).astype(x.dtype)

    def backward(g: np.ndarray):
        # d(x * maxnorm / (|x| + eps)) = factor * g - x * maxnorm * <g, x> d|x| / (|x| + eps)^2, on rescaled slices
        inner = np.sum(g * x, axis=others, keepdims=True)
        dnorm = _norm_grad(x, norm, float(p), np.ones_like(norm)) if p != math.inf else _inf_norm_grad(x, norm)
        extra = np.where(over, -maxnorm * inner / (norm + 1e-7) ** 2, 0) * dnorm
        return ((factor * g + extra).astype(x.dtype, copy=False),)

    return Tensor._make(x * factor, (input,), backward, "Renorm")


def _inf_norm_grad(x: np.ndarray, norm: np.ndarray) -> np.ndarray:
    """d max|x| / dx per slice, shared evenly between ties."""
    mask = np.abs(x) == norm
    axes = tuple(i for i in range(x.ndim) if norm.shape[i] == 1)
    return np.sign(x) * mask / np.sum(mask, axis=axes, keepdims=True)


# ----- Tensor methods --------------------------------------------------------------------------

_NOT_METHODS = ("cdist",)
_METHODS = {name: globals()[name] for name in __all__ if name not in _NOT_METHODS}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
Tensor.renorm_ = _inplace_method(renorm, True)
