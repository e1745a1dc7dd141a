"""Module backward hooks: identity nodes around a module's call that see (and may replace) its gradients.

As PyTorch's `BackwardHook`, one node gathers the gradients of all the module's tensor inputs, so a full
backward hook is called once per backward with `grad_input` and `grad_output`; one node per tensor
output records `grad_output` (and lets backward pre-hooks replace it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import numpy as np

from ..autograd.tensor import Tensor

_OP = "BackwardHookFunctionBackward"


def _array(value: Any, like: np.ndarray) -> np.ndarray | None:
    if value is None:
        return None
    arr = value._array if isinstance(value, Tensor) else np.asarray(value)
    return arr.astype(like.dtype, copy=False)


class BackwardHook:
    """The hooks of one call of one module: `setup_input_hook` before forward, `setup_output_hook` after."""

    def __init__(self, module: Any, hooks: Iterable[Callable[..., Any]], pre_hooks: Iterable[Callable[..., Any]]
                 ) -> None:
        self.module = module
        self.hooks = list(hooks)
        self.pre_hooks = list(pre_hooks)
        self.n_inputs = 0
        self.input_gate = False
        self.grad_outputs: list[Tensor | None] = []

    def setup_input_hook(self, args: tuple) -> tuple:
        """The tensor arguments that require grad, each replaced by a view whose gradient reaches one gate."""
        self.n_inputs = len(args)  # grad_input has an entry per positional argument, None for non-tensors
        needs = [(i, i) for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
        if not needs or not self.hooks:
            return args
        parents = tuple(args[i] for _, i in needs)
        sizes = [p._array.size for p in parents]
        dtype = np.result_type(*(p._array.dtype for p in parents))
        gate = Tensor._make(np.empty(sum(sizes), dtype=dtype), parents,
                            partial(self._input_backward, [k for k, _ in needs], parents, sizes), _OP)
        if not gate.requires_grad:
            return args
        self.input_gate = True
        new = list(args)
        offsets = np.cumsum([0, *sizes])
        for (_, i), start, stop in zip(needs, offsets[:-1], offsets[1:], strict=True):
            new[i] = Tensor._make(args[i]._array, (gate,), partial(_scatter, int(start), int(stop), gate), _OP)
        return tuple(new)

    def setup_output_hook(self, result: Any) -> Any:
        """The output (a tensor or a tuple of them) with an identity node after each tensor that requires grad."""
        single = not isinstance(result, tuple)
        outs = (result,) if single else result
        positions = [i for i, o in enumerate(outs) if isinstance(o, Tensor) and o.requires_grad]
        self.grad_outputs = [None] * len(positions)
        new = list(outs)
        for j, i in enumerate(positions):
            new[i] = Tensor._make(outs[i]._array, (outs[i],), partial(self._output_backward, j), _OP)
        return new[0] if single else tuple(new)

    def _output_backward(self, j: int, g: np.ndarray) -> tuple[np.ndarray | None]:
        grad = Tensor._wrap(g)
        self.grad_outputs[j] = grad
        for hook in self.pre_hooks:
            result = hook(self.module, tuple(self.grad_outputs))
            if result is not None:
                result = result if isinstance(result, tuple) else (result,)
                if len(result) != len(self.grad_outputs):
                    raise RuntimeError(f"Backward pre hook returned an invalid number of grad_output, got "
                                       f"{len(result)}, but expected {len(self.grad_outputs)}")
                self.grad_outputs = list(result)
        out = _array(self.grad_outputs[j], g)
        if not self.input_gate and j == 0 and self.hooks:  # no input needs a gradient: call the hooks now
            self._call_hooks(tuple([None] * self.n_inputs))
        return (out,)

    def _call_hooks(self, grad_input: tuple) -> tuple:
        for hook in self.hooks:
            result = hook(self.module, grad_input, tuple(self.grad_outputs))
            if result is not None:
                result = result if isinstance(result, tuple) else (result,)
                if len(result) != len(grad_input):
                    raise RuntimeError(f"Backward hook returned an invalid number of grad_input, got {len(result)}, "
                                       f"but expected {len(grad_input)}")
                grad_input = result
        return grad_input

    def _input_backward(self, which: list[int], parents: tuple[Tensor, ...], sizes: list[int], g: np.ndarray
                        ) -> list[np.ndarray | None]:
        grads: list[Any] = [None] * self.n_inputs
        for k, p, part in zip(which, parents, np.split(g, np.cumsum(sizes)[:-1]), strict=True):
            grads[k] = Tensor._wrap(part.reshape(p._array.shape).astype(p._array.dtype, copy=False))
        grad_input = self._call_hooks(tuple(grads))
        return [_array(grad_input[k], p._array) for k, p in zip(which, parents, strict=True)]


def _scatter(start: int, stop: int, gate: Tensor, g: np.ndarray) -> tuple[np.ndarray]:
    full = np.zeros(gate._array.shape, dtype=gate._array.dtype)
    full[start:stop] = g.ravel()
    return (full,)
