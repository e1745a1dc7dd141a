"""`torch.func.grad` and `grad_and_value`: the gradient of a function returning one number, as a function."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..autograd.tensor import Tensor
from . import _argnums, _levels, _pytree
from ._autograd import autograd_grad


def _grad_and_value(func: Callable[..., Any], argnums: Any, has_aux: bool, args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> tuple[Any, Any]:
    with _levels.level() as lv:
        diff = _argnums.select(args, argnums, as_tuple=False)
        made = _pytree.tree_map(lambda x: _levels.differentiable(x, lv), diff)
        args = _argnums.replace(args, made, _argnums.validate(argnums, len(args)))
        output = func(*args, **kwargs)
        aux = None
        if has_aux:
            if not (isinstance(output, tuple) and len(output) == 2):
                raise RuntimeError("grad_and_value(f)(*args): output of function f should be a tuple: (output, aux) "
                                   "if has_aux is True")
            output, aux = output
        if not isinstance(output, Tensor):
            raise RuntimeError(f"grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got {type(output)}")
        if output.dim() != 0:
            raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor "
                               f"with {output.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs instead?")
        flat_made, spec = _pytree.tree_flatten(made)
        create_graph = _levels.reaches_outside(output, lv)
        grads = autograd_grad((output,), flat_made, None, create_graph)
        grad_input = _levels.unwrap(_pytree.tree_unflatten(list(grads), spec), lv)
        output = _levels.unwrap(output, lv)
        if has_aux:
            return grad_input, (output, _levels.unwrap_aux(aux, lv))
        return grad_input, output


def grad_and_value(func: Callable[..., Any], argnums: Any = 0, has_aux: bool = False) -> Callable[..., Any]:
    """A function returning (gradient of `func` with respect to the `argnums` arguments, `func`'s value)."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return _grad_and_value(func, argnums, has_aux, args, kwargs)
    return wrapper


def grad(func: Callable[..., Any], argnums: Any = 0, has_aux: bool = False) -> Callable[..., Any]:
    """A function returning the gradient of `func` with respect to the `argnums` arguments (and `func`'s aux)."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        gradient, value = _grad_and_value(func, argnums, has_aux, args, kwargs)
        return (gradient, value[1]) if has_aux else gradient
    return wrapper
