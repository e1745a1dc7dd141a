"""What every rule module shares: the registry of rules by op string, constants, the `_ctx` reader and the
refusal, and the helpers several families use (masked gradients, spreading over reduced axes, sums to a shape,
scatter/gather by flat positions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import ops
from ..nodes import node_name
from ..plain import grad_where
from ..tensor import Tensor

Rule = Callable[[Tensor, Tensor], tuple]


_RULES: dict[str, Rule] = {}


def _rule(*names: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        for name in names:
            _RULES[name] = fn
        return fn
    return register


def _const(arr: Any) -> Tensor:
    return Tensor._wrap(np.asarray(arr))


def _scalar(value: float, like: Tensor) -> Tensor:
    """`value` as a 0-d constant of `like`'s dtype."""
    return _const(np.asarray(value, like._array.dtype))


def _ctx(node: Tensor) -> Any:
    ctx = getattr(node, "_ctx", None)
    if ctx is None:
        raise _unsupported(node)
    return ctx


def _unsupported(node: Tensor) -> RuntimeError:
    return RuntimeError(
        f"create_graph=True: trainer cannot differentiate the gradient of {node_name(node._op)} (double backward "
        f"is implemented for {', '.join(sorted({node_name(op) for op in _RULES}))})")


def _sign(x: Tensor) -> Tensor:
    """sign(x) as a node of x with a zero gradient (PyTorch's `sgn`), so what multiplies by it stays in the graph."""
    out = Tensor._make(np.sign(x._array), (x,), lambda v: (np.zeros_like(v),), "Sgn")
    return out


def masked(g: Tensor, mask: np.ndarray, source: Tensor, factor: np.ndarray | None = None) -> Tensor:
    """ReLU's gradient (`g` where `mask` holds, else +0) or, with `factor`, g * factor (LeakyReLU's): a node of
    g and of the `source` the mask was read from, whose gradient through `source` is zero, as in PyTorch's
    threshold_backward and leaky_relu_backward."""
    def apply(v: np.ndarray) -> np.ndarray:
        return grad_where(mask, v) if factor is None else v * factor

    out = Tensor._make(apply(g._array), (g, source), lambda v: (apply(v), np.zeros_like(source._array)),
                       "MaskedGrad")
    out._ctx = (mask, factor)
    return out


def _spread(node: Tensor, g: Tensor, axes: tuple[int, ...] | None, keepdim: bool) -> Tensor:
    shape = node._parents[0]._array.shape
    if axes is not None and not keepdim:
        g = ops.reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return ops.expand(g, shape)


def _log_softmax_grad(g: Tensor, logp: Tensor, axis: int | None) -> Tensor:
    """log_softmax's gradient g - exp(logp) * sum(g) along `axis`, for the log-probabilities `logp`."""
    return ops.sub(g, ops.mul(ops.exp(logp), ops.sum(g, axis, keepdim=True)))


def scatter(g: Tensor, pos: np.ndarray, shape: tuple[int, ...]) -> Tensor:
    """A zero array of `shape` with g's elements added at the flat positions `pos` (one per element of g)."""
    flat = np.zeros(int(np.prod(shape)), dtype=g._array.dtype)
    np.add.at(flat, pos.reshape(-1), g._array.reshape(-1))
    out = Tensor._make(flat.reshape(shape), (g,), lambda v: (v.reshape(-1)[pos.reshape(-1)].reshape(pos.shape),),
                       "ScatterPositions")
    if out._backward is not None:
        out._ctx = pos
    return out


def gather(v: Tensor, pos: np.ndarray) -> Tensor:
    """v's elements at the flat positions `pos`, shaped as `pos` (the adjoint of `scatter`)."""
    shape = v._array.shape
    out = Tensor._make(v._array.reshape(-1)[pos.reshape(-1)].reshape(pos.shape), (v,),
                       lambda g: (_scattered(g, pos, shape),), "GatherPositions")
    if out._backward is not None:
        out._ctx = pos
    return out


def _scattered(g: np.ndarray, pos: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    flat = np.zeros(int(np.prod(shape)), dtype=g.dtype)
    np.add.at(flat, pos.reshape(-1), g.reshape(-1))
    return flat.reshape(shape)


def _mT(t: Tensor) -> Tensor:
    return ops.transpose(t, -1, -2)


def linear_map(g: Tensor, apply: Callable[[np.ndarray], np.ndarray], adjoint: Callable[[np.ndarray], np.ndarray],
               source: Tensor | None = None) -> Tensor:
    """`apply(g)` for a fixed linear map (a pooling's or an embedding's gradient) as a node of g, differentiated
    through `adjoint`; with `source` also a node of it with a zero gradient (PyTorch's `self: zeros_like(self)` of
    max_pool2d_with_indices_backward and avg_pool2d_backward), so it requires grad when the input does."""
    parents = (g,) if source is None else (g, source)

    def backward(v: np.ndarray) -> tuple:
        return (adjoint(v),) if source is None else (adjoint(v), np.zeros_like(source._array))

    out = Tensor._make(np.asarray(apply(g._array)), parents, backward, "LinearMap")
    out._ctx = (apply, adjoint)
    return out


def _first(backward: Callable) -> Callable[[np.ndarray], np.ndarray]:
    """A one-input node's numpy rule as the linear map g -> its gradient."""
    return lambda v: backward(v)[0]


def sum_to(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    """g summed over its broadcast dimensions down to `shape` (a graph node, unlike `unbroadcast`)."""
    if g._array.shape == shape:
        return g
    lead = g._array.ndim - len(shape)
    if lead > 0:
        g = ops.sum(g, tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g._array.shape[i] != 1)
    if axes:
        g = ops.sum(g, axes, keepdim=True)
    return g
