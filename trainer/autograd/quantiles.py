"""Quantiles: quantile and nanquantile (q a float or a 0/1-d tensor), as torch.X and Tensor methods, the gradient
shared between the two order statistics each interpolates."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._stat_helpers import _axis, _is_nan, _reduced_shape
from .aliases import numpy_names
from .tensor import Tensor

__all__ = ["quantile", "nanquantile"]


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _lerp(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
    """PyTorch's lerp: from the nearer end, so w = 0 gives a and w = 1 gives b exactly."""
    return np.where(w < 0.5, a + w * (b - a), b - (b - a) * (1 - w))


def _quantile_checks(x: np.ndarray, q: Any, interpolation: str) -> np.ndarray:
    if not isinstance(q, Tensor):
        if not 0 <= q <= 1:
            raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {q}")
    if x.size == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if isinstance(q, Tensor) and q.ndim > 1:
        raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if x.dtype not in (np.float32, np.float64):
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    if isinstance(q, Tensor) and q._array.dtype != x.dtype:
        raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but "
                           f"got {interpolation}")
    qa = q._array if isinstance(q, Tensor) else np.asarray(q, x.dtype)
    if isinstance(q, Tensor) and not np.all((qa >= 0) & (qa <= 1)):
        raise RuntimeError("quantile() q values must be in the range [0, 1]")
    return qa


def _quantile(input: Tensor, q: Any, dim: int | None, keepdim: bool, interpolation: str,  # noqa: A002
              ignore_nan: bool) -> Tensor:
    x = input._array
    qa = _quantile_checks(x, q, interpolation)
    if dim is None:
        moved = x.reshape(-1)
        shape = (1,) * x.ndim if keepdim else ()
    else:
        axis = _axis(dim, x.ndim)
        moved = np.moveaxis(x.reshape(x.shape or (1,)), axis, -1)
        shape = _reduced_shape(x.shape, axis, keepdim)
    order = np.argsort(moved, axis=-1, kind="stable")
    s = np.take_along_axis(moved, order, axis=-1)
    n = s.shape[-1]
    qv = qa.reshape((-1,) + (1,) * s.ndim)  # (nq, rows..., 1)
    nan = _is_nan(s)
    if ignore_nan:
        scale = (n - nan.sum(axis=-1, keepdims=True) - 1).astype(x.dtype)
        ranks = qv * scale
        free = ranks >= 0
        ranks = np.where(free, ranks, 0).astype(x.dtype)
    else:
        scale = np.asarray(n - 1, x.dtype)
        free = ~nan.any(axis=-1, keepdims=True)
        ranks = np.where(free, qv * scale, n - 1).astype(x.dtype)
    if interpolation in ("lower", "higher", "nearest"):
        ranks = {"lower": np.floor, "higher": np.ceil, "nearest": np.round}[interpolation](ranks)
    below = ranks.astype(np.int64)
    sb = np.broadcast_to(s, ranks.shape[:-1] + (n,))
    lo = np.take_along_axis(sb, below, axis=-1)
    interpolate = interpolation in ("linear", "midpoint")
    if interpolate:
        weights = np.full_like(ranks, 0.5) if interpolation == "midpoint" else (ranks - below).astype(x.dtype)
        above = np.ceil(ranks).astype(np.int64)
        hi = np.take_along_axis(sb, above, axis=-1)
        out = _lerp(lo, hi, weights)
    else:
        out = lo
    nq_shape = qa.shape  # () or (nq,)
    result = out[..., 0].reshape(nq_shape + shape)
    parents: tuple[Tensor, ...] = (input, q) if isinstance(q, Tensor) else (input,)

    def backward(g: np.ndarray):
        gk = np.reshape(g, ranks.shape)
        gs = np.zeros(ranks.shape[:-1] + (n,), g.dtype)
        if interpolate:
            np.put_along_axis(gs, below, gk * (1 - weights), axis=-1)
            part = np.zeros_like(gs)
            np.put_along_axis(part, above, gk * weights, axis=-1)
            gs += part
        else:
            np.put_along_axis(gs, below, gk, axis=-1)
        grad = np.zeros(moved.shape, g.dtype)
        np.put_along_axis(grad, order, gs.sum(axis=0), axis=-1)
        grad = grad.reshape(x.shape) if dim is None else np.moveaxis(grad, -1, axis).reshape(x.shape)
        if len(parents) == 1:
            return (grad,)
        gq = None
        if interpolation == "linear":
            dq = np.where(free, gk * (hi - lo) * scale, 0)
            gq = dq.reshape(dq.shape[0], -1).sum(axis=1).reshape(nq_shape).astype(g.dtype)
        else:
            gq = np.zeros(nq_shape, g.dtype)
        return grad, gq

    return Tensor._make(result, parents, backward, "Squeeze4")


def quantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
             interpolation: str = "linear") -> Tensor:
    """The q-th quantiles (q a float or a 0/1-d tensor in [0, 1]) of all elements or along `dim`; NaN if any."""
    return _quantile(input, q, dim, keepdim, interpolation, False)


def nanquantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
                interpolation: str = "linear") -> Tensor:
    """`quantile` of the non-NaN elements (NaN where all are NaN)."""
    return _quantile(input, q, dim, keepdim, interpolation, True)


# PyTorch accepts numpy's `axis=` / `keepdims=` wherever a function takes `dim` / `keepdim`
quantile, nanquantile = (numpy_names(f) for f in (quantile, nanquantile))

# ----- Tensor methods --------------------------------------------------------------------------

_METHODS = {name: globals()[name] for name in __all__}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
