"""Covariance and correlation: cov (with frequency and observation weights) and corrcoef, as torch.X and Tensor
methods, written from the differentiable ops of `ops`."""

from __future__ import annotations

import numpy as np

from . import ops
from ._stat_helpers import _torch_name
from .tensor import Tensor

__all__ = ["cov", "corrcoef"]


def _check_weights(w: Tensor, n: int, kind: str, integral: bool) -> None:
    if w.ndim > 1:
        raise RuntimeError(f"cov(): expected {kind} to have one or fewer dimensions but got {kind} with {w.ndim} "
                           "dimensions")
    if (w._array.dtype.kind in "iu") != integral or w._array.dtype == np.bool_:
        need = "integral" if integral else "floating point"
        raise RuntimeError(f"cov(): expected {kind} to have {need} dtype but got {kind} with "
                           f"{_torch_name(w._array.dtype)} dtype")
    if w._array.size != n:
        raise RuntimeError(f"cov(): expected {kind} to have the same numel as there are observations in the input "
                           f"but got {w._array.size} != {n}")
    if w._array.size and w._array.min() < 0:
        raise RuntimeError(f"cov(): {kind} cannot be negative")


def _cov2d(input: Tensor, correction: int, fweights: Tensor | None, aweights: Tensor | None) -> Tensor:  # noqa: A002
    if input.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with "
                           f"{input.ndim} dimensions")
    if input._array.dtype == np.bool_:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = ops.reshape(input, 1, -1) if input.ndim < 2 else input
    n = x.shape[1]
    w = None
    if fweights is not None:
        _check_weights(fweights, n, "fweights", True)
        w = fweights
    if aweights is not None:
        _check_weights(aweights, n, "aweights", False)
        w = aweights if w is None else ops.mul(w, aweights)
    if w is not None:
        w_sum = ops.sum(w)
        if float(w_sum._array) == 0:
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")
        avg = ops.div(ops.sum(ops.mul(x, w), dim=1), w_sum)
    else:
        w_sum = Tensor._wrap(np.asarray(n, np.int64))
        avg = ops.div(ops.sum(x, dim=1), w_sum)
    if w is not None and aweights is not None and correction != 0:
        norm_factor = ops.sub(w_sum, ops.div(ops.mul(ops.sum(ops.mul(w, aweights)), correction), w_sum))
    else:
        norm_factor = ops.sub(w_sum, correction)
    if float(norm_factor._array) <= 0:
        norm_factor = Tensor._wrap(np.zeros((), norm_factor._array.dtype))
    centred = ops.sub(x, ops.unsqueeze(avg, 1))
    c = ops.matmul(centred, ops.transpose(ops.mul(centred, w) if w is not None else centred, 0, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return ops.div(c, norm_factor)


def _squeezed(c: Tensor) -> Tensor:
    shape = c._array.shape
    return Tensor._make(np.squeeze(c._array), (c,), lambda g: (np.reshape(g, shape),), "Squeeze0")


def cov(input: Tensor, *, correction: int = 1, fweights: Tensor | None = None,  # noqa: A002
        aweights: Tensor | None = None) -> Tensor:
    """Covariance of the rows (variables) over the columns (observations), with frequency and/or observation
    weights; 0-d for a single variable."""
    return _squeezed(_cov2d(input, correction, fweights, aweights))


def corrcoef(input: Tensor) -> Tensor:  # noqa: A002
    """Pearson correlation coefficients of the rows, clipped to [-1, 1] (NaN for a constant row)."""
    c = cov(input)
    if c.ndim == 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            return ops.div(c, c)
    std = ops.sqrt(ops.reshape(_diagonal(c), -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        c = ops.div(ops.div(c, ops.reshape(std, -1, 1)), ops.reshape(std, 1, -1))
    x = c._array
    mask = (x >= -1) & (x <= 1)
    return Tensor._make(np.clip(x, -1, 1), (c,), lambda g: (np.where(mask, g, 0).astype(g.dtype, copy=False),),
                        "Clamp1")


def _diagonal(c: Tensor) -> Tensor:
    n = c._array.shape[0]

    def backward(g: np.ndarray):
        grad = np.zeros((n, n), g.dtype)
        grad[np.arange(n), np.arange(n)] = g
        return (grad,)

    return Tensor._make(np.diagonal(c._array).copy(), (c,), backward, "Diagonal")


# ----- Tensor methods --------------------------------------------------------------------------

_METHODS = {name: globals()[name] for name in __all__}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
