"""Activation checkpointing, as `torch.utils.checkpoint`: a block's forward keeps no intermediate graph and its
backward runs the block again (with the forward's RNG state, so dropout draws the same masks).

`use_reentrant=True` (PyTorch 2.13's default, with its warning when the argument is not passed) is
`CheckpointFunction`, a custom `autograd.Function`: the forward runs under no_grad; gradients reach the inputs
that require grad and, from the recomputation's own backward, the parameters used inside. With
`use_reentrant=False` the forward records the block once to find the tensors it reads from outside (inputs and
parameters), then replaces its graph by one node per output whose backward recomputes the block and takes the
gradients with respect to those tensors, so outputs keep their last op's `grad_fn` name, keyword arguments and
nested outputs work, parameters get gradients when no input requires grad, and `autograd.grad` works.
"""

from __future__ import annotations

import contextlib
import enum
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

from ..autograd import grad_mode
from ..autograd.function import Function, FunctionCtx
from ..autograd.function import backward as _autograd_backward
from ..autograd.function import grad as _autograd_grad
from ..autograd.hooks import HOOKS
from ..autograd.nodes import node_name
from ..autograd.random import get_rng_state, set_rng_state
from ..autograd.tensor import Tensor, _node_counter

__all__ = ["checkpoint", "checkpoint_sequential", "CheckpointError", "CheckpointFunction", "check_backward_validity",
           "detach_variable", "get_device_states", "set_device_states", "noop_context_fn",
           "set_checkpoint_early_stop", "DefaultDeviceType", "set_checkpoint_debug_enabled", "CheckpointPolicy"]

_DEFAULT_DETERMINISM_MODE = "default"
_checkpoint_debug_enabled: bool | None = None
_enable_checkpoint_early_stop: bool | None = None
_NOT_PASSED = ("torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting in PyTorch "
               "2.9, calling checkpoint without use_reentrant will raise an exception. use_reentrant=False is "
               "recommended, but if you need to preserve the current default behavior, you can pass "
               "use_reentrant=True. Refer to docs for more details on the differences between the two variants.")
_NOT_PASSED_SEQUENTIAL = ("torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be passed "
                          "explicitly. In version 2.9 we will raise an exception if use_reentrant is not passed. "
                          "use_reentrant=False is recommended, but if you need to preserve the current default "
                          "behavior, you can pass use_reentrant=True. Refer to docs for more details on the "
                          "differences between the two variants.")
_REENTRANT_GRAD = ("When use_reentrant=True, torch.utils.checkpoint is incompatible with .grad() or passing an "
                   "`inputs` parameter to .backward(). To resolve this error, you can either set use_reentrant=False, "
                   "or call .backward() without passing the `inputs` argument.")
_DEBUG_TIP = ("\nTip: To see a more detailed error message, either pass `debug=True` to\n"
              "`torch.utils.checkpoint.checkpoint(...)` or wrap the code block\n"
              "with `with torch.utils.checkpoint.set_checkpoint_debug_enabled(True):` to\n"
              "enable checkpoint\u2011debug mode globally.\n")


class CheckpointError(RuntimeError):
    """The recomputation did not reproduce what the forward computed."""


class CheckpointPolicy(enum.Enum):
    """PyTorch's selective-checkpointing policies (accepted as names; trainer recomputes every op)."""

    MUST_SAVE = 0
    PREFER_SAVE = 1
    MUST_RECOMPUTE = 2
    PREFER_RECOMPUTE = 3


class DefaultDeviceType:
    """The device type whose RNG state checkpointing saves besides the CPU's: always 'cpu' here."""

    _default_device_type: str | None = None

    @staticmethod
    def set_device_type(device: str = "cuda") -> None:
        DefaultDeviceType._default_device_type = device

    @staticmethod
    def get_device_type() -> str:
        if not DefaultDeviceType._default_device_type:
            DefaultDeviceType._default_device_type = "cpu"
        return DefaultDeviceType._default_device_type


@contextlib.contextmanager
def set_checkpoint_debug_enabled(enabled: bool | None) -> Iterator[None]:
    """Override every checkpoint's `debug` inside the block (None: each call's own)."""
    global _checkpoint_debug_enabled
    prev = _checkpoint_debug_enabled
    try:
        _checkpoint_debug_enabled = enabled
        yield
    finally:
        _checkpoint_debug_enabled = prev


@contextlib.contextmanager
def set_checkpoint_early_stop(enable: bool) -> Iterator[None]:
    """Accepted as in PyTorch: trainer always recomputes the whole block."""
    global _enable_checkpoint_early_stop
    prev = _enable_checkpoint_early_stop
    try:
        _enable_checkpoint_early_stop = enable
        yield
    finally:
        _enable_checkpoint_early_stop = prev


def detach_variable(inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    """Each tensor detached, keeping its requires_grad; other values as they are."""
    if not isinstance(inputs, tuple):
        raise RuntimeError(f"Only tuple of tensors is supported. Got Unsupported input type: {type(inputs).__name__}")
    out = []
    for inp in inputs:
        if not isinstance(inp, Tensor):
            out.append(inp)
            continue
        x = inp.detach()
        x.requires_grad = inp.requires_grad
        out.append(x)
    return tuple(out)


def check_backward_validity(inputs: Iterable[Any]) -> None:
    """Warn when no tensor input requires grad (the reentrant checkpoint then gives no gradients)."""
    if not any(inp.requires_grad for inp in inputs if isinstance(inp, Tensor)):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None", stacklevel=2)


def get_device_states(*args: Any) -> tuple[list[int], list[Tensor]]:
    """The accelerator RNG states of the arguments' devices: none on the CPU."""
    return [], []


def set_device_states(devices: list[int], states: list[Tensor], *, device_type: str | None = None) -> None:
    """Restore accelerator RNG states: nothing to do on the CPU."""


def noop_context_fn() -> tuple[AbstractContextManager[Any], AbstractContextManager[Any]]:
    """The default `context_fn`: no context around the forward or the recomputation."""
    return contextlib.nullcontext(), contextlib.nullcontext()


def _checkpoint_valid() -> bool:
    """False inside `autograd.grad` or `backward(inputs=...)` (the walk running this node has `only` or `capture`),
    which PyTorch's reentrant checkpoint refuses; the `autograd.grad` a non-reentrant checkpoint runs for its own
    recomputation is looked through, to the walk that called it."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name in ("_run_backward", "run_graph_backward") and "only" in frame.f_locals:
            caller = frame.f_back.f_back if frame.f_back is not None else None
            if caller is None or caller.f_code not in _OWN_GRAD_CALLS:
                return frame.f_locals["only"] is None and not frame.f_locals.get("capture", False)
        frame = frame.f_back
    return True


class CheckpointFunction(Function):
    """The reentrant checkpoint: forward without a graph, backward recomputes and runs its own backward."""

    @staticmethod
    def forward(ctx: FunctionCtx, run_function: Callable[..., Any], preserve_rng_state: bool, *args: Any) -> Any:
        check_backward_validity(args)
        ctx.run_function = run_function
        ctx.preserve_rng_state = preserve_rng_state
        ctx.device_type = "cpu"
        if preserve_rng_state:
            ctx.fwd_cpu_state = get_rng_state()
            ctx.had_device_in_fwd = False
        ctx.inputs = []
        ctx.tensor_indices = []
        tensor_inputs = []
        for i, arg in enumerate(args):
            if isinstance(arg, Tensor):
                tensor_inputs.append(arg)
                ctx.tensor_indices.append(i)
                ctx.inputs.append(None)
            else:
                ctx.inputs.append(arg)
        ctx.save_for_backward(*tensor_inputs)
        with grad_mode.no_grad():
            return run_function(*args)

    @staticmethod
    def backward(ctx: FunctionCtx, *args: Any) -> tuple[Any, ...]:
        if not _checkpoint_valid():
            raise RuntimeError(_REENTRANT_GRAD)
        inputs = list(ctx.inputs)
        for i, idx in enumerate(ctx.tensor_indices):
            inputs[idx] = ctx.saved_tensors[i]
        with _rng_restored(ctx.fwd_cpu_state if ctx.preserve_rng_state else None):
            detached_inputs = detach_variable(tuple(inputs))
            with grad_mode.enable_grad():
                outputs = ctx.run_function(*detached_inputs)
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        outputs_with_grad = []
        args_with_grad = []
        for i in range(len(outputs)):
            if isinstance(outputs[i], Tensor) and outputs[i].requires_grad:
                outputs_with_grad.append(outputs[i])
                args_with_grad.append(args[i])
        if len(outputs_with_grad) == 0:
            raise RuntimeError("none of output has requires_grad=True, this checkpoint() is not necessary")
        _autograd_backward(outputs_with_grad, args_with_grad)
        grads = tuple(inp.grad if isinstance(inp, Tensor) else None for inp in detached_inputs)
        return (None, None, *grads)


@contextlib.contextmanager
def _rng_restored(state: Tensor | None) -> Iterator[None]:
    """Run the block from the RNG state `state` (None: as it is), then put the current state back."""
    if state is None:
        yield
        return
    current = get_rng_state()
    set_rng_state(state)
    try:
        yield
    finally:
        set_rng_state(current)


ContextFn = Callable[[], tuple[AbstractContextManager[Any], AbstractContextManager[Any]]]


def checkpoint(function: Callable[..., Any], *args: Any, use_reentrant: bool | None = None,
               context_fn: ContextFn = noop_context_fn,
               determinism_check: str = _DEFAULT_DETERMINISM_MODE, debug: bool = False, early_stop: bool = True,
               **kwargs: Any) -> Any:
    """`function(*args, **kwargs)` whose intermediate results are recomputed in backward instead of kept."""
    if use_reentrant is None:
        warnings.warn(_NOT_PASSED, stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs and use_reentrant:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))
    if use_reentrant:
        if context_fn is not noop_context_fn or debug is not False:
            raise ValueError("Passing `context_fn` or `debug` is only supported when use_reentrant=False.")
        return CheckpointFunction.apply(function, preserve, *args)
    if _checkpoint_debug_enabled if _checkpoint_debug_enabled is not None else debug:
        if context_fn is not noop_context_fn:
            raise ValueError("debug=True is incompatible with non-default context_fn")
    if determinism_check not in ("default", "none"):
        raise ValueError(f"determinism_check should be one of ['default', 'none'], but got {determinism_check}")
    forward_context, recompute_context = context_fn()
    if not grad_mode._enabled[0]:
        return function(*args, **kwargs)
    state = get_rng_state() if preserve else None
    start = next(_node_counter)
    suppressed = True
    with forward_context:
        ret = function(*args, **kwargs)
        suppressed = False
    if suppressed:
        raise RuntimeError("torch.utils.checkpoint: the forward context provided by context_fn suppressed an exception "
                           "raised during the checkpointed forward. This is not supported because checkpoint cannot "
                           "return a value for a failed forward.")
    _Recomputed(function, args, kwargs, state, recompute_context, determinism_check == "default").attach(ret, start)
    return ret


def _tensors(value: Any) -> list[Tensor]:
    """The tensors in a (nested) tuple, list or dict, in order."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, tuple | list):
        return [t for v in value for t in _tensors(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _tensors(v)]
    return []


def _metadata(t: Tensor) -> dict[str, Any]:
    return {"shape": t.shape, "dtype": t.dtype, "device": t.device}


class _Recomputed:
    """The non-reentrant checkpoint of one call: its outputs' graph nodes and the recomputation behind them."""

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 state: Tensor | None, context: AbstractContextManager[Any], check: bool) -> None:
        self.function, self.args, self.kwargs = function, args, kwargs
        self.state, self.context, self.check = state, context, check

    def attach(self, ret: Any, start: int) -> None:
        """Cut the graph `function` recorded after node `start`: the outputs depend on the tensors it read."""
        every = _tensors(ret)
        fresh = [t for t in every if t.requires_grad and t._backward is not None and t._seq > start]
        self.metadata = [_metadata(t) for t in every]
        if not fresh:
            return
        self.parents = self._external(fresh, start)
        self.slots = [next(i for i, t in enumerate(every) if t is o) for o in dict.fromkeys(fresh)]
        outs = [every[i] for i in self.slots]
        names = [node_name(o._op) for o in outs]
        if len(outs) == 1:
            made = Tensor._make(outs[0]._array, self.parents, lambda g: self._backward([g]),
                                f"{names[0]}/checkpointBackward")
            made._ctx = self._graph_backward  # for `higher_order` (create_graph)
            _adopt(outs[0], made)
            return
        joint = Tensor._make(np.zeros(len(outs)), self.parents, None, "CheckpointBackward")  # type: ignore[arg-type]
        received: dict[int, np.ndarray] = {}
        joint._backward = lambda _: self._backward([received.pop(k, None) for k in range(len(outs))])
        zero = np.zeros(len(outs))
        for k, (o, name) in enumerate(zip(outs, names)):
            def out_backward(g: np.ndarray, k: int = k) -> tuple[np.ndarray]:
                received[k] = received[k] + g if k in received else g
                return (zero,)

            _adopt(o, Tensor._make(o._array, (joint,), out_backward, f"{name}/checkpoint"))

    def _external(self, fresh: list[Tensor], start: int) -> tuple[Tensor, ...]:
        """The tensors requiring grad, made before the call, that the recorded graph reaches."""
        found: dict[int, Tensor] = {}
        seen: set[int] = set()
        stack = list(fresh)
        while stack:
            node = stack.pop()
            for p in node._parents:
                if not p.requires_grad or id(p) in seen:
                    continue
                seen.add(id(p))
                if p._backward is None or p._seq < start:
                    found[id(p)] = p
                else:
                    stack.append(p)
        return tuple(found.values())

    def _rerun(self, detach: bool = True) -> tuple[list[Tensor], list[Tensor]]:
        """Run the block again with grad mode on: its output tensors, and what to differentiate them by (the
        inputs detached, or with `detach=False` themselves, so that gradients taken as graphs reach them)."""
        swap: dict[int, Tensor] = {}

        def detached(a: Any) -> Any:
            if not isinstance(a, Tensor) or not detach:
                return a
            x = a.detach()
            x.requires_grad = a.requires_grad
            swap[id(a)] = x
            return x

        args = tuple(detached(a) for a in self.args)
        kwargs = {k: detached(v) for k, v in self.kwargs.items()}
        with _rng_restored(self.state), grad_mode.enable_grad(), self.context:
            ret = self.function(*args, **kwargs)
        every = _tensors(ret)
        if self.check:
            self._check([_metadata(t) for t in every])
        return [every[i] for i in self.slots], [swap.get(id(p), p) for p in self.parents]

    def _check(self, recomputed: list[dict[str, Any]]) -> None:
        if len(recomputed) != len(self.metadata):
            raise CheckpointError("torch.utils.checkpoint: A different number of tensors was saved during the original "
                                  f"forward and recomputation.\nNumber of tensors saved during forward: "
                                  f"{len(self.metadata)}\nNumber of tensors saved during recomputation: "
                                  f"{len(recomputed)}.\n{_DEBUG_TIP}")
        different = "".join(f"tensor at position {i}:\nsaved metadata: {a}\nrecomputed metadata: {b}\n"
                            for i, (a, b) in enumerate(zip(self.metadata, recomputed)) if a != b)
        if different:
            raise CheckpointError("torch.utils.checkpoint: Recomputed values for the following tensors have different "
                                  f"metadata than during the forward pass.\n{different}.\n{_DEBUG_TIP}")

    def _backward(self, grads: list[np.ndarray | None]) -> list[np.ndarray | None]:
        outs, targets = self._rerun()
        pairs = [(o, g) for o, g in zip(outs, grads) if g is not None and o.requires_grad]
        if not pairs:
            return [None] * len(targets)
        hooked = {id(t): HOOKS.pop(id(t)) for t in targets if id(t) in HOOKS}  # they run once, in the outer walk
        try:
            got = _autograd_grad([o for o, _ in pairs], targets, [Tensor._wrap(g) for _, g in pairs],
                                 retain_graph=True, allow_unused=True)
        finally:
            HOOKS.update(hooked)
        return [None if r is None else r._array for r in got]

    def _graph_backward(self, g: Tensor) -> list[Tensor | None]:
        """The gradients as graphs themselves (create_graph), from the recomputed graph."""
        outs, targets = self._rerun(detach=False)
        if not outs[0].requires_grad:
            return [None] * len(targets)
        hooked = {id(t): HOOKS.pop(id(t)) for t in targets if id(t) in HOOKS}
        try:
            return list(_autograd_grad(outs, targets, [g], create_graph=True, allow_unused=True))
        finally:
            HOOKS.update(hooked)


_OWN_GRAD_CALLS = {_Recomputed._backward.__code__, _Recomputed._graph_backward.__code__}


def _adopt(target: Tensor, made: Tensor) -> None:
    """Give `target` (an output of the block) the node `made` holds, dropping its recorded history."""
    target._parents = made._parents
    target._backward = made._backward
    target._op = made._op
    target._seq = made._seq
    if hasattr(made, "_ctx"):
        target._ctx = made._ctx


def checkpoint_sequential(functions: Any, segments: int, input: Any, use_reentrant: bool | None = None,  # noqa: A002
                          **kwargs: Any) -> Any:
    """Run `functions` (a list or an `nn.Sequential`) in `segments` chunks, checkpointing all but the last."""
    if use_reentrant is None:
        warnings.warn(_NOT_PASSED_SEQUENTIAL, stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))

    def run_function(start: int, end: int, functions: Any) -> Callable[[Any], Any]:
        def forward(input: Any) -> Any:  # noqa: A002
            for j in range(start, end + 1):
                input = functions[j](input)
            return input

        return forward

    if callable(getattr(functions, "children", None)):  # an nn.Sequential (or another container of modules)
        functions = list(functions.children())
    segment_size = len(functions) // segments
    end = -1
    for start in range(0, segment_size * (segments - 1), segment_size):
        end = start + segment_size - 1
        input = checkpoint(run_function(start, end, functions), input, use_reentrant=use_reentrant,
                           preserve_rng_state=preserve)
    return run_function(end + 1, len(functions) - 1, functions)(input)
