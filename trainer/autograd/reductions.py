"""Reductions over any dims: amin/aminmax, nan-aware sums and means, var/std with the mean, as torch.X and Tensor
methods (but std_mean and var_mean, functions only).

Each forward sits beside its backward rule (PyTorch's derivatives: amin shares the gradient evenly between ties,
nansum gives NaNs none).
"""

from __future__ import annotations

import builtins
import math
from typing import Any, NamedTuple

import numpy as np

from . import ops
from ._stat_helpers import _axis, _is_nan, _torch_name
from .aliases import numpy_names
from .dtypes import as_dtype
from .tensor import Tensor

__all__ = ["amin", "aminmax", "nansum", "nanmean", "std_mean", "var_mean"]


class _MinMax(NamedTuple):
    min: Any
    max: Any


class AminmaxResult(_MinMax):
    """`torch.return_types.aminmax(min, max)`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"torch.return_types.aminmax(\nmin={self.min!r},\nmax={self.max!r})"


AminmaxResult.__name__ = AminmaxResult.__qualname__ = "aminmax"
AminmaxResult.__module__ = "trainer.return_types"


def _axes(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """A reduction's dims (None: every dim, as is an empty tuple), wrapped and checked for repeats."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, int | np.integer) else tuple(dim)
    if not dims:
        return None
    out = tuple(_axis(d, ndim) for d in dims)
    for d in out:
        if out.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return tuple(d for d in out if d < ndim)


def _unreduce(g: np.ndarray, shape: tuple[int, ...], axes: tuple[int, ...] | None, keepdim: bool) -> np.ndarray:
    """A reduction's output gradient broadcast back over the input's shape."""
    if not keepdim:
        g = np.reshape(g, (1,) * len(shape)) if axes is None else np.expand_dims(g, axes)
    return np.broadcast_to(g, shape)


# ----- amin / aminmax --------------------------------------------------------------------------


def _check_extreme_input(x: np.ndarray, axes: tuple[int, ...] | None, fn: str) -> None:
    if x.size:
        return
    if axes is None:
        raise RuntimeError(f"{fn}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.")
    for d in axes:
        if x.shape[d] == 0:
            raise IndexError(f"{fn}(): Expected reduction dim {d} to have non-zero size.")


def _amin_node(input: Tensor, axes: tuple[int, ...] | None, keepdim: bool, fn, op: str) -> Tensor:  # noqa: A002
    x = input._array
    out = fn(x, axis=axes, keepdims=True)

    def backward(g: np.ndarray):
        mask = x == out
        return (_unreduce(g, x.shape, axes, keepdim) * mask / np.sum(mask, axis=axes, keepdims=True),)

    res = Tensor._make(out if keepdim else out.reshape(np.squeeze(out, axes).shape), (input,), backward, op)
    res._ctx = (axes, keepdim)  # for `higher_order`
    return res


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:  # noqa: A002
    """Minimum over `dim` (every dim by default); ties share the gradient equally, NaN propagates."""
    axes = _axes(dim, input.ndim)
    _check_extreme_input(input._array, axes, "amin")
    return _amin_node(input, axes, keepdim, np.min, "Amin")


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> AminmaxResult:  # noqa: A002
    """(min, max) of all elements or along one `dim`, as `torch.return_types.aminmax`."""
    x = input._array
    if dim is None:
        if x.size == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                               "identity.")
        axes = None
    else:
        axes = (_axis(dim, input.ndim),)
        if x.ndim and x.shape[axes[0]] == 0:
            raise IndexError(f"aminmax(): Expected reduction dim {axes[0]} to have non-zero size.")
        axes = axes if x.ndim else None
    if x.dtype == np.bool_:
        lo = Tensor._wrap(np.asarray(np.min(x, axis=axes, keepdims=keepdim)))
        hi = Tensor._wrap(np.asarray(np.max(x, axis=axes, keepdims=keepdim)))
        return AminmaxResult(lo, hi)
    keep = keepdim and x.ndim > 0
    return AminmaxResult(_amin_node(input, axes, keep, np.min, "Aminmax"),
                         _amin_node(input, axes, keep, np.max, "Aminmax"))


# ----- nan-aware sums and means ----------------------------------------------------------------


def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """Sum treating NaN as zero; integer and bool inputs sum as int64; NaNs get a zero gradient."""
    a = ops.cast(input, as_dtype(dtype)) if dtype is not None else input
    x = a._array
    if dtype is None and x.dtype.kind in "biu":
        x = x.astype(np.int64)
    axes = _axes(dim, a.ndim)
    out = np.asarray(np.nansum(x, axis=axes, keepdims=keepdim) if x.dtype.kind == "f" else
                     np.sum(x, axis=axes, keepdims=keepdim), dtype=x.dtype)

    def backward(g: np.ndarray):
        with np.errstate(invalid="ignore"):  # inf * 0 is NaN, as in PyTorch
            return ((_unreduce(g, x.shape, axes, keepdim) * ~_is_nan(x)).astype(g.dtype, copy=False),)

    if x.dtype.kind != "f":
        return Tensor._wrap(out)
    return Tensor._make(out, (a,), backward, "Nansum")


def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """Mean of the non-NaN elements (NaN where all are NaN); floating inputs only, as in PyTorch."""
    if input._array.dtype.kind != "f":
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype but got "
                           f"{_torch_name(input._array.dtype)}")
    axes = _axes(dim, input.ndim)
    count = np.sum(~_is_nan(input._array), axis=axes, keepdims=keepdim)
    with np.errstate(divide="ignore", invalid="ignore"):
        return ops.div(nansum(input, dim, keepdim, dtype=dtype), Tensor._wrap(np.asarray(count, dtype=np.int64)))


# ----- var / std with the mean -----------------------------------------------------------------


def _var_mean(input: Tensor, dim: Any, unbiased: Any, keepdim: bool, correction: Any, fn: str,  # noqa: A002
              root: bool) -> tuple[Tensor, Tensor]:
    if isinstance(dim, bool):  # `std_mean(x, False)`: the legacy unbiased flag in dim's place
        dim, unbiased = None, dim
    x = input._array
    if x.dtype.kind != "f":
        raise RuntimeError(f"{fn} only support floating point and complex dtypes")
    if correction is None:
        correction = 0 if unbiased is False else 1
    axes = _axes(dim, input.ndim)
    n = x.size if axes is None else math.prod(x.shape[d] for d in axes)
    mean_k = np.mean(x, axis=axes, keepdims=True) if x.size else np.full((1,) * x.ndim, np.nan, x.dtype)
    centred = x - mean_k
    denom = builtins.max(n - correction, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.asarray(np.sum(centred * centred, axis=axes, keepdims=keepdim) / denom, dtype=x.dtype)
        spread = np.sqrt(var) if root else var
    mean = mean_k if keepdim else mean_k.reshape(var.shape)
    op = "StdMean" if root else "VarMean"

    def spread_backward(g: np.ndarray):
        if root:
            with np.errstate(divide="ignore", invalid="ignore"):
                g = np.where(spread == 0, 0, g / (2 * spread))
        with np.errstate(divide="ignore", invalid="ignore"):
            return ((_unreduce(g, x.shape, axes, keepdim) * centred * (2 / denom)).astype(x.dtype, copy=False),)

    def mean_backward(g: np.ndarray):
        return ((_unreduce(g, x.shape, axes, keepdim) / n).astype(x.dtype, copy=False),)

    spread_t = Tensor._make(spread, (input,), spread_backward, op)
    spread_t._ctx = (axes, keepdim, denom, root)  # for `higher_order`
    mean_t = Tensor._make(np.array(mean), (input,), mean_backward, op)
    mean_t._ctx = (axes, keepdim, n, None)
    return spread_t, mean_t


def var_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """(var, mean) over `dim` with `correction` (1 by default; the legacy `unbiased` flag too)."""
    return _var_mean(input, dim, unbiased, keepdim, correction, "var_mean", False)


def std_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """(std, mean) over `dim`; where std is 0 its gradient is 0, as in PyTorch."""
    return _var_mean(input, dim, unbiased, keepdim, correction, "std_mean", True)


# PyTorch accepts numpy's `axis=` / `keepdims=` wherever a function takes `dim` / `keepdim`
amin, aminmax, nansum, nanmean, std_mean, var_mean = (numpy_names(f) for f in (
    amin, aminmax, nansum, nanmean, std_mean, var_mean))

# ----- Tensor methods --------------------------------------------------------------------------

_NOT_METHODS = ("std_mean", "var_mean")
_METHODS = {name: globals()[name] for name in __all__ if name not in _NOT_METHODS}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
