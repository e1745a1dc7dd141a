"""Counting and searching (no gradients): histc, searchsorted and bucketize (PyTorch's binary search), and
unique_consecutive (run-length unique), as torch.X and Tensor methods (but searchsorted and bucketize, functions
only)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._stat_helpers import _axis, _is_nan, _torch_name
from .tensor import Tensor

__all__ = ["histc", "bucketize", "searchsorted", "unique_consecutive"]


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


# ----- Tensor methods --------------------------------------------------------------------------

_NOT_METHODS = ("bucketize", "searchsorted")
_METHODS = {name: globals()[name] for name in __all__ if name not in _NOT_METHODS}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
