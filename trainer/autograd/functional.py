"""`torch.autograd.functional`: Jacobians, Hessians and their products with vectors, for functions of tensors.

Each is built on `autograd.grad`, with `create_graph=True` (`higher_order`) wherever a gradient is differentiated
again: `jvp` and `hvp` use the double-backward trick, as PyTorch does (a forward-mode product as the gradient of
a reverse-mode one with respect to its zero seed), so their numbers are PyTorch's. `vectorize=True` and
`strategy="forward-mode"` are accepted where PyTorch accepts them and compute the same values row by row (there
is no vmap or forward-mode engine here).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import grad_mode, ops
from .function import grad as _grad
from .tensor import Tensor

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


def _tensors(value: Any, arg: str, fn: str) -> tuple[bool, tuple[Tensor, ...]]:
    """(whether `value` was a tuple, its tensors), refusing anything but a Tensor or a tuple of Tensors."""
    given_tuple = isinstance(value, tuple)
    items = value if given_tuple else (value,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            where = f"the value at index {i}" if given_tuple else f"the given {arg}"
            raise TypeError(f"The {arg} given to {fn} must be either a Tensor or a tuple of Tensors but {where} has "
                            f"type {type(item)}.")
    return given_tuple, items


def _prepared(inputs: Sequence[Tensor], create_graph: bool, need_graph: bool) -> tuple[Tensor, ...]:
    """Inputs as the function sees them: fresh leaves, or (with create_graph) views that keep the caller's graph."""
    return tuple(t.view_as(t) if create_graph and t.requires_grad else t.detach().requires_grad_(need_graph)
                 for t in inputs)


def _finished(values: Any, create_graph: bool) -> Any:
    """Results detached from the graph unless it was asked for (nested tuples kept)."""
    if create_graph:
        return values
    return tuple(v.detach() if isinstance(v, Tensor) else _finished(v, False) for v in values)


def _shaped(values: tuple, was_tuple: bool | tuple[bool, bool]) -> Any:
    """Unpack the tuples the caller did not pass: (outputs, inputs) flags for nested Jacobians."""
    if isinstance(was_tuple, tuple):
        outer, inner = was_tuple
        if not inner:
            values = tuple(v[0] for v in values)
        return values if outer else values[0]
    return values if was_tuple else values[0]


def _check_v(v: tuple[Tensor, ...], others: tuple[Tensor, ...], others_tuple: bool) -> None:
    if len(v) != len(others):
        if others_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(others)} but got {len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(v, others)):
        if a.shape != b.shape:
            where = f"Entry {i} in " if others_tuple else ""
            raise RuntimeError(f"{where}v has invalid size: should be {b.shape} but got {a.shape}.")


def _vector(v: Any, others: tuple[Tensor, ...], others_tuple: bool, fn: str, create_graph: bool,
            none_message: str) -> tuple[Tensor, ...] | None:
    """`v` checked against the tensors it multiplies; None allowed only where those are one single number."""
    if v is None:
        if len(others) != 1 or others[0].numel() != 1:
            raise RuntimeError(none_message)
        return None
    vs = _prepared(_tensors(v, "v", fn)[1], create_graph, False)
    _check_v(vs, others, others_tuple)
    return vs


_OUTPUT_NOT_DIFFERENTIABLE = ("Output {i} of the user-provided function does not require gradients. The outputs "
                              "must be computed in a differentiable manner from the input when running in strict "
                              "mode.")


def _check_strict(values: Sequence[Tensor | None], strict: bool, message: str) -> None:
    """In strict mode, refuse a value that is missing or does not require grad (`message` names index {i})."""
    if not strict:
        return
    for i, value in enumerate(values):
        if value is None:
            raise RuntimeError(f"The output of the user-provided function is independent of input {i}. This is "
                               "not allowed in strict mode.")
        if not value.requires_grad:
            raise RuntimeError(message.format(i=i))


def _grads(outputs: Sequence[Tensor | None], inputs: Sequence[Tensor], seeds: Sequence[Tensor | None] | None,
           create_graph: bool, retain_graph: bool | None = None) -> tuple[Tensor | None, ...]:
    """`autograd.grad` over the outputs that require grad (None for every input when none does)."""
    seeds = (None,) * len(outputs) if seeds is None else seeds
    kept = [(o, s) for o, s in zip(outputs, seeds) if o is not None and o.requires_grad]
    if not kept:
        return (None,) * len(inputs)
    outs, gouts = zip(*kept)
    given = None if all(s is None for s in gouts) else list(gouts)
    return _grad(list(outs), list(inputs), given, retain_graph=retain_graph, create_graph=create_graph,
                 allow_unused=True)


_MISSING = {
    "back": "The output of the user-provided function is independent of input {i}. This is not allowed in strict "
            "mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the grad_outputs when "
                  "using the double backward trick to compute forward mode gradients. This is not allowed in strict "
                  "mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. This is not allowed in "
                   "strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry {i} in the "
                         "grad_jacobian. This is not allowed in strict mode as it prevents from using the double "
                         "backward trick to replace forward mode AD.",
}


def _filled(grads: Sequence[Tensor | None], refs: Sequence[Tensor], strict: bool, create_graph: bool,
            stage: str) -> tuple[Tensor, ...]:
    """Missing gradients as zeros shaped like `refs` (errors in strict mode)."""
    out = []
    for i, (g, ref) in enumerate(zip(grads, refs)):
        if g is None:
            if strict:
                raise RuntimeError(_MISSING[stage].format(i=i))
            g = Tensor._wrap(np.zeros_like(ref._array))
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(f"The {what} of the user-provided function is independent of input {i}. This is not "
                               "allowed in strict mode when create_graph=True.")
        out.append(g)
    return tuple(out)


def _call(func: Callable, inputs: tuple[Tensor, ...], fn: str, strict: bool) -> tuple[bool, tuple[Tensor, ...]]:
    outputs_tuple, outputs = _tensors(func(*inputs), "outputs of the user-provided function", fn)
    _check_strict(outputs, strict, _OUTPUT_NOT_DIFFERENTIABLE)
    return outputs_tuple, outputs


def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(inputs), v^T J): the vector-Jacobian product of `func` at `inputs`."""
    with grad_mode.enable_grad():
        inputs_tuple, inputs = _tensors(inputs, "inputs", "vjp")
        inputs = _prepared(inputs, create_graph, True)
        outputs_tuple, outputs = _call(func, inputs, "vjp", strict)
        vs = _vector(v, outputs, outputs_tuple, "vjp", create_graph,
                     "The vector v can only be None if the user-provided function returns a single Tensor with a "
                     "single element.")
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _filled(_grads(outputs, inputs, vs, create_graph), inputs, strict, create_graph, "back")
    return (_shaped(_finished(outputs, create_graph), outputs_tuple),
            _shaped(_finished(res, create_graph), inputs_tuple))


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(inputs), J v): the Jacobian-vector product, by the double-backward trick."""
    with grad_mode.enable_grad():
        inputs_tuple, inputs = _tensors(inputs, "inputs", "jvp")
        inputs = _prepared(inputs, create_graph, True)
        vs = _vector(v, inputs, inputs_tuple, "jvp", create_graph,
                     "The vector v can only be None if the input to the user-provided function is a single Tensor "
                     "with a single element.")
        outputs_tuple, outputs = _call(func, inputs, "jvp", strict)
        seeds = tuple(Tensor._wrap(np.zeros_like(o._array)).requires_grad_() for o in outputs)
        grad_inputs = _grads(outputs, inputs, seeds, True)
        _check_strict(grad_inputs, strict, "The gradient with respect to input {i} is independent of the inputs of "
                                           "the user-provided function. This is not allowed in strict mode.")
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _filled(_grads(grad_inputs, seeds, vs, create_graph), outputs, strict, create_graph, "back_trick")
    return (_shaped(_finished(outputs, create_graph), outputs_tuple),
            _shaped(_finished(res, create_graph), outputs_tuple))


def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False, vectorize: bool = False,
             strategy: str = "reverse-mode") -> Any:
    """d func(inputs) / d inputs: for output i and input j a tensor of shape `out_i.shape + in_j.shape`."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
                             'function has more outputs than inputs, "forward-mode" tends to be more performant. '
                             'Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError('torch.autograd.functional.jacobian: `create_graph=True` and `strategy='
                                      '"forward-mode"` are not supported together (yet). Please either set '
                                      '`create_graph=False` or `strategy="reverse-mode"`.')
        if strict:
            raise RuntimeError('torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` are '
                               'not supported together (yet). Please either set `strict=False` or '
                               '`strategy="reverse-mode"`.')
        if not vectorize:
            raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse Hessian "
                                      "isonly implemented for `vectorize=True`.")
    with grad_mode.enable_grad():
        inputs_tuple, inputs = _tensors(inputs, "inputs", "jacobian")
        inputs = _prepared(inputs, create_graph, True)
        outputs_tuple, outputs = _call(func, inputs, "jacobian", strict)
        if vectorize and strict:
            raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                               "supported together. Please either set `strict=False` or `vectorize=False`.")
        rows = tuple(_jacobian_rows(i, out, inputs, create_graph, strict) for i, out in enumerate(outputs))
    return _shaped(_finished(rows, create_graph), (outputs_tuple, inputs_tuple))


def _jacobian_rows(i: int, out: Tensor, inputs: tuple[Tensor, ...], create_graph: bool,
                   strict: bool) -> tuple[Tensor, ...]:
    """d out / d inputs: one backward per element of `out`, seeded with that element's unit vector."""
    per_input: list[list[Tensor]] = [[] for _ in inputs]
    for k in range(out.numel()):
        seed = np.zeros(out._array.size, out._array.dtype)
        seed[k] = 1
        grads = _grads((out,), inputs, (Tensor._wrap(seed.reshape(out._array.shape)),), create_graph, True)
        for j, (g, inp) in enumerate(zip(grads, inputs)):
            if g is None:
                if strict:
                    raise RuntimeError(f"Output {i} of the user-provided function is independent of input {j}. This "
                                       "is not allowed in strict mode.")
                g = Tensor._wrap(np.zeros_like(inp._array))
            elif strict and create_graph and not g.requires_grad:
                raise RuntimeError(f"The jacobian of the user-provided function is independent of input {i}. This "
                                   "is not allowed in strict mode when create_graph=True.")
            per_input[j].append(ops.reshape(g, (1, *inp._array.shape)))
    return tuple(_rows(rows, out, inp) for rows, inp in zip(per_input, inputs))


def _rows(rows: list[Tensor], out: Tensor, inp: Tensor) -> Tensor:
    shape = out._array.shape + inp._array.shape
    if not rows:  # an output with no elements
        return Tensor._wrap(np.zeros(shape, inp._array.dtype))
    return ops.reshape(rows[0] if len(rows) == 1 else ops.cat(rows, 0), shape)


def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False, vectorize: bool = False,
            outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The Hessian of a function returning one number: for inputs i and j, a tensor of shape in_i.shape + in_j.shape."""
    inputs_tuple, inputs = _tensors(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def single_output(*args: Tensor) -> Tensor:
        out = func(*args)
        out_tuple, outs = _tensors(out, "outputs of the user-provided function", "hessian")
        _check_strict(outs, strict, _OUTPUT_NOT_DIFFERENTIABLE)
        if out_tuple:
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should contain a single element")
        return ops.squeeze(out)

    def gradient(*args: Tensor) -> Any:
        if outer_jacobian_strategy == "forward-mode":
            args = tuple(t.requires_grad_(True) for t in args)
        jac = jacobian(single_output, args, create_graph=True)
        _check_strict(jac, strict, "While computing the hessian, found that the jacobian of the user-provided "
                                   "function with respect to input {i} is independent of the input. This is not "
                                   "allowed in strict mode. You should ensure that your function is twice "
                                   "differentiable and that the jacobian depends on the inputs (this would be "
                                   "violated by a linear function for example).")
        return jac

    res = jacobian(gradient, inputs, create_graph=create_graph, strict=strict, vectorize=vectorize,
                   strategy=outer_jacobian_strategy)
    return _shaped(res, (inputs_tuple, inputs_tuple))


def _hessian_products(func: Callable, inputs: Any, v: Any, create_graph: bool, strict: bool,
                      fn: str) -> tuple[bool, tuple, bool, tuple, tuple | None, tuple]:
    """What vhp and hvp share: the prepared inputs and v, the outputs and the Jacobian with its graph."""
    inputs_tuple, inputs = _tensors(inputs, "inputs", fn)
    inputs = _prepared(inputs, create_graph, True)
    vs = _vector(v, inputs, inputs_tuple, fn, create_graph,
                 "The vector v can only be None if the input to the user-provided function is a single Tensor with "
                 "a single element.")
    outputs_tuple, outputs = _call(func, inputs, fn, strict)
    if outputs_tuple:
        raise RuntimeError(f"The function given to {fn} should return a single Tensor")
    if outputs[0].numel() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn} should contain a single element")
    jac = _grads(outputs, inputs, None, True)
    _check_strict(jac, strict, "While computing the hessian, found that the jacobian of the user-provided function "
                               "with respect to input {i} is independent of the input. This is not allowed in strict "
                               "mode. You should ensure that your function is twice differentiable and that the "
                               "jacobian depends on the inputs (this would be violated by a linear function for "
                               "example).")
    return inputs_tuple, inputs, outputs_tuple, outputs, vs, jac


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(inputs), v^T H) for a function returning one number."""
    with grad_mode.enable_grad():
        inputs_tuple, inputs, outputs_tuple, outputs, vs, jac = _hessian_products(func, inputs, v, create_graph,
                                                                                  strict, "vhp")
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _filled(_grads(jac, inputs, vs, create_graph), inputs, strict, create_graph, "double_back")
    return (_shaped(_finished(outputs, create_graph), outputs_tuple),
            _shaped(_finished(res, create_graph), inputs_tuple))


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(inputs), H v) for a function returning one number, by the double-backward trick."""
    with grad_mode.enable_grad():
        inputs_tuple, inputs, outputs_tuple, outputs, vs, jac = _hessian_products(func, inputs, v, create_graph,
                                                                                  strict, "hvp")
        seeds = tuple(Tensor._wrap(np.zeros_like(t._array)).requires_grad_() for t in inputs)
        double_back = _grads(jac, inputs, seeds, True)
        _check_strict(jac, strict, "The hessian of the user-provided function with respect to input {i} is "
                                   "independent of the input. This is not allowed in strict mode. You should ensure "
                                   "that your function is thrice differentiable and that the hessian depends on the "
                                   "inputs.")
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _filled(_grads(double_back, seeds, vs, create_graph), inputs, strict, create_graph,
                      "double_back_trick")
    return (_shaped(_finished(outputs, create_graph), outputs_tuple),
            _shaped(_finished(res, create_graph), inputs_tuple))
