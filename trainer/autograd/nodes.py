"""Graph nodes as PyTorch shows them: `tensor.grad_fn` prints `<MulBackward0 object at 0x...>`.

Ops record only a short string (`"Mul"`); the node object and its PyTorch name are made when
`grad_fn` is first read, so the forward pass pays nothing for them.
"""

from __future__ import annotations

import weakref
from typing import Any

# op strings whose PyTorch node name is not `<op>Backward0` (a trailing digit n gives `<op>Backward<n>`)
_NAMES = {
    "Log1p": "Log1PBackward0", "Clamp": "ClampBackward1", "Reshape": "ViewBackward0", "MatMul": "UnsafeViewBackward0",
    "VecMat": "SqueezeBackward4", "CopySlices": "CopySlices", "AsStrided": "AsStridedBackward0",
    "LogSumExp": "LogsumexpBackward0", "Linear": "AddmmBackward0", "LinearNoBias": "MmBackward0",
    "Dropout": "MulBackward0", "BatchNorm": "NativeBatchNormBackward0", "LayerNorm": "NativeLayerNormBackward0",
    "CrossEntropyLoss": "NllLossBackward0", "L1Loss": "MeanBackward0", "Squeeze": "SqueezeBackward1",
    "BinaryCrossEntropy": "BinaryCrossEntropyBackward0",
    "CircularPad": "CopySlices",
}


def node_name(op: str) -> str:
    """PyTorch's class name for the backward node of an op recorded as `op`."""
    name = _NAMES.get(op)
    if name is not None:
        return name
    if "Backward" in op:  # custom autograd.Function nodes carry their full name
        return op.split("/")[0]
    if op[-1:].isdigit():
        return f"{op[:-1]}Backward{op[-1]}"
    return f"{op}Backward0"


class Node:
    """The backward node of a tensor: `name()`, `next_functions`, PyTorch's repr."""

    __slots__ = ("_op", "_parents", "__weakref__")

    def __init__(self, tensor: Any) -> None:
        self._op: str = tensor._op
        self._parents: tuple = tensor._parents

    def name(self) -> str:
        return node_name(self._op)

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """((node, 0), ...) for each input: its grad_fn, an AccumulateGrad for leaves, None if no grad is needed.

        A linear layer lists them as PyTorch's addmm(bias, input, weight.t()) / mm(input, weight.t()) does.
        """
        if self._op in ("Linear", "LinearNoBias"):
            x, w, *bias = self._parents
            return tuple((node_of(p), 0) for p in bias) + ((node_of(x), 0), (_Transpose(w), 0))
        return tuple((node_of(p), 0) for p in self._parents)

    @property
    def metadata(self) -> dict:
        return {}

    def __repr__(self) -> str:
        prefix = "torch.autograd.function." if "Backward" in self._op else ""
        return f"<{prefix}{self.name()} object at {hex(id(self))}>"


class _Transpose:
    """The `weight.t()` step PyTorch's linear records before its matrix product."""

    __slots__ = ("_weight",)

    def __init__(self, weight: Any) -> None:
        self._weight = weight

    def name(self) -> str:
        return "TBackward0"

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        return ((node_of(self._weight), 0),)

    @property
    def metadata(self) -> dict:
        return {}

    def __repr__(self) -> str:
        return f"<TBackward0 object at {hex(id(self))}>"


class AccumulateGrad:
    """The node that stores a leaf's gradient; `variable` is the leaf."""

    __slots__ = ("_leaf", "__weakref__")

    def __init__(self, leaf: Any) -> None:
        self._leaf = weakref.ref(leaf)

    @property
    def variable(self) -> Any:
        return self._leaf()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    next_functions: tuple = ()

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {hex(id(self))}>"


_CACHE: dict[int, Any] = {}
_CLASSES: dict[str, type] = {}


def _node_class(name: str) -> type:
    """The Node subclass named as PyTorch's node class (`type(t.grad_fn).__name__ == "MulBackward0"`)."""
    cls = _CLASSES.get(name)
    if cls is None:
        cls = _CLASSES[name] = type(name, (Node,), {"__slots__": (), "__module__": "torch.autograd.graph"})
    return cls


def _cached(tensor: Any, kind: type) -> Any:
    key = id(tensor)
    node = _CACHE.get(key)
    stale = kind is Node and node is not None and node._parents is not tensor._parents  # an in-place op renewed it
    if node is None or not isinstance(node, kind) or stale:
        node = _CACHE[key] = (_node_class(node_name(tensor._op)) if kind is Node else kind)(tensor)
        weakref.finalize(tensor, _CACHE.pop, key, None)
    return node


def grad_fn_of(tensor: Any) -> Node | None:
    """`tensor.grad_fn`: the same Node object on every read, None for leaves."""
    if tensor._backward is None:
        return None
    if tensor._op.endswith("/out"):  # an output of a multi-output autograd.Function: the shared node
        return grad_fn_of(tensor._parents[0])
    return _cached(tensor, Node)


def node_of(tensor: Any) -> Any:
    """The node a gradient flows to from a consumer of `tensor`."""
    if not tensor.requires_grad:
        return None
    if tensor._backward is None:
        return _cached(tensor, AccumulateGrad)
    return grad_fn_of(tensor)
