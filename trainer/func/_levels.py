"""Levels of the differentiating transforms (grad, vjp, jacrev, jvp, ...) over the one reverse-mode graph.

functorch gives each transform its own level of wrapped tensors; here every level shares trainer's graph, so a
level tells its own inputs from the rest by marking them: a transform's fresh leaves belong to it (`own`). An
input that already requires grad (the user's, or an enclosing transform's) is seen through a view instead, so
the enclosing level still differentiates through it. A result stays attached to the graph only when it reaches
a leaf that is still live outside this level: one the user made, or one an enclosing active level owns
(`reaches_outside`); otherwise it is detached, as functorch unwraps it, so nothing leaks `requires_grad`.
"""

from __future__ import annotations

import contextlib
import itertools
import weakref
from collections.abc import Iterator
from typing import Any

from ..autograd import grad_mode
from ..autograd.tensor import Tensor
from . import _pytree

_tokens = itertools.count(1)
_ACTIVE: list[int] = []  # the tokens of the levels now running, outermost first
_OWNER: dict[int, tuple[weakref.ref, int]] = {}  # id(leaf) -> (the leaf, the token of the level that made it)


class Level:
    """One running transform: its token and whether an enclosing computation records the graph."""

    __slots__ = ("token", "tracked")

    def __init__(self, tracked: bool) -> None:
        self.token = next(_tokens)
        self.tracked = tracked


@contextlib.contextmanager
def level() -> Iterator[Level]:
    """A new level, with grad mode on inside (functorch's grad ignores an enclosing no_grad)."""
    current = Level(grad_mode.is_grad_enabled())
    _ACTIVE.append(current.token)
    try:
        with grad_mode.enable_grad():
            yield current
    finally:
        _ACTIVE.pop()


def _forget(key: int) -> Any:
    return lambda _ref: _OWNER.pop(key, None)


def differentiable(x: Any, lv: Level) -> Tensor:
    """The tensor the function sees for a differentiated input: a view of `x` when the enclosing graph tracks it,
    else a fresh leaf that requires grad, owned by `lv`."""
    if not isinstance(x, Tensor):
        raise ValueError(f"Thing passed to transform API must be Tensor, got {type(x)}")
    if lv.tracked and x.requires_grad:
        return x.view_as(x)
    leaf = x.detach()
    leaf.requires_grad_()
    _OWNER[id(leaf)] = (weakref.ref(leaf, _forget(id(leaf))), lv.token)
    return leaf


def _outside(leaf: Tensor, token: int) -> bool:
    entry = _OWNER.get(id(leaf))
    if entry is None or entry[0]() is not leaf:
        return True  # the user's leaf
    owner = entry[1]
    return owner != token and owner in _ACTIVE


def reaches_outside(values: Any, lv: Level) -> bool:
    """Whether any tensor in the pytree `values` depends on a leaf that is live outside level `lv`."""
    if not lv.tracked:
        return False
    stack = [t for t in _pytree.tree_leaves(values) if isinstance(t, Tensor) and t.requires_grad]
    seen: set[int] = set()
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        if t._backward is None:
            if _outside(t, lv.token):
                return True
            continue
        stack.extend(p for p in t._parents if p.requires_grad)
    return False


def unwrap(values: Any, lv: Level) -> Any:
    """`values` as the enclosing level sees them: each tensor detached unless it reaches outside `lv`."""
    def one(t: Any) -> Any:
        if isinstance(t, Tensor) and t.requires_grad and not reaches_outside(t, lv):
            return t.detach()
        return t
    return _pytree.tree_map(one, values)


def unwrap_aux(values: Any, lv: Level) -> Any:
    """`unwrap` for a function's aux output, which must hold only tensors."""
    for leaf in _pytree.tree_leaves(values):
        if not isinstance(leaf, Tensor):
            raise RuntimeError(f"Expected tensors, got unsupported type {type(leaf)}")
    return unwrap(values, lv)
