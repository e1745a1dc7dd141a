"""Rules for reshapes, views, indexing, joins, splits, gathers, scatters, triangles, diagonals, einsum and pads."""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable

import numpy as np

from .. import more_ops, ops
from ..tensor import Tensor
from ._base import (
    _const,
    _ctx,
    _rule,
    _scalar,
    _scattered,
    _unsupported,
    gather,
    linear_map,
    scatter,
    sum_to,
)


@_rule("Reshape", "Squeeze", "Squeeze0")
def _reshape(node: Tensor, g: Tensor) -> tuple:
    return (ops.reshape(g, node._parents[0]._array.shape),)


@_rule("Expand")
def _expand(node: Tensor, g: Tensor) -> tuple:
    return (sum_to(g, node._parents[0]._array.shape),)


@_rule("Transpose", "T", "Permute", "Select", "Slice", "Unsqueeze", "Alias", "Index")
def _view(node: Tensor, g: Tensor) -> tuple:
    """Indexing (its `_ctx` is the index) and any op whose result is a numpy view of its input: the gradient
    scatters back to the positions read (repeated ones accumulate)."""
    parent = node._parents[0]
    index = getattr(node, "_ctx", None)
    if index is not None:
        pos = np.arange(parent._array.size, dtype=np.int64).reshape(parent._array.shape)[index]
    else:
        pos = _view_positions(node._array, parent._array)
    if pos is None:
        raise _unsupported(node)
    return (scatter(g, np.asarray(pos), parent._array.shape),)


def _view_positions(view: np.ndarray, parent: np.ndarray) -> np.ndarray | None:
    """The flat (C-order) index into `parent` of each element of `view`, by address (None unless `view` lies in
    `parent`'s memory and no two elements of `parent` share an address)."""
    if view.dtype != parent.dtype or view.size == 0:
        return None if view.size else np.zeros(view.shape, np.int64)

    def addresses(a: np.ndarray) -> np.ndarray:
        start = a.__array_interface__["data"][0]
        offsets = builtins.sum((np.arange(n, dtype=np.int64) * s).reshape((-1,) + (1,) * (a.ndim - i - 1))
                               for i, (n, s) in enumerate(zip(a.shape, a.strides)))
        return np.broadcast_to(start + np.asarray(offsets, np.int64), a.shape).reshape(-1)

    owner = addresses(parent)
    order = np.argsort(owner, kind="stable")
    ranked = owner[order]
    if ranked.size > 1 and np.any(ranked[1:] == ranked[:-1]):
        return None
    wanted = addresses(view)
    at = np.searchsorted(ranked, wanted)
    if np.any(at >= ranked.size) or np.any(ranked[np.minimum(at, ranked.size - 1)] != wanted):
        return None
    return order[at].reshape(view.shape)


@_rule("ScatterPositions")
def _scatter_positions(node: Tensor, g: Tensor) -> tuple:
    return (gather(g, _ctx(node)),)


@_rule("GatherPositions")
def _gather_positions(node: Tensor, g: Tensor) -> tuple:
    return (scatter(g, _ctx(node), node._parents[0]._array.shape),)


@_rule("Cat")
def _cat(node: Tensor, g: Tensor) -> tuple:
    parents, shape = node._parents, node._array.shape
    dims = [d for d in range(len(shape)) if shape[d] == builtins.sum(p._array.shape[d] for p in parents)
            and all(p._array.shape[:d] + p._array.shape[d + 1:] == shape[:d] + shape[d + 1:] for p in parents)]
    if not dims:
        raise _unsupported(node)
    d, start, out = dims[0], 0, []
    for p in parents:
        n = p._array.shape[d]
        out.append(ops.getitem(g, (slice(None),) * d + (slice(start, start + n),)) if p.requires_grad else None)
        start += n
    return tuple(out)


def _injection_positions(node: Tensor) -> tuple:
    """For a node whose numpy rule hands each parent element at most one element of g (a copy, flip, split,
    triangle, diagonal, constant pad, scatter: linear in g alone), the flat index into g of each parent element's
    gradient (-1 for none), per parent: that rule applied to the positions 1..n."""
    n = node._array.size
    probe = np.arange(1, n + 1, dtype=np.float64).reshape(node._array.shape)
    out = []
    for p, r in zip(node._parents, node._backward(probe)):
        if r is None or not p.requires_grad:
            out.append(None)
            continue
        r = np.asarray(r)
        if r.dtype != np.float64 and n >= 1 << 24:  # positions no longer exact in a narrower float
            raise _unsupported(node)
        out.append(np.rint(r).astype(np.int64) - 1)
    return tuple(out)


def _pick(v: np.ndarray, pos: np.ndarray) -> np.ndarray:
    return np.where(pos >= 0, v.reshape(-1)[np.maximum(pos, 0)], np.zeros((), v.dtype)).astype(v.dtype, copy=False)


def _put(v: np.ndarray, pos: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    flat, hit = np.zeros(math.prod(shape), v.dtype), pos >= 0
    np.add.at(flat, pos[hit], np.broadcast_to(v, pos.shape)[hit])
    return flat.reshape(shape)


def _picked(g: Tensor, pos: np.ndarray) -> Tensor:
    """g's elements at `pos` (0 at -1) as a linear node of g; its gradient adds back at those positions."""
    shape = g._array.shape
    return linear_map(g, lambda v: _pick(v, pos), lambda v: _put(v, pos, shape))


@_rule("Stack", "Split", "SplitWithSizes", "Unbind", "Flip", "Roll", "Tril", "Triu", "Diagonal", "Diag", "DiagEmbed",
       "ConstantPadNd", "Scatter", "Scatter1", "ScatterAdd")
def _injection(node: Tensor, g: Tensor) -> tuple:
    """Each parent's gradient picks elements of g (PyTorch's: functions of g alone)."""
    return tuple(None if pos is None else _picked(g, pos) for pos in _injection_positions(node))


@_rule("MaskedFill")
def _masked_fill(node: Tensor, g: Tensor) -> tuple:
    """g with zeros where the mask holds for the input; the sum of g there for a tensor value."""
    x, v = node._parents
    probe = np.arange(1, node._array.size + 1, dtype=np.float64).reshape(node._array.shape)
    pos = np.rint(np.asarray(node._backward(probe)[0])).astype(np.int64) - 1
    gx = _picked(g, pos) if x.requires_grad else None
    gv = ops.sum(ops.where(_const(pos < 0), g, _scalar(0, g))) if v.requires_grad else None
    return gx, gv


def _selected(g: Tensor, forward: Callable[[np.ndarray], np.ndarray], shape: tuple[int, ...]) -> Tensor:
    """The gradient of a result each of whose elements copies one input element (`forward` maps the input's flat
    positions to the result's): g added back at those positions."""
    pos = np.asarray(forward(np.arange(math.prod(shape), dtype=np.int64).reshape(shape)))
    return scatter(g, np.ascontiguousarray(pos), shape)


@_rule("Repeat", "IndexSelect", "Gather")
def _gathered(node: Tensor, g: Tensor) -> tuple:
    return (_selected(g, _ctx(node), node._parents[0]._array.shape),)


@_rule("ReflectionPad1D", "ReflectionPad2D", "ReflectionPad3D", "ReplicationPad1D", "ReplicationPad2D",
       "ReplicationPad3D", "CircularPad")
def _index_pad(node: Tensor, g: Tensor) -> tuple:
    lead, indices = _ctx(node)

    def forward(v: np.ndarray) -> np.ndarray:
        for i, idx in enumerate(indices):
            v = np.take(v, idx, axis=lead + i)
        return v

    x = node._parents[0]
    if node._op == "CircularPad":  # a composite of copies in PyTorch: a function of g alone
        return (_selected(g, forward, x._array.shape),)
    # reflection_pad / replication_pad _backward: linear in g, with a zero-gradient link to the input
    shape = x._array.shape
    pos = np.ascontiguousarray(forward(np.arange(math.prod(shape), dtype=np.int64).reshape(shape)))
    return (linear_map(g, lambda v: _scattered(v, pos, shape), lambda v: v.reshape(-1)[pos.reshape(-1)].reshape(
        pos.shape), x),)


@_rule("Einsum")
def _einsum(node: Tensor, g: Tensor) -> tuple:
    """Each operand's gradient is the einsum of g with the other operands (their broadcast shapes), onto the
    operand's distinct subscripts, spread over those only it has and put on the diagonal of repeated ones."""
    subs, out_subs, sizes = _ctx(node)
    parents = node._parents
    full = [ops.expand(t, tuple(sizes[c] for c in s)) for s, t in zip(subs, parents)]
    grads = []
    for i, (s, t) in enumerate(zip(subs, parents)):
        if not t.requires_grad:
            grads.append(None)
            continue
        uniq = "".join(dict.fromkeys(s))
        others = [j for j in range(len(subs)) if j != i]
        have = set(out_subs).union(*(subs[j] for j in others))
        reach = "".join(c for c in uniq if c in have)
        r = more_ops.einsum(",".join([out_subs, *(subs[j] for j in others)]) + "->" + reach, g,
                            *(full[j] for j in others))
        r = ops.expand(ops.reshape(r, tuple(sizes[c] if c in reach else 1 for c in uniq)),
                       tuple(sizes[c] for c in uniq))
        if len(uniq) != len(s):
            grid = np.indices(r._array.shape)
            target = tuple(sizes[c] for c in s)
            pos = np.ravel_multi_index(tuple(grid[uniq.index(c)] for c in s), target)
            r = scatter(r, pos, target)
        grads.append(r)
    return tuple(grads)
