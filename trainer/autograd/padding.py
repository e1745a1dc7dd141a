"""Padding of the last dims (`F.pad`'s engine op): constant, reflect, replicate and circular, negative pads crop.

Constant padding copies into a filled array; the other modes gather along each padded dim with an
index vector, and their backward adds the gradient back through the same indices as one small
matrix product per dim (a one-hot (out, in) matrix), so repeated source positions sum.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .tensor import Tensor

_OP = {"reflect": "ReflectionPad{}D", "replicate": "ReplicationPad{}D", "circular": "CircularPad"}


def source_index(size: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """For each position of the padded dim, the input position it copies (modes other than constant)."""
    pos = np.arange(-lo, size + hi)
    if mode == "replicate":
        return np.clip(pos, 0, size - 1)
    if mode == "circular":  # a negative pad crops first; the rest wraps around what is left, as PyTorch
        start, kept = max(-lo, 0), size - max(-lo, 0) - max(-hi, 0)
        return start + np.arange(-max(lo, 0), kept + max(hi, 0)) % max(kept, 1)
    period = 2 * (size - 1)  # reflect: mirror at both ends without repeating the edge
    if period == 0:
        return np.zeros_like(pos)
    r = pos % period
    return np.where(r < size, r, period - r)


def _constant(x: Tensor, pads: Sequence[tuple[int, int]], value: float) -> Tensor:
    a = x._array
    lead = a.ndim - len(pads)
    shape = a.shape[:lead] + tuple(n + lo + hi for n, (lo, hi) in zip(a.shape[lead:], pads))
    out = np.full(shape, value, dtype=a.dtype)
    # where input and output overlap: the input from max(-lo, 0), the output from max(lo, 0)
    src = (Ellipsis,) + tuple(slice(max(-lo, 0), n - max(-hi, 0)) for n, (lo, hi) in zip(a.shape[lead:], pads))
    dst = (Ellipsis,) + tuple(slice(max(lo, 0), m - max(hi, 0)) for m, (lo, hi) in zip(shape[lead:], pads))
    out[dst] = a[src]
    in_shape = a.shape

    def backward(g: np.ndarray):
        grad = np.zeros(in_shape, dtype=g.dtype)
        grad[src] = g[dst]
        return (grad,)

    return Tensor._make(out, (x,), backward, "ConstantPadNd")


def pad(x: Tensor, pads: Sequence[tuple[int, int]], mode: str = "constant", value: float = 0.0) -> Tensor:
    """`x` padded by (lo, hi) on each of its last len(pads) dims, the first pair for the first of those dims.

    Arguments are already checked (nn.functional.pad does that, with PyTorch's messages).
    """
    if mode == "constant":
        return _constant(x, pads, value)
    a = x._array
    lead = a.ndim - len(pads)
    indices = [source_index(a.shape[lead + i], lo, hi, mode) for i, (lo, hi) in enumerate(pads)]
    out = a
    for i, idx in enumerate(indices):
        out = np.take(out, idx, axis=lead + i)
    in_shape = a.shape

    def backward(g: np.ndarray):
        for i, idx in enumerate(indices):
            axis = lead + i
            onehot = np.zeros((idx.size, in_shape[axis]), dtype=g.dtype)
            onehot[np.arange(idx.size), idx] = 1
            g = np.moveaxis(np.moveaxis(g, axis, -1) @ onehot, -1, axis)
        return (np.ascontiguousarray(g),)

    if out is a:  # nothing padded: still a new tensor
        out = a.copy()
    res = Tensor._make(out, (x,), backward, _OP[mode].format(len(pads)))
    res._ctx = (lead, indices)  # for `higher_order`
    return res
