"""`embedding_bag`: sums, means or maxima of bags of embedding rows, without the (bags, length, dim) tensor."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...autograd.tensor import Tensor
from ._util import as_tensor
from .layers import embedding

_MODES = ("sum", "mean", "max")


def _bags(input: Tensor, offsets: Tensor | None, include_last_offset: bool) -> tuple[np.ndarray, np.ndarray, int]:  # noqa: A002
    """The flat indices, each one's bag (-1: after the last bag) and the number of bags."""
    idx = input._array
    if idx.ndim == 2:
        if offsets is not None:
            kind = "<class 'torch.Tensor'>" if isinstance(offsets, Tensor) else str(type(offsets))
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {kind}")
        return idx.reshape(-1), np.repeat(np.arange(idx.shape[0]), idx.shape[1]), idx.shape[0]
    if idx.ndim != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {idx.ndim}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    starts = offsets._array
    if starts.ndim != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    if starts.size and starts[0] != 0:
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                           f"position 0. However, got {int(starts[0])}")
    if starts.size and starts[-1] > idx.size:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {idx.size} but got offsets[-1] of "
                           f"{int(starts[-1])}")
    n = starts.size - 1 if include_last_offset else starts.size
    bag = np.searchsorted(starts[:n], np.arange(idx.size), side="right") - 1
    if include_last_offset:
        bag[np.arange(idx.size) >= starts[-1]] = -1
    return idx, bag, n


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None,  # noqa: A002
                  max_norm: float | None = None, norm_type: float = 2, scale_grad_by_freq: bool = False,
                  mode: str = "mean", sparse: bool = False, per_sample_weights: Tensor | None = None,
                  include_last_offset: bool = False, padding_idx: int | None = None) -> Tensor:
    """One row per bag: the sum, mean or max of the bag's rows of `weight` (rows at `padding_idx` left out, an
    empty bag gives zeros); `per_sample_weights` scale the rows in mode 'sum'."""
    x = as_tensor(input, "embedding_bag", "input")
    if mode not in _MODES:
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if sparse:
        raise ValueError("embedding_bag: sparse gradients are not supported; use sparse=False")
    idx, bag, n = _bags(x, offsets, include_last_offset)
    if max_norm is not None:
        embedding(Tensor._wrap(idx), weight, max_norm=max_norm, norm_type=norm_type)  # renormalises in place
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    w = weight._array
    if idx.size and (idx.min() < 0 or idx.max() >= w.shape[0]):
        raise IndexError("index out of range in self")
    keep = bag >= 0
    if padding_idx is not None:
        keep &= idx != padding_idx % w.shape[0]
    return _reduce(weight, per_sample_weights, idx, bag, keep, n, mode, scale_grad_by_freq)


def _reduce(weight: Tensor, psw_t: Tensor | None, idx: np.ndarray, bag: np.ndarray, keep: np.ndarray, n: int,
            mode: str, scale: bool) -> Tensor:
    """The bags' rows reduced, recorded as one EmbeddingBagBackward0 node (weight and per-sample weights)."""
    w = weight._array
    idx, bag = idx[keep], bag[keep]
    psw = None if psw_t is None else psw_t._array.reshape(-1)[keep]
    rows = w[idx] if psw is None else w[idx] * psw[:, None]
    out = np.zeros((n, w.shape[1]), w.dtype)
    count = np.bincount(bag, minlength=n).astype(w.dtype)
    picked = None
    if mode == "max":
        picked = np.full((n, w.shape[1]), -1)
        for b in np.unique(bag):
            members = np.flatnonzero(bag == b)
            best = members[np.argmax(rows[members], axis=0)]  # the first of tied maxima
            picked[b] = best
            out[b] = rows[best, np.arange(w.shape[1])]
    else:
        np.add.at(out, bag, rows)
        if mode == "mean":
            out /= np.maximum(count, 1)[:, None]
    freq = np.bincount(idx, minlength=w.shape[0])[idx].astype(w.dtype) if scale else None

    def backward(g: np.ndarray) -> tuple[Any, ...]:
        gw = np.zeros_like(w)
        if picked is not None:
            b, d = np.nonzero(picked >= 0)
            np.add.at(gw, (idx[picked[b, d]], d), g[b, d])
            return (gw,)
        per_row = g[bag] / np.maximum(count, 1)[bag][:, None] if mode == "mean" else g[bag]
        if freq is not None:
            per_row = per_row / freq[:, None]
        np.add.at(gw, idx, per_row if psw is None else per_row * psw[:, None])
        if psw_t is None:
            return (gw,)
        gp = np.zeros(psw_t._array.size, w.dtype)
        gp[keep] = np.sum(g[bag] * w[idx], axis=1)
        return gw, gp.reshape(psw_t._array.shape)

    parents = (weight,) if psw_t is None else (weight, psw_t)
    return Tensor._make(out, parents, backward, "EmbeddingBag")
