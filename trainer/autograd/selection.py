"""Value selection with PyTorch's tie rules: median, nanmedian, kthvalue, mode, as torch.X and Tensor methods.

Each forward sits beside its backward rule (PyTorch's derivatives: along a dim the gradient goes to the selected
index; full-tensor medians share it evenly between ties). Where PyTorch's index for ties depends on its selection
algorithm (kthvalue, nanmedian of an all-NaN row, mode of a long row), that algorithm is replayed.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from ._stat_helpers import _axis, _is_nan, _reduced_shape
from .aliases import numpy_names
from .dtypes import get_default_dtype
from .return_types import return_type
from .tensor import Tensor

__all__ = ["median", "nanmedian", "kthvalue", "mode"]


_NO_DIM: Any = object()  # `median(input)` without a dim, told apart from `median(input, dim=None)` (a TypeError)


def _rows(x: np.ndarray, axis: int) -> np.ndarray:
    """`x` with `axis` moved last, as (rows, n)."""
    moved = np.moveaxis(x.reshape(x.shape or (1,)), axis, -1)
    return moved.reshape(-1, moved.shape[-1])


def _nonempty_dim(x: np.ndarray, axis: int, fn: str) -> None:
    if x.ndim and x.shape[axis] == 0 and x.size == 0 and builtins.any(x.shape[i] for i in range(x.ndim) if i != axis):
        raise IndexError(f"{fn}(): Expected reduction dim {axis} to have non-zero size.")
    if x.ndim and x.shape[axis] == 0 and x.ndim == 1:
        raise IndexError(f"{fn}(): Expected reduction dim {axis} to have non-zero size.")


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


# PyTorch accepts numpy's `axis=` / `keepdims=` wherever a function takes `dim` / `keepdim`
median, nanmedian, kthvalue, mode = (numpy_names(f) for f in (median, nanmedian, kthvalue, mode))

# ----- Tensor methods --------------------------------------------------------------------------

_METHODS = {name: globals()[name] for name in __all__}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
