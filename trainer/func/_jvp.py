"""`jvp` and `linearize`: Jacobian-vector products by the double-backward trick.

The product J t is the gradient, with respect to a zero cotangent u, of <u^T J, t>: one backward with
`create_graph` builds u^T J as a graph linear in u, a second one seeded with the tangents gives J t (as
`autograd.functional.jvp` computes it). `linearize` keeps the first graph and runs only the second per call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd.tensor import Tensor
from . import _argnums, _levels, _pytree
from ._autograd import autograd_grad
from ._vjp import check_non_empty_tensor_output

JVP = "jvp(f, primals, tangents)"


def _check_tensors(flat: list[Any], argname: str) -> None:
    if len(flat) == 0:
        raise RuntimeError(f"{JVP}: Expected {argname} to contain at least one Tensor.")
    for t in flat:
        if not isinstance(t, Tensor):
            raise RuntimeError(f"{JVP}: Expected {argname} to only contain Tensors, got {type(t)}")


def _check_tangent(primal: Tensor, tangent: Tensor) -> None:
    if primal.shape != tangent.shape:
        raise RuntimeError("Trying to set a forward gradient that has a different size than that of the original "
                           f"Tensor, this is not supported. Tensor is of size {list(primal.shape)} while the given "
                           f"forward gradient is of size {list(tangent.shape)}.")


class _Linear:
    """u^T J for the outputs of one call: `products(tangents)` gives J t for each output (zeros where f's output
    does not depend on the inputs)."""

    def __init__(self, flat_out: list[Tensor], made: list[Tensor], lv: _levels.Level) -> None:
        self.flat_out, self.lv = flat_out, lv
        self.seeds = [_levels.differentiable(Tensor._wrap(np.zeros_like(o._array)), lv) if o.requires_grad
                      else None for o in flat_out]
        live = [(o, s) for o, s in zip(flat_out, self.seeds) if s is not None]
        self.grads = autograd_grad([o for o, _ in live], made, [s for _, s in live], True) if live else ()

    def products(self, tangents: list[Tensor], build: bool) -> list[Tensor]:
        seeds = [s for s in self.seeds if s is not None]
        got = iter(autograd_grad(self.grads, seeds, tangents, build) if seeds else ())
        return [next(got) if s is not None else Tensor._wrap(np.zeros_like(o._array))
                for o, s in zip(self.flat_out, self.seeds)]


def _jvp_with_argnums(func: Callable[..., Any], primals: Any, tangents: Any, argnums: Any, *, strict: bool,
                      has_aux: bool) -> tuple[Any, ...]:
    if not isinstance(primals, tuple):
        raise RuntimeError(f"{JVP}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals).")
    diff_args = primals if argnums is None else _argnums.select(primals, argnums)
    flat_primals, primals_spec = _pytree.tree_flatten(diff_args)
    flat_tangents, tangents_spec = _pytree.tree_flatten(tangents)
    if primals_spec != tangents_spec:
        raise RuntimeError(f"{JVP}: Expected primals and tangents to have the same python structure. For example, if "
                           "primals is a tuple of 3 tensors, tangents also must be. Got primals with structure "
                           f"{primals_spec} and tangents with structure {tangents_spec}")
    _check_tensors(flat_primals, "primals")
    _check_tensors(flat_tangents, "tangents")
    for p, t in zip(flat_primals, flat_tangents):
        _check_tangent(p, t)
    with _levels.level() as lv:
        made = [_levels.differentiable(p, lv) for p in flat_primals]
        duals = _pytree.tree_unflatten(made, primals_spec)
        args = duals if argnums is None else _argnums.replace(primals, duals if isinstance(argnums, tuple)
                                                               else duals[0], _argnums.validate(argnums, len(primals)))
        result = func(*args)
        aux = None
        if has_aux:
            if not (isinstance(result, tuple) and len(result) == 2):
                raise RuntimeError(f"{JVP}: output of function f should be a tuple: (output, aux) if has_aux is True")
            result, aux = result
            aux = _levels.unwrap_aux(aux, lv)
        flat_out, spec = _pytree.tree_flatten(result)
        check_non_empty_tensor_output(flat_out, JVP)
        if strict and any(not o.requires_grad for o in flat_out):
            raise RuntimeError("jvp(f, primals, tangents, strict=True): The output of f is independent of the inputs. "
                               "This is not allowed with strict=True.")
        linear = _Linear(flat_out, made, lv)
        build = _levels.reaches_outside(flat_out, lv) or any(t.requires_grad for t in flat_tangents)
        products = linear.products(flat_tangents, build and lv.tracked)
        out = (_pytree.tree_unflatten(list(_levels.unwrap(flat_out, lv)), spec),
               _pytree.tree_unflatten(list(_levels.unwrap(products, lv)), spec))
    return (*out, aux) if has_aux else out


def jvp(func: Callable[..., Any], primals: Any, tangents: Any, *, strict: bool = False,
        has_aux: bool = False) -> tuple[Any, ...]:
    """(func(*primals), J tangents) or, with `has_aux`, (output, jvp_out, aux)."""
    return _jvp_with_argnums(func, primals, tangents, None, strict=strict, has_aux=has_aux)


def linearize(func: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[..., Any]]:
    """(func(*primals), jvp_fn): jvp_fn(*tangents) is the Jacobian-vector product at `primals`, reusing one trace."""
    flat_primals, primals_spec = _pytree.tree_flatten(primals)
    with _levels.level() as lv:
        made = [_levels.differentiable(p, lv) for p in flat_primals]
        output = func(*_pytree.tree_unflatten(made, primals_spec))
        flat_out, output_spec = _pytree.tree_flatten(output)
        tensors = [o for o in flat_out if isinstance(o, Tensor)]
        linear = _Linear(tensors, made, lv)
        result = _levels.unwrap(output, lv)

    def jvp_fn(*tangents: Any) -> Any:
        flat_tangents, tangents_spec = _pytree.tree_flatten(tangents)
        if tangents_spec != primals_spec:
            raise RuntimeError(f"Expected the tangents {tangents_spec} to have the same argspec as the primals "
                               f"{primals_spec}")
        for idx, (t, p) in enumerate(zip(flat_tangents, flat_primals)):
            for what in ("shape", "device", "dtype"):
                if getattr(t, what) != getattr(p, what):
                    raise RuntimeError(f"tangent:{idx} with {what} {getattr(t, what)} in flattened pytree doesn't "
                                       f"match the {what} {getattr(p, what)} of the corresponding primal.")
        products = iter(linear.products(flat_tangents, False))
        return _pytree.tree_unflatten([next(products) if isinstance(o, Tensor) else o for o in flat_out],
                                      output_spec)

    return result, jvp_fn
