"""Scans along a dim: running max/min (cummax, cummin, with their indices) and logcumsumexp, as torch.X and Tensor
methods, each forward beside its backward rule."""

from __future__ import annotations

import numpy as np

from ._stat_helpers import _axis, _is_nan, _torch_name
from .aliases import numpy_names
from .return_types import return_type
from .tensor import Tensor

__all__ = ["cummax", "cummin", "logcumsumexp"]


CummaxResult = return_type("cummax")
CumminResult = return_type("cummin")


def _cum_extreme(input: Tensor, dim: int, better, op: str, result: type):  # noqa: A002
    x = input._array
    axis = _axis(dim, x.ndim)
    if x.ndim == 0:
        return result(Tensor._make(x.copy(), (input,), lambda g: (g,), op), Tensor._wrap(np.zeros((), np.int64)))
    moved = np.moveaxis(x, axis, 0)
    values = np.empty_like(moved)
    idx = np.zeros(moved.shape, np.int64)
    if len(moved):
        values[0], cur, at = moved[0], moved[0].copy(), np.zeros(moved.shape[1:], np.int64)
        for i in range(1, len(moved)):
            v = moved[i]
            take = _is_nan(v) | (~_is_nan(cur) & better(v, cur))
            cur = np.where(take, v, cur)
            at = np.where(take, i, at)
            values[i], idx[i] = cur, at
    order = np.moveaxis(idx, 0, axis)

    def backward(g: np.ndarray):
        grad = np.zeros(x.shape, g.dtype)
        where = list(np.indices(x.shape, sparse=True))
        where[axis] = order
        np.add.at(grad, tuple(where), g)
        return (grad,)

    out = Tensor._make(np.moveaxis(values, 0, axis).copy(), (input,), backward, op)
    return result(out, Tensor._wrap(order.copy()))


def cummax(input: Tensor, dim: int):  # noqa: A002
    """(values, indices) of the running maximum along `dim`; a tie moves the index on, NaN sticks."""
    return _cum_extreme(input, dim, np.greater_equal, "Cummax", CummaxResult)


def cummin(input: Tensor, dim: int):  # noqa: A002
    """(values, indices) of the running minimum along `dim`; a tie moves the index on, NaN sticks."""
    return _cum_extreme(input, dim, np.less_equal, "Cummin", CumminResult)


def _logcumsumexp_array(x: np.ndarray, axis: int) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.logaddexp.accumulate(x, axis=axis) if x.shape[axis] else x.copy()


def logcumsumexp(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    """log(cumsum(exp(x))) along `dim`, computed stably."""
    x = input._array
    if x.dtype.kind != "f":
        raise NotImplementedError(f'"logcumsumexp_out_cpu" not implemented for \'{_torch_name(x.dtype)}\'')
    axis = _axis(dim, x.ndim)
    if x.ndim == 0:
        return Tensor._make(x.copy(), (input,), lambda g: (g,), "Logcumsumexp")
    out = _logcumsumexp_array(x, axis)

    def backward(g: np.ndarray):
        # PyTorch's rule: positive and negative parts of the gradient summed in log space, from the end
        lowest = np.finfo(x.dtype).min
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            log_g = np.log(np.abs(g))

            def part(mask: np.ndarray) -> np.ndarray:
                z = np.flip(np.where(mask, log_g, lowest) - out, axis)
                return np.exp(np.flip(_logcumsumexp_array(z, axis), axis) + x)

            return ((part(g > 0) - part(g < 0)).astype(x.dtype, copy=False),)

    return Tensor._make(out, (input,), backward, "Logcumsumexp")


# PyTorch accepts numpy's `axis=` / `keepdims=` wherever a function takes `dim` / `keepdim`
cummax, cummin, logcumsumexp = (numpy_names(f) for f in (cummax, cummin, logcumsumexp))

# ----- Tensor methods --------------------------------------------------------------------------

_METHODS = {name: globals()[name] for name in __all__}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
