"""`trainer.autograd.Function` (custom ops with a user-written backward) and `trainer.autograd.grad`."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._lazy import _attribute
from . import grad_mode
from .size import Size
from .tensor import _RETAINING, Tensor, _move_ctx, _run_backward


class FunctionCtx:
    """What `forward` hands to `backward`: saved tensors, flags, and any attributes set on it."""

    def __init__(self, needs_input_grad: tuple[bool, ...]) -> None:
        self.needs_input_grad = needs_input_grad
        self.materialize_grads = True
        self._saved: tuple[Any, ...] = ()
        self._non_differentiable: set[int] = set()

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep tensors (or None) for `backward` as `ctx.saved_tensors`."""
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError("save_for_backward can only save variables, but argument is not a Tensor or None")
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        return self._saved

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """Outputs that get no gradient (e.g. indices); their grads reach `backward` as zeros."""
        self._non_differentiable.update(id(t) for t in tensors)

    def set_materialize_grads(self, value: bool) -> None:
        """With False, outputs that got no gradient reach `backward` as None instead of zeros."""
        self.materialize_grads = bool(value)

    def mark_dirty(self, *tensors: Tensor) -> None:
        """Accepted for compatibility; in-place outputs need nothing more here."""


class Function:
    """Subclass with `@staticmethod forward(ctx, *args, **kwargs)` and `backward(ctx, *grad_outputs)`,
    then call `MyFunction.apply(*args)`; forward runs without recording a graph. Or, as PyTorch 2 allows,
    `forward(*args)` without ctx plus `setup_context(ctx, inputs, output)`, `inputs` with forward's defaults bound."""

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    @staticmethod
    def setup_context(ctx: FunctionCtx, inputs: tuple[Any, ...], output: Any) -> Any:
        raise NotImplementedError("setup_context is not implemented.")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        separate = cls.setup_context is not Function.setup_context
        if separate:  # as PyTorch: forward's defaults bound, so `inputs` holds every argument
            bound = inspect.signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, bound.kwargs
        needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx = FunctionCtx(needs)
        with grad_mode.no_grad():
            if separate:
                result = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, result)
            else:
                result = cls.forward(ctx, *args, **kwargs)
        single = not isinstance(result, tuple)
        outs = (result,) if single else result
        record = grad_mode._enabled[0] and any(needs)
        inputs = tuple(a for a in args if isinstance(a, Tensor))
        slots = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        wrapped = []
        for o in outs:  # an input returned as is becomes a new tensor; only outputs get the new node
            wrapped.append(Tensor._wrap(o._array) if isinstance(o, Tensor) and any(o is a for a in inputs) else o)
        if not record:
            return wrapped[0] if single else tuple(wrapped)
        diff = [i for i, o in enumerate(wrapped)
                if isinstance(o, Tensor) and o._array.dtype.kind in "fc" and id(outs[i]) not in ctx._non_differentiable]
        _attach(cls, ctx, wrapped, diff, inputs, slots, len(args))
        return wrapped[0] if single else tuple(wrapped)


def once_differentiable(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorates a Function's `backward` that is not itself differentiable: it runs without recording a graph."""
    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        with grad_mode.no_grad():
            return fn(ctx, *args, **kwargs)

    return wrapper


def _attach(cls: type, ctx: FunctionCtx, outs: list[Any], diff: list[int], inputs: tuple[Tensor, ...],
            slots: list[int], n_args: int) -> None:
    """Give the differentiable outputs one shared node that calls `cls.backward` with every output's grad."""
    name = f"{cls.__name__}Backward"
    shapes = [(o._array.shape, o._array.dtype) if isinstance(o, Tensor) else None for o in outs]

    def run_user_backward(grads: list[np.ndarray | None]) -> list[np.ndarray | None]:
        gs = []
        for i, g in enumerate(grads):
            if g is None and ctx.materialize_grads and shapes[i] is not None:
                g = np.zeros(*shapes[i])
            gs.append(None if g is None else Tensor._wrap(g))
        with grad_mode.no_grad():
            res = cls.backward(ctx, *gs)
        res = res if isinstance(res, tuple) else (res,)
        if len(res) < n_args:
            raise RuntimeError(f"function {name} returned an incorrect number of gradients (expected {n_args}, "
                               f"got {len(res)})")
        out = []
        for k, i in enumerate(slots):
            r = res[i]
            if r is None or not inputs[k].requires_grad:
                out.append(None)
                continue
            arr = r._array if isinstance(r, Tensor) else np.asarray(r)
            if arr.shape != inputs[k]._array.shape:
                try:
                    arr = np.broadcast_to(arr, inputs[k]._array.shape) if arr.size == 1 else arr
                except ValueError:
                    pass
            out.append(arr)
        return out

    def graph_backward(g: Tensor) -> list[Tensor | None]:
        """`cls.backward` under create_graph: run with grad mode on, as PyTorch does, so a backward written with
        differentiable ops (on the saved inputs and outputs) gives gradients that are graphs themselves."""
        with grad_mode.enable_grad():
            res = cls.backward(ctx, g)
        res = res if isinstance(res, tuple) else (res,)
        if len(res) < n_args:
            raise RuntimeError(f"function {name} returned an incorrect number of gradients (expected {n_args}, "
                               f"got {len(res)})")
        out: list[Tensor | None] = []
        for k, i in enumerate(slots):
            r = res[i]
            if r is None or not inputs[k].requires_grad:
                out.append(None)
                continue
            r = r if isinstance(r, Tensor) else Tensor._wrap(np.asarray(r, dtype=inputs[k]._array.dtype))
            shape = inputs[k]._array.shape
            out.append(r.expand(*shape) if r._array.shape != shape and r._array.size == 1 else r)  # as first order
        return out

    if len(diff) == 1 and len(outs) == 1:
        o = outs[0]
        made = Tensor._make(o._array, inputs, lambda g: run_user_backward([g]), name)
        made._ctx = graph_backward  # for `higher_order` (one output only; several refuse create_graph)
        _adopt(o, made)
        return
    # several outputs: each output's node passes its gradient to one joint node, which calls backward once
    sizes = [outs[i]._array.size for i in diff]
    joint = Tensor._make(np.zeros(int(np.sum(sizes)) if sizes else 0), inputs, None, name)  # type: ignore[arg-type]
    received: dict[int, np.ndarray] = {}

    def joint_backward(_: np.ndarray):
        grads: list[np.ndarray | None] = [received.pop(i, None) for i in range(len(outs))]
        return run_user_backward(grads)

    joint._backward = joint_backward
    zero = np.zeros(joint._array.shape)
    for i in diff:
        def out_backward(g: np.ndarray, i: int = i):
            received[i] = received[i] + g if i in received else g
            return (zero,)

        made = Tensor._make(outs[i]._array, (joint,), out_backward, name + "/out")
        _adopt(outs[i], made)


def _adopt(target: Tensor, made: Tensor) -> None:
    """Give `target` (a tensor the user's forward returned) the graph node `made` holds."""
    target.requires_grad = made.requires_grad
    target._parents = made._parents
    target._backward = made._backward
    target._op = made._op
    if made.requires_grad:
        target._seq = made._seq
    _move_ctx(made, target)


def _seeds(outs: list[Tensor], gouts: Sequence[Any]) -> list[np.ndarray]:
    """The gradient each output starts from: the given one, or 1 for a one-element output."""
    seeds = []
    for k, (o, g) in enumerate(zip(outs, gouts)):
        if not o.requires_grad:
            raise RuntimeError(f"element {k} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if o._array.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = np.ones_like(o._array)
        seed = np.asarray(g._array if isinstance(g, Tensor) else g, dtype=o._array.dtype)
        if seed.shape != o._array.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{k}] has a shape of {Size(seed.shape)} and "
                               f"output[{k}] has a shape of {o.shape}.")
        seeds.append(seed)
    return seeds


def _root(outs: list[Tensor], seeds: list[np.ndarray]) -> tuple[Tensor, np.ndarray]:
    """One node to walk back from: the output itself, or the sum of every output weighted by its seed."""
    if len(outs) == 1:
        return outs[0], seeds[0]
    with grad_mode.enable_grad():
        terms = [(o * Tensor._wrap(s)).sum() for o, s in zip(outs, seeds)]
        root = terms[0]
        for term in terms[1:]:
            root = root + term
    return root, np.ones((), root._array.dtype)


def _graph_root(outs: list[Tensor], seeds: list[np.ndarray], gouts: Sequence[Any]) -> tuple[Tensor, Tensor]:
    """`_root` for `create_graph`: given gradients that are tensors stay in the graph (they may require grad)."""
    given = [g if isinstance(g, Tensor) and g._array.dtype == s.dtype else Tensor._wrap(s)
             for g, s in zip(gouts, seeds)]
    if len(outs) == 1:
        return outs[0], given[0]
    with grad_mode.enable_grad():
        terms = [(o * s).sum() for o, s in zip(outs, given)]
        root = terms[0]
        for term in terms[1:]:
            root = root + term
    return root, Tensor._wrap(np.ones((), root._array.dtype))


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
             grad_variables: Any = None, inputs: Any = None) -> None:
    """`torch.autograd.backward`: accumulate the gradients of several outputs at once (each with its own seed)."""
    if grad_variables is not None:
        grad_tensors = grad_variables
    outs = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    if grad_tensors is None:
        gouts: Sequence[Any] = [None] * len(outs)
    else:
        gouts = [grad_tensors] if isinstance(grad_tensors, Tensor) else list(grad_tensors)
    if len(gouts) != len(outs):
        raise RuntimeError(f"got {len(outs)} tensors and {len(gouts)} gradients")
    seeds = _seeds(outs, gouts)
    if create_graph:
        root, graph_seed = _graph_root(outs, seeds, gouts)
        root.backward(graph_seed, retain_graph=retain_graph, create_graph=True, inputs=inputs)
        return
    root, seed = _root(outs, seeds)
    root.backward(Tensor._wrap(seed), retain_graph=retain_graph, inputs=inputs)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, only_inputs: bool = True, allow_unused: bool | None = None,
         is_grads_batched: bool = False, materialize_grads: bool = False) -> tuple[Tensor | None, ...]:
    """The gradients of `outputs` with respect to `inputs`, returned instead of accumulated into `.grad`.

    With `create_graph` they are graphs themselves (`higher_order`), and the graph is kept unless
    `retain_graph=False`, as in PyTorch.
    """
    if is_grads_batched:
        raise RuntimeError("is_grads_batched=True is not supported")
    outs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None:
        gouts: Sequence[Any] = [None] * len(outs)
    else:
        gouts = [grad_outputs] if isinstance(grad_outputs, Tensor) else list(grad_outputs)
    if len(gouts) != len(outs):
        raise RuntimeError(f"got {len(outs)} tensors and {len(gouts)} gradients")
    for t in ins:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    seeds = _seeds(outs, gouts)
    saved = [(t, t.grad) for t in ins]
    added = []
    for t in ins:
        t.grad = None
        if not t.is_leaf and id(t) not in _RETAINING:
            _RETAINING[id(t)] = lambda: None  # type: ignore[assignment]
            added.append(id(t))
    leaves = {id(t) for t in ins if t.is_leaf}
    try:
        if create_graph:
            root, graph_seed = _graph_root(outs, seeds, gouts)
            run_graph = _attribute("trainer.autograd", "higher_order", "run_graph_backward")
            run_graph(root, graph_seed, retain_graph is None or bool(retain_graph), leaves, capture=True)
        else:
            root, seed = _root(outs, seeds)
            _run_backward(root, seed, bool(retain_graph), leaves, capture=True)
        result = [t.grad for t in ins]
    finally:
        for key in added:
            _RETAINING.pop(key, None)
        for t, g in saved:
            t.grad = g
    for k, r in enumerate(result):
        if r is None:
            if materialize_grads:
                result[k] = Tensor._wrap(np.zeros_like(ins[k]._array))
            elif not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {k} appears to not have been used in the "
                                   "graph. Set allow_unused=True if this is the desired behavior.")
    return tuple(result)
