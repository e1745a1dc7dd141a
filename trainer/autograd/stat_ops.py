"""Statistics and search: amin/aminmax, nan-aware sums and means, medians, quantiles, var/std with the mean,
kthvalue, mode, running max/min, logcumsumexp, distances, histograms, bucketing, covariance, run-length unique.

Each forward sits beside its backward rule (PyTorch's derivatives: value-selecting reductions send the gradient to
the selected index, full-tensor medians and amin share it evenly between ties). Where PyTorch's index for ties
depends on its selection algorithm (kthvalue, nanmedian of an all-NaN row), that algorithm is replayed.
"""

from __future__ import annotations

import builtins
import math
from typing import Any, NamedTuple

import numpy as np

from . import ops
from .aliases import numpy_names
from .dtypes import as_dtype, get_default_dtype
from .more_ops import _inplace_method
from .ops import _pair
from .return_types import return_type
from .tensor import Tensor

__all__ = ["amin", "aminmax", "nansum", "nanmean", "median", "nanmedian", "quantile", "nanquantile", "std_mean",
           "var_mean", "kthvalue", "mode", "cummax", "cummin", "logcumsumexp", "dist", "cdist", "histc",
           "bucketize", "searchsorted", "cov", "corrcoef", "unique_consecutive", "renorm"]

_NO_DIM: Any = object()  # `median(input)` without a dim, told apart from `median(input, dim=None)` (a TypeError)


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

# ----- dims and shapes -------------------------------------------------------------------------


def _axis(dim: int, ndim: int) -> int:
    """One dim wrapped like PyTorch's (a 0-d tensor takes 0 and -1)."""
    n = builtins.max(ndim, 1)
    if not isinstance(dim, int | np.integer) or isinstance(dim, bool):
        raise TypeError(f"argument 'dim' must be int, not {type(dim).__name__}")
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return int(dim) % n


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


def _rows(x: np.ndarray, axis: int) -> np.ndarray:
    """`x` with `axis` moved last, as (rows, n)."""
    moved = np.moveaxis(x.reshape(x.shape or (1,)), axis, -1)
    return moved.reshape(-1, moved.shape[-1])


def _reduced_shape(shape: tuple[int, ...], axis: int, keepdim: bool) -> tuple[int, ...]:
    if not shape:
        return ()
    return shape[:axis] + ((1,) if keepdim else ()) + shape[axis + 1:]


def _nonempty_dim(x: np.ndarray, axis: int, fn: str) -> None:
    if x.ndim and x.shape[axis] == 0 and x.size == 0 and builtins.any(x.shape[i] for i in range(x.ndim) if i != axis):
        raise IndexError(f"{fn}(): Expected reduction dim {axis} to have non-zero size.")
    if x.ndim and x.shape[axis] == 0 and x.ndim == 1:
        raise IndexError(f"{fn}(): Expected reduction dim {axis} to have non-zero size.")


def _is_nan(x: np.ndarray) -> np.ndarray:
    return x != x


# ----- value-selecting reductions along one dim -----------------------------------------------


def _select(input: Tensor, axis: int, keepdim: bool, index_of, op: str, result: type):  # noqa: A002
    """(values, indices) of the element `index_of(rows)` picks in each row along `axis`; its gradient goes there."""
    x = input._array
    rows = _rows(x, axis)
    idx = np.asarray(index_of(rows), dtype=np.int64).reshape(-1) if rows.size else np.zeros(len(rows), np.int64)
    picked = rows[np.arange(len(rows)), idx] if rows.size else np.zeros(len(rows), x.dtype)
    shape = _reduced_shape(x.shape, axis, keepdim)
    moved_shape = np.moveaxis(np.empty(x.shape or (1,), np.bool_), axis, -1).shape

    def backward(g: np.ndarray):
        grad = np.zeros((len(rows), rows.shape[1]), g.dtype)
        grad[np.arange(len(rows)), idx] = np.reshape(g, -1)
        return (np.moveaxis(grad.reshape(moved_shape), -1, axis).reshape(x.shape),)

    values = Tensor._make(picked.reshape(shape), (input,), backward, op)
    return result(values, Tensor._wrap(idx.reshape(shape)))


def _stable_order(rows: np.ndarray) -> np.ndarray:
    return np.argsort(rows, axis=-1, kind="stable")  # NaN last, ties in index order


def _median_index(rows: np.ndarray) -> np.ndarray:
    """PyTorch's median index: the first NaN, else the lower middle of the stable order."""
    idx = _stable_order(rows)[:, (rows.shape[1] - 1) // 2]
    nan = _is_nan(rows)
    has_nan = nan.any(axis=1)
    return np.where(has_nan, np.argmax(nan, axis=1), idx)


def _nth_of_equivalent(n: int) -> int:
    """Where libstdc++'s `nth_element(first, first, last)` leaves element 0 when every element is equivalent."""
    order = list(range(n))
    first, last = 0, n
    while last - first > 3:
        mid = first + (last - first) // 2
        order[first], order[mid] = order[mid], order[first]
        lo, hi = first + 1, last
        while True:
            hi -= 1
            if not lo < hi:
                break
            order[lo], order[hi] = order[hi], order[lo]
            lo += 1
        last = lo
    return order[first]


def _nanmedian_index(rows: np.ndarray) -> np.ndarray:
    """The lower middle of the non-NaN values in stable order; an all-NaN row as libstdc++'s selection leaves it."""
    valid = (~_is_nan(rows)).sum(axis=1)
    k = np.where(valid > 0, (valid - 1) // 2, 0)
    idx = np.take_along_axis(_stable_order(rows), k[:, None], axis=1)[:, 0]
    return np.where(valid > 0, idx, _nth_of_equivalent(rows.shape[1]))


def _quick_select_index(row: list, k: int) -> int:
    """The original index PyTorch's kthvalue quickselect (median of three, NaN largest) leaves at position k."""
    vals, idx = row, list(range(len(row)))

    def gt(a, b) -> bool:
        return (a != a and b == b) or a > b

    def swap(i: int, j: int) -> None:
        vals[i], vals[j] = vals[j], vals[i]
        idx[i], idx[j] = idx[j], idx[i]

    lo, hi = 0, len(vals) - 1
    while hi > lo:
        if hi == lo + 1:
            if gt(vals[lo], vals[hi]):
                swap(lo, hi)
            break
        swap((lo + hi) >> 1, lo + 1)
        if gt(vals[lo + 1], vals[hi]):
            swap(lo + 1, hi)
        if gt(vals[lo], vals[hi]):
            swap(lo, hi)
        if gt(vals[lo + 1], vals[lo]):
            swap(lo + 1, lo)
        i, j, pivot = lo + 1, hi, vals[lo]
        while True:
            i += 1
            while gt(pivot, vals[i]):
                i += 1
            j -= 1
            while gt(vals[j], pivot):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(lo, j)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1
    return idx[k]


def _kth_index(k: int):
    def index_of(rows: np.ndarray) -> np.ndarray:
        order = _stable_order(rows)
        idx = order[:, k - 1].copy()
        value = rows[np.arange(len(rows)), idx]
        same = (rows == value[:, None]) | (_is_nan(rows) & _is_nan(value)[:, None])
        for r in np.nonzero(same.sum(axis=1) > 1)[0]:  # ties: which one depends on the selection algorithm
            idx[r] = _quick_select_index(rows[r].tolist(), k - 1)
        return idx

    return index_of


def _move_median_to_first(v: list, o: list, result: int, a: int, b: int, c: int) -> None:
    if v[a] < v[b]:
        pick = b if v[b] < v[c] else c if v[a] < v[c] else a
    else:
        pick = a if v[a] < v[c] else c if v[b] < v[c] else b
    v[result], v[pick] = v[pick], v[result]
    o[result], o[pick] = o[pick], o[result]


def _insertion_sort(v: list, o: list, first: int, last: int) -> None:
    for i in range(first + 1, last):
        val, at, j = v[i], o[i], i
        while j > first and val < v[j - 1]:
            v[j], o[j] = v[j - 1], o[j - 1]
            j -= 1
        v[j], o[j] = val, at


def _std_sort_order(row: list) -> list:
    """The order libstdc++'s `std::sort` (introsort, then insertion sort) leaves equal elements in."""
    v, o = list(row), list(range(len(row)))
    stack = [(0, len(v), 2 * (len(v).bit_length() - 1))]
    while stack:
        first, last, depth = stack.pop()
        while last - first > 16:
            if depth == 0:  # libstdc++ heap-sorts here; too deep a recursion for any input seen so far
                pairs = sorted(zip(v[first:last], o[first:last]), key=lambda p: p[0])
                v[first:last], o[first:last] = [p[0] for p in pairs], [p[1] for p in pairs]
                break
            depth -= 1
            _move_median_to_first(v, o, first, first + 1, first + (last - first) // 2, last - 1)
            lo, hi, pivot = first + 1, last, v[first]
            while True:
                while v[lo] < pivot:
                    lo += 1
                hi -= 1
                while pivot < v[hi]:
                    hi -= 1
                if not lo < hi:
                    break
                v[lo], v[hi] = v[hi], v[lo]
                o[lo], o[hi] = o[hi], o[lo]
                lo += 1
            stack.append((lo, last, depth))
            last = lo
    _insertion_sort(v, o, 0, len(v))
    return o


def _mode_index(rows: np.ndarray) -> np.ndarray:
    """The smallest most frequent value, at the last place of its run in PyTorch's sorted order."""
    order = _stable_order(rows)
    if rows.shape[1] > 16:  # std::sort is only stable (insertion sort) up to 16 elements
        order = np.array([_std_sort_order(r) for r in rows.tolist()], dtype=np.int64).reshape(rows.shape)
    s = np.take_along_axis(rows, order, axis=1)
    n = s.shape[1]
    change = s[:, 1:] != s[:, :-1]
    starts = np.concatenate([np.ones((len(s), 1), bool), change], axis=1)
    ends = np.concatenate([change, np.ones((len(s), 1), bool)], axis=1)
    start_at = np.maximum.accumulate(np.where(starts, np.arange(n), 0), axis=1)
    length = np.where(ends, np.arange(n) - start_at + 1, 0)
    return order[np.arange(len(s)), np.argmax(length, axis=1)]


MedianResult = return_type("median")
NanmedianResult = return_type("nanmedian")
KthvalueResult = return_type("kthvalue")
ModeResult = return_type("mode")
CummaxResult = return_type("cummax")
CumminResult = return_type("cummin")


def _evenly(input: Tensor, value: np.ndarray, op: str) -> Tensor:  # noqa: A002
    """A 0-d result whose gradient is shared evenly by the elements equal to it (NaN: by the NaNs)."""
    x = input._array

    def backward(g: np.ndarray):
        mask = _is_nan(x) if value != value else x == value
        return ((mask * (g / np.count_nonzero(mask))).astype(g.dtype, copy=False),)

    return Tensor._make(np.asarray(value, dtype=x.dtype), (input,), backward, op)


def _full_median(input: Tensor, ignore_nan: bool) -> Tensor:  # noqa: A002
    x = input._array.reshape(-1)
    op = "Nanmedian" if ignore_nan else "Median"
    if x.size == 0:
        return Tensor._wrap(np.asarray(np.nan, dtype=x.dtype if x.dtype.kind == "f" else get_default_dtype()))
    nan = _is_nan(x)
    valid = x.size - int(np.count_nonzero(nan)) if ignore_nan else x.size
    if (not ignore_nan and nan.any()) or valid == 0:
        return _evenly(input, np.asarray(np.nan, x.dtype), op)
    return _evenly(input, np.sort(x)[(valid - 1) // 2], op)


def median(input: Tensor, dim: Any = _NO_DIM, keepdim: bool = False):  # noqa: A002
    """The lower median of all elements (0-d), or (values, indices) along `dim`; NaN wins if present."""
    if dim is _NO_DIM:
        return _full_median(input, False)
    axis = _axis(dim, input.ndim)
    _nonempty_dim(input._array, axis, "median")
    return _select(input, axis, keepdim, _median_index, "Median1", MedianResult)


def nanmedian(input: Tensor, dim: Any = _NO_DIM, keepdim: bool = False):  # noqa: A002
    """`median` ignoring NaNs (NaN only where every element is NaN)."""
    if dim is _NO_DIM:
        return _full_median(input, True)
    axis = _axis(dim, input.ndim)
    _nonempty_dim(input._array, axis, "nanmedian")
    return _select(input, axis, keepdim, _nanmedian_index, "Nanmedian1", NanmedianResult)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False):  # noqa: A002
    """(values, indices) of the k-th smallest element along `dim` (NaN counts as the largest)."""
    axis = _axis(dim, input.ndim)
    n = input._array.shape[axis] if input.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {axis}")
    if input._array.dtype == np.bool_:
        raise RuntimeError('"kthvalue_cpu" not implemented for \'Bool\'')
    return _select(input, axis, keepdim, _kth_index(k), "Kthvalue", KthvalueResult)


def mode(input: Tensor, dim: int = -1, keepdim: bool = False):  # noqa: A002
    """(values, indices): the most frequent value along `dim` (the smallest of equally frequent ones), and the index
    PyTorch's CPU kernel reports (the last of the run after its unstable sort; the last occurrence for short rows)."""
    axis = _axis(dim, input.ndim)
    _nonempty_dim(input._array, axis, "mode")
    return _select(input, axis, keepdim, _mode_index, "Mode", ModeResult)


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

    return Tensor._make(out if keepdim else out.reshape(np.squeeze(out, axes).shape), (input,), backward, op)


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


def _torch_name(dt: np.dtype) -> str:
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
            "float32": "Float", "float64": "Double", "float16": "Half"}.get(np.dtype(dt).name, str(dt))


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

    return (Tensor._make(spread, (input,), spread_backward, op),
            Tensor._make(np.array(mean), (input,), mean_backward, op))


def var_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """(var, mean) over `dim` with `correction` (1 by default; the legacy `unbiased` flag too)."""
    return _var_mean(input, dim, unbiased, keepdim, correction, "var_mean", False)


def std_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """(std, mean) over `dim`; where std is 0 its gradient is 0, as in PyTorch."""
    return _var_mean(input, dim, unbiased, keepdim, correction, "std_mean", True)


# ----- quantiles -------------------------------------------------------------------------------

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


# ----- scans -----------------------------------------------------------------------------------


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


# ----- distances -------------------------------------------------------------------------------


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


# ----- counting and searching (no gradients) --------------------------------------------------


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A001, A002
    """Counts of elements in `bins` equal-width bins over [min, max] (the data's range when both are 0)."""
    x = input._array
    if x.dtype.kind != "f":
        raise NotImplementedError(f'"histogram_cpu" not implemented for \'{_torch_name(x.dtype)}\'')
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        finite = x[~_is_nan(x)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (lo, hi)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo:g}, {hi:g}] is not finite")
    v = x.reshape(-1).astype(np.float64 if x.dtype == np.float64 else x.dtype)
    v = v[(v >= lo) & (v <= hi)]
    pos = ((v - x.dtype.type(lo)) * bins / (x.dtype.type(hi) - x.dtype.type(lo))).astype(np.int64)
    pos = np.minimum(pos, bins - 1)
    return Tensor._wrap(np.bincount(pos, minlength=bins).astype(x.dtype))


def _binary_search(seq: np.ndarray, values: np.ndarray, right: bool) -> np.ndarray:
    """PyTorch's search of each row of `seq` (..., n) for `values` (..., m): start = the count passed over."""
    n = seq.shape[-1]
    start = np.zeros(values.shape, np.int64)
    end = np.full(values.shape, n, np.int64)
    rows = np.broadcast_to(seq, values.shape[:-1] + (n,))
    while True:
        active = start < end
        if not active.any():
            return start
        mid = start + ((end - start) >> 1)
        at = np.take_along_axis(rows, np.minimum(mid, n - 1), axis=-1)
        go_right = ~(at > values) if right else ~(at >= values)
        start = np.where(active & go_right, mid + 1, start)
        end = np.where(active & ~go_right, mid, end)


def _search_operands(sorted_sequence: Tensor, values: Any) -> tuple[np.ndarray, np.ndarray]:
    seq = sorted_sequence._array
    vals = values._array if isinstance(values, Tensor) else np.asarray(values)
    common = np.result_type(seq, vals) if isinstance(values, Tensor) else (
        seq.dtype if seq.dtype.kind == "f" or isinstance(values, int) else np.result_type(seq.dtype, np.float32))
    return seq.astype(common, copy=False), vals.astype(common, copy=False)


def searchsorted(sorted_sequence: Tensor, values: Any, *, out_int32: bool = False, right: bool = False,
                 side: str | None = None, sorter: Tensor | None = None) -> Tensor:
    """Where each value would be inserted into the innermost dim of `sorted_sequence` to keep it sorted."""
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left "
                               "while right was True")
        right = side == "right"
    seq, vals = _search_operands(sorted_sequence, values)
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._array, axis=-1)
    scalar = vals.ndim == 0
    if seq.ndim > 1 and (scalar or seq.shape[:-1] != vals.shape[:-1]):
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions "
                           f"of boundaries tensor and input value tensor must match, but we got boundaries tensor "
                           f"{list(seq.shape)} and input value tensor {list(vals.shape)}")
    flat = vals.reshape(-1) if seq.ndim == 1 else vals
    out = _binary_search(seq, flat, right).reshape(vals.shape)
    return Tensor._wrap(out.astype(np.int32 if out_int32 else np.int64))


def bucketize(input: Any, boundaries: Tensor, *, out_int32: bool = False, right: bool = False) -> Tensor:  # noqa: A002
    """The bucket index of each element among the 1-d sorted `boundaries` (`right` flips which side is closed)."""
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def unique_consecutive(input: Tensor, return_inverse: bool = False, return_counts: bool = False,  # noqa: A002
                       dim: int | None = None) -> Any:
    """The input with each run of equal consecutive elements (or slices along `dim`) kept once."""
    x = input._array
    if dim is None:
        flat = x.reshape(-1)
        change = flat[1:] != flat[:-1]
        shape = x.shape
        pick = lambda keep: flat[keep]  # noqa: E731
    else:
        axis = _axis(dim, x.ndim)
        moved = np.moveaxis(x, axis, 0)
        change = np.any((moved[1:] != moved[:-1]).reshape(len(moved) - 1 if len(moved) else 0, -1), axis=1)
        shape = (moved.shape[0],)
        pick = lambda keep: np.moveaxis(moved[keep], 0, axis)  # noqa: E731
    n = shape[0] if dim is not None else x.size
    starts = np.concatenate([[True], change]) if n else np.zeros(0, bool)
    out = [Tensor._wrap(np.ascontiguousarray(pick(starts)))]
    if return_inverse:
        out.append(Tensor._wrap((np.cumsum(starts) - 1).astype(np.int64).reshape(shape)))
    if return_counts:
        out.append(Tensor._wrap(np.diff(np.append(np.nonzero(starts)[0], n)).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


# ----- covariance ------------------------------------------------------------------------------


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


# PyTorch accepts numpy's `axis=` / `keepdims=` wherever a function takes `dim` / `keepdim`
(amin, aminmax, nansum, nanmean, median, nanmedian, quantile, nanquantile, std_mean, var_mean, kthvalue, mode,
 cummax, cummin, logcumsumexp) = (numpy_names(f) for f in (
    amin, aminmax, nansum, nanmean, median, nanmedian, quantile, nanquantile, std_mean, var_mean, kthvalue, mode,
    cummax, cummin, logcumsumexp))

# ----- Tensor methods --------------------------------------------------------------------------

_NOT_METHODS = ("std_mean", "var_mean", "cdist", "bucketize", "searchsorted")
_METHODS = {name: globals()[name] for name in __all__ if name not in _NOT_METHODS}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
Tensor.renorm_ = _inplace_method(renorm, True)
