"""`jacrev`, `jacfwd` and `hessian`: Jacobians of pytree functions with respect to the `argnums` arguments.

Both build the Jacobian row by row from one `vjp` (one backward per output element, as jacrev's vmap over the
standard basis computes it); jacfwd keeps its own errors and its `randomness` check (PyTorch runs it under
vmap), so `hessian = jacfwd(jacrev(f))` is reverse-over-reverse here, with PyTorch's values and layout.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import autograd as _ag
from ..autograd.tensor import Tensor
from . import _argnums, _pytree, _randomness
from ._vjp import vjp_with_argnums


def _basis(flat_output: list[Tensor], i: int, k: int) -> list[Tensor]:
    """The cotangents of row k of output i: one 1 there, zeros in every output."""
    out = []
    for j, o in enumerate(flat_output):
        seed = np.zeros(o._array.shape, o._array.dtype)
        if j == i:
            seed.reshape(-1)[k] = 1
        out.append(Tensor._wrap(seed))
    return out


def _jacobian(func: Callable[..., Any], args: tuple[Any, ...], argnums: Any, has_aux: bool, api: str) -> Any:
    traced = vjp_with_argnums(func, *args, argnums=argnums, has_aux=has_aux, api=api)
    output, vjp_fn = traced[0], traced[1]
    flat_output, output_spec = _pytree.tree_flatten(output)
    primals = _argnums.select(args, argnums)
    flat_primals, primals_spec = _pytree.tree_flatten(primals)
    per_output = []
    for i, out in enumerate(flat_output):
        rows: list[list[Tensor]] = [[] for _ in flat_primals]
        for k in range(out.numel()):
            grads = _pytree.tree_leaves(vjp_fn(_pytree.tree_unflatten(_basis(flat_output, i, k), output_spec)))
            for j, g in enumerate(grads):
                rows[j].append(g)
        blocks = []
        for r, p in zip(rows, flat_primals):
            shape = (*out.shape, *p.shape)
            blocks.append(_ag.stack(r).reshape(shape) if r else _ag.zeros(shape, dtype=p.dtype))
        tree = _pytree.tree_unflatten(blocks, primals_spec)
        per_output.append(tree[0] if isinstance(argnums, int) else tree)
    result = _pytree.tree_unflatten(per_output, output_spec)
    return (result, traced[2]) if has_aux else result


def jacrev(func: Callable[..., Any], argnums: Any = 0, *, has_aux: bool = False, chunk_size: int | None = None,
           _preallocate_and_copy: bool = False) -> Callable[..., Any]:
    """The Jacobian of `func` with respect to the `argnums` arguments, by reverse mode."""
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        return _jacobian(func, args, argnums, has_aux, "vjp")
    return wrapper


def jacfwd(func: Callable[..., Any], argnums: Any = 0, has_aux: bool = False, *,
           randomness: str = "error") -> Callable[..., Any]:
    """The Jacobian of `func` with respect to the `argnums` arguments (PyTorch's forward-mode API)."""
    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        primals = _argnums.select(args, argnums)
        for p in _pytree.tree_leaves(primals):
            if not isinstance(p, Tensor):
                raise AttributeError(f"'{type(p).__name__}' object has no attribute 'numel'")
        _randomness.check_randomness_arg(randomness)
        with _randomness.random_level(randomness):
            return _jacobian(func, args, argnums, has_aux, "jvp")
    return wrapper


def hessian(func: Callable[..., Any], argnums: Any = 0) -> Callable[..., Any]:
    """The Hessian of `func` with respect to the `argnums` arguments: jacfwd(jacrev(func, argnums), argnums)."""
    return jacfwd(jacrev(func, argnums), argnums)
