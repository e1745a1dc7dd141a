"""The create_graph walk: every node in reverse creation order, its rule's Tensor gradients summed per input."""

from __future__ import annotations

import warnings

from .. import grad_mode, ops
from ..hooks import HOOKS
from ..tensor import _RETAINING, Tensor, _check_saved, _freed_backward, _last_inplace
from ._base import (
    _RULES,
    _unsupported,
    sum_to,
)


def _through_hooks(t: Tensor, g: Tensor) -> Tensor:
    for hook in list(HOOKS[id(t)].pre.values()):
        result = hook(g)
        if result is not None:
            g = result
    return g


_WARNED = [False]


_CYCLE_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter and its gradient "
    "which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid this. If you "
    "have to use this function, make sure to reset the .grad fields of your parameters to None after use to break "
    "the cycle and avoid the leak.")


def run_graph_backward(root: Tensor, seed: Tensor, retain_graph: bool, only: set[int] | None = None,
                       capture: bool = False) -> None:
    """`_run_backward` with Tensor gradients recorded as graphs: every node in reverse creation order.

    `backward` (not `autograd.grad`, which `capture`s) warns once per process, as PyTorch does, that a `.grad`
    holding a graph of its own parameter is a reference cycle.
    """
    if not capture and not _WARNED[0]:
        _WARNED[0] = True
        warnings.warn(_CYCLE_WARNING, UserWarning, stacklevel=3)
    with grad_mode.enable_grad():
        _walk(root, seed, retain_graph, only, capture)


def _walk(root: Tensor, seed: Tensor, retain_graph: bool, only: set[int] | None, capture: bool) -> None:
    hooked = HOOKS
    leaves: dict[int, tuple[Tensor, Tensor]] = {}  # each leaf's summed gradient: hooks see it once, at the end
    if root._backward is None:
        _to_leaf(leaves, root, seed, only)
    else:
        _nodes(root, seed, retain_graph, only, leaves)
    for leaf, g in leaves.values():
        if hooked and id(leaf) in hooked:
            g = _through_hooks(leaf, g)
        leaf.grad = g if leaf.grad is None else ops.add(leaf.grad, g)
        if hooked and id(leaf) in hooked and not capture:
            for hook in list(hooked[id(leaf)].post.values()):
                hook(leaf)


def _nodes(root: Tensor, seed: Tensor, retain_graph: bool, only: set[int] | None,
           leaves: dict[int, tuple[Tensor, Tensor]]) -> None:
    """Run every node the root depends on, newest first (a reverse topological order), collecting leaf gradients."""
    hooked = HOOKS
    nodes, stack, seen = [], [root], {id(root)}
    while stack:
        node = stack.pop()
        nodes.append(node)
        for p in node._parents:
            if p._backward is not None and p.requires_grad and id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    nodes.sort(key=lambda n: -n._seq)
    grads: dict[int, Tensor] = {id(root): seed}
    mutated = _last_inplace[0]
    for node in nodes:
        g = grads.pop(id(node), None)
        if g is None:
            continue
        if node._backward is _freed_backward:
            node._backward(g._array)  # PyTorch's error for a second backward through a freed graph
        if node._seq < mutated:
            _check_saved(node)
        if hooked and id(node) in hooked:
            g = _through_hooks(node, g)
        if _RETAINING and id(node) in _RETAINING:
            node.grad = g if node.grad is None else ops.add(node.grad, g)
        rule = _RULES.get(node._op)
        if rule is not None:
            results = rule(node, g)
        elif node._op.endswith("Backward") and callable(getattr(node, "_ctx", None)):
            results = node._ctx(g)  # a custom autograd.Function: its own backward, run with grad mode on
        else:
            raise _unsupported(node)
        parents = node._parents
        if not retain_graph:
            node._backward = _freed_backward
            node._parents = ()
        for parent, pg in zip(parents, results):
            if pg is None or not parent.requires_grad:
                continue
            data = parent._array
            pg = sum_to(pg, data.shape)
            if pg._array.dtype != data.dtype:
                pg = ops.cast(pg, data.dtype)
            if parent._backward is None:
                _to_leaf(leaves, parent, pg, only)
            else:
                key = id(parent)
                grads[key] = pg if key not in grads else ops.add(grads[key], pg)


def _to_leaf(leaves: dict[int, tuple[Tensor, Tensor]], leaf: Tensor, g: Tensor, only: set[int] | None) -> None:
    if only is not None and id(leaf) not in only:
        return
    key = id(leaf)
    leaves[key] = (leaf, g if key not in leaves else ops.add(leaves[key][1], g))
