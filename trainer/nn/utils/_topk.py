"""Which entries of a 1-D tensor PyTorch's CPU `torch.topk` selects, ties included.

PyTorch's CPU kernel (`topk_impl_loop`) fills a vector of (value, index) pairs and selects the first k with
libstdc++'s `std::partial_sort` when `k * 64 <= n`, else `std::nth_element`; equal values are therefore chosen
by those algorithms' swaps. Without a tie at the k-th value the set is plain (numpy's partition); with one, the
libstdc++ algorithms run here step by step, so pruning masks equal PyTorch's.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ...autograd.tensor import Tensor

Less = Callable[[float, float], bool]


def topk_indices(values: Tensor, k: int, largest: bool) -> Tensor:
    """The indices (int64, in no particular order) of the k entries `torch.topk(values, k, largest=...)` picks."""
    if isinstance(k, bool):  # what torch.topk's argument parser says
        raise TypeError("topk(): argument 'k' must be int, not bool")
    x = np.asarray(values._array, dtype=np.float64).reshape(-1)
    n = x.size
    if k == 0:
        return Tensor._wrap(np.zeros(0, np.int64))
    if not np.isnan(x).any():
        key = -x if largest else x
        kth = np.partition(key, k - 1)[k - 1]
        better = key < kth
        if better.sum() + (key == kth).sum() == k or k == n:
            return Tensor._wrap(np.flatnonzero(better | (key == kth)))
    vals = x.tolist()
    idx = list(range(n))
    less = _greater if largest else _smaller
    if k * 64 <= n:
        _heap_select(vals, idx, 0, k, n, less)
    else:
        _introselect(vals, idx, 0, k - 1, n, 2 * int(math.log2(n)), less)
    return Tensor._wrap(np.asarray(idx[:k], np.int64))


def _greater(a: float, b: float) -> bool:
    return (math.isnan(a) and not math.isnan(b)) or a > b


def _smaller(a: float, b: float) -> bool:
    return (not math.isnan(a) and math.isnan(b)) or a < b


def _swap(v: list[float], i: list[int], a: int, b: int) -> None:
    v[a], v[b] = v[b], v[a]
    i[a], i[b] = i[b], i[a]


def _introselect(v: list[float], ix: list[int], first: int, nth: int, last: int, depth: int, less: Less) -> None:
    """libstdc++'s `std::__introselect`."""
    if first == last or nth == last:
        return
    while last - first > 3:
        if depth == 0:
            _heap_select(v, ix, first, nth + 1, last, less)
            _swap(v, ix, first, nth)
            return
        depth -= 1
        cut = _partition_pivot(v, ix, first, last, less)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(v, ix, first, last, less)


def _partition_pivot(v: list[float], ix: list[int], first: int, last: int, less: Less) -> int:
    """`std::__unguarded_partition_pivot`: median of three moved to `first`, then Hoare's partition."""
    mid = first + (last - first) // 2
    a, b, c = first + 1, mid, last - 1
    if less(v[a], v[b]):
        if less(v[b], v[c]):
            _swap(v, ix, first, b)
        elif less(v[a], v[c]):
            _swap(v, ix, first, c)
        else:
            _swap(v, ix, first, a)
    elif less(v[a], v[c]):
        _swap(v, ix, first, a)
    elif less(v[b], v[c]):
        _swap(v, ix, first, c)
    else:
        _swap(v, ix, first, b)
    lo, hi, pivot = first + 1, last, v[first]
    while True:
        while less(v[lo], pivot):
            lo += 1
        hi -= 1
        while less(pivot, v[hi]):
            hi -= 1
        if not lo < hi:
            return lo
        _swap(v, ix, lo, hi)
        lo += 1


def _insertion_sort(v: list[float], ix: list[int], first: int, last: int, less: Less) -> None:
    """`std::__insertion_sort`."""
    if first == last:
        return
    for i in range(first + 1, last):
        val, vi = v[i], ix[i]
        if less(val, v[first]):
            v[first + 1:i + 1] = v[first:i]
            ix[first + 1:i + 1] = ix[first:i]
            v[first], ix[first] = val, vi
        else:
            j = i
            while less(val, v[j - 1]):
                v[j], ix[j] = v[j - 1], ix[j - 1]
                j -= 1
            v[j], ix[j] = val, vi


def _heap_select(v: list[float], ix: list[int], first: int, middle: int, last: int, less: Less) -> None:
    """`std::__heap_select`: a heap of the first `middle - first`, replacing its top by any smaller later one."""
    length = middle - first
    if length >= 2:
        parent = (length - 2) // 2
        while True:
            _adjust_heap(v, ix, first, parent, length, v[first + parent], ix[first + parent], less)
            if parent == 0:
                break
            parent -= 1
    for i in range(middle, last):
        if less(v[i], v[first]):
            val, vi = v[i], ix[i]
            v[i], ix[i] = v[first], ix[first]
            _adjust_heap(v, ix, first, 0, length, val, vi, less)


def _adjust_heap(v: list[float], ix: list[int], first: int, hole: int, length: int, val: float, vi: int,
                 less: Less) -> None:
    """`std::__adjust_heap` followed by `std::__push_heap`."""
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if less(v[first + child], v[first + child - 1]):
            child -= 1
        v[first + hole], ix[first + hole] = v[first + child], ix[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        v[first + hole], ix[first + hole] = v[first + child - 1], ix[first + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and less(v[first + parent], val):
        v[first + hole], ix[first + hole] = v[first + parent], ix[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    v[first + hole], ix[first + hole] = val, vi
