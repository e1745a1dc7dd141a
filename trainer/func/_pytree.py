"""PyTorch's pytrees (`torch.utils._pytree`) as torch.func uses them: tuples, lists, dicts, namedtuples,
OrderedDicts, defaultdicts and deques are nodes (dicts in insertion order); everything else, None included, is a
leaf. `TreeSpec` prints, compares and broadcasts as PyTorch's, so error messages naming structures match."""

from __future__ import annotations

from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable
from typing import Any

_NODES = (tuple, list, dict, OrderedDict, defaultdict, deque)
_NODE_SET = frozenset(_NODES)
_DICTS = (dict, OrderedDict, defaultdict)


def _is_namedtuple(value: Any) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def _node_type(value: Any) -> Any:
    """The node kind of `value` (`"namedtuple"` for every namedtuple class), or None for a leaf."""
    kind = type(value)
    if kind in _NODE_SET:
        return kind
    return "namedtuple" if _is_namedtuple(value) else None


def _children(value: Any, kind: Any) -> tuple[list[Any], Any]:
    if kind == "namedtuple":
        return list(value), type(value)
    if kind is defaultdict:
        return list(value.values()), [value.default_factory, list(value.keys())]
    if kind in _DICTS:
        return list(value.values()), list(value.keys())
    if kind is deque:
        return list(value), value.maxlen
    return list(value), None


class TreeSpec:
    """The structure of a pytree: a node kind, its context (dict keys, namedtuple class) and child specs."""

    __slots__ = ("type", "context", "children", "num_leaves")

    def __init__(self, kind: Any, context: Any, children: list[TreeSpec]) -> None:
        self.type, self.context, self.children = kind, context, children
        self.num_leaves = 1 if kind is None else sum(c.num_leaves for c in children)

    def is_leaf(self) -> bool:
        return self.type is None

    def __repr__(self, indent: int = 0) -> str:
        if self.type is None:
            return "*"
        name = "namedtuple" if self.type == "namedtuple" else self.type.__name__
        text = ""
        if self.children:
            indent += 2
            text = self.children[0].__repr__(indent) + ("," if len(self.children) > 1 else "")
            text += ",".join("\n" + " " * indent + c.__repr__(indent) for c in self.children[1:])
        return f"TreeSpec({name}, {self.context}, [{text}])"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TreeSpec):
            return NotImplemented
        return (str(self.type) == str(other.type) and self.context == other.context
                and self.children == other.children)

    __hash__ = None  # type: ignore[assignment]

    def flatten_up_to(self, tree: Any) -> list[Any]:
        """The subtrees of `tree` at this spec's leaves; ValueError when `tree` does not have this structure."""
        out: list[Any] = []
        self._up_to(tree, out)
        return out

    def _up_to(self, node: Any, out: list[Any]) -> None:
        if self.type is None:
            out.append(node)
            return
        kind = _node_type(node)
        both_dicts = self.type in _DICTS and kind in _DICTS
        if not both_dicts and kind != self.type:
            raise ValueError(f"Node type mismatch; expected {self.type!r}, but got {kind!r}.")
        if len(node) != len(self.children):
            raise ValueError(f"Node arity mismatch; expected {len(self.children)}, but got {len(node)}.")
        if both_dicts:
            keys = self.context[1] if self.type is defaultdict else self.context
            if set(node) != set(keys):
                raise ValueError("Node keys mismatch.")
            values = [node[k] for k in keys]
        else:
            values, context = _children(node, kind)
            if kind is not deque and context != self.context:
                raise ValueError(f"Node context mismatch for node type {self.type!r}.")
        for child, value in zip(self.children, values):
            child._up_to(value, out)


LEAF = TreeSpec(None, None, [])


def tree_flatten(tree: Any) -> tuple[list[Any], TreeSpec]:
    """(leaves in order, structure)."""
    leaves: list[Any] = []
    return leaves, _flatten(tree, leaves)


def _flatten(tree: Any, leaves: list[Any]) -> TreeSpec:
    kind = _node_type(tree)
    if kind is None:
        leaves.append(tree)
        return LEAF
    values, context = _children(tree, kind)
    return TreeSpec(kind, context, [_flatten(v, leaves) for v in values])


def tree_unflatten(leaves: list[Any], spec: TreeSpec) -> Any:
    """The pytree of `spec`'s structure holding `leaves`."""
    it = iter(leaves)
    return _build(spec, it)


def _build(spec: TreeSpec, it: Any) -> Any:
    if spec.type is None:
        return next(it)
    values = [_build(c, it) for c in spec.children]
    kind, context = spec.type, spec.context
    if kind == "namedtuple":
        return context(*values)
    if kind is defaultdict:
        return defaultdict(context[0], zip(context[1], values))
    if kind in (dict, OrderedDict):
        return kind(zip(context, values))
    if kind is deque:
        return deque(values, maxlen=context)
    return kind(values)


def tree_map(fn: Callable[[Any], Any], tree: Any) -> Any:
    leaves, spec = tree_flatten(tree)
    return tree_unflatten([fn(x) for x in leaves], spec)


def tree_leaves(tree: Any) -> list[Any]:
    return tree_flatten(tree)[0]


def broadcast_to_and_flatten(prefix: Any, spec: TreeSpec) -> list[Any] | None:
    """`prefix` (a tree whose leaves stand for whole subtrees of `spec`) repeated over `spec`'s leaves, or None
    when it is not a prefix of that structure (`_broadcast_to_and_flatten`)."""
    full = tree_unflatten([0] * spec.num_leaves, spec)
    values, prefix_spec = tree_flatten(prefix)
    try:
        subtrees = prefix_spec.flatten_up_to(full)
    except ValueError:
        return None
    out: list[Any] = []
    for value, sub in zip(values, subtrees):
        out.extend([value] * tree_flatten(sub)[1].num_leaves)
    return out


class _Star(str):
    def __repr__(self) -> str:
        return "*"


def treespec_pprint(spec: TreeSpec) -> str:
    """The structure as its tree with `*` leaves: `(*, {'a': *})`."""
    return repr(tree_unflatten([_Star("*")] * spec.num_leaves, spec))
