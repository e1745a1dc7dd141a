"""`torch.func.vjp`: a function's outputs and a `vjp_fn` mapping cotangents to the vector-Jacobian products."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..autograd import grad_mode
from ..autograd.tensor import Tensor
from . import _argnums, _levels, _pytree
from ._autograd import autograd_grad


def check_non_empty_tensor_output(flat: list[Any], api: str) -> None:
    if (len(flat) == 1 and flat[0] is None) or len(flat) < 1:
        raise RuntimeError(f"{api}: Expected f to be a function that has non-empty output (got output = {flat})")
    for o in flat:
        if not isinstance(o, Tensor):
            raise RuntimeError(f"{api}: expected f(*primals) to return only tensors, got unsupported type {type(o)}")


_NAMES = {"vjp": "vjp(f, *primals)", "jvp": "jvp(f, primals, tangents)"}  # how each API names itself in errors


def vjp_with_argnums(func: Callable[..., Any], *primals: Any, argnums: Any = None, has_aux: bool = False,
                     api: str = "vjp") -> tuple[Any, ...]:
    """(outputs, vjp_fn[, aux]) with respect to every primal, or to the ones `argnums` names; `api` "jvp" words
    the errors as jacfwd's forward pass (built on jvp) does."""
    name = _NAMES[api]
    with _levels.level() as lv:
        if argnums is None:
            diff = _pytree.tree_map(lambda x: _levels.differentiable(x, lv), primals)
            primals = diff
        else:
            chosen = _argnums.select(primals, argnums, as_tuple=False)
            diff = _pytree.tree_map(lambda x: _levels.differentiable(x, lv), chosen)
            primals = _argnums.replace(primals, diff, _argnums.validate(argnums, len(primals)))
        out = func(*primals)
        aux = None
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise RuntimeError(f"{name}: output of function f should be a tuple: (output, aux) if has_aux is "
                                   "True")
            out, aux = out
            aux = _levels.unwrap_aux(aux, lv)
        flat_out, out_spec = _pytree.tree_flatten(out)
        check_non_empty_tensor_output(flat_out, name)
        flat_diff, diff_spec = _pytree.tree_flatten(diff)
        results = _levels.unwrap(out, lv)
        for o in flat_out if api == "vjp" else ():
            if not o.is_floating_point():
                raise RuntimeError("vjp(f, ...): All outputs of f must be floating-point or complex Tensors, got "
                                   f"Tensor with dtype {o.dtype}")

    def vjp_fn(cotangents: Any, retain_graph: bool = True, create_graph: bool | None = None) -> Any:
        flat_cot, cot_spec = _pytree.tree_flatten(cotangents)
        if cot_spec != out_spec:
            raise RuntimeError("Expected pytree structure of cotangents to be the same as pytree structure of outputs "
                               f"to the function. cotangents: {_pytree.treespec_pprint(cot_spec)}, primal output: "
                               f"{_pytree.treespec_pprint(out_spec)}")
        track = grad_mode.is_grad_enabled() if create_graph is None else create_graph
        outer = _levels.Level(track)  # a finished level: the primals' own leaves are no longer live
        build = track and (_levels.reaches_outside(flat_out, outer) or any(
            isinstance(c, Tensor) and c.requires_grad for c in flat_cot))
        with grad_mode.set_grad_enabled(build):
            grads = autograd_grad(flat_out, flat_diff, flat_cot, build)
        return _pytree.tree_unflatten(list(_levels.unwrap(list(grads), outer)), diff_spec)

    return (results, vjp_fn, aux) if has_aux else (results, vjp_fn)


def vjp(func: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple[Any, ...]:
    """(func(*primals), vjp_fn) or, with `has_aux`, (output, vjp_fn, aux); vjp_fn(cotangents) returns one
    product per primal, as a tuple."""
    return vjp_with_argnums(func, *primals, has_aux=has_aux)
