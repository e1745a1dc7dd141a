"""`torch.func.vmap`: `func` mapped over a dimension of its inputs.

There are no batched tensors here: vmap calls `func` once per index of the mapped dimension, on the inputs'
slices there (views, so gradients and in-place writes reach the inputs), and stacks each output along its
`out_dims`, which gives the values PyTorch's batching rules give. Its argument checks and messages are
PyTorch's. Where PyTorch asks whether an output is batched (`out_dims=None`), an output that differs between
slices counts as batched. `randomness` is `_randomness`'s.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import autograd as _ag
from ..autograd.tensor import Tensor
from . import _pytree, _randomness


def _name(func: Any) -> str:
    if hasattr(func, "__name__"):
        return func.__name__
    if isinstance(func, functools.partial):
        return f"functools.partial({_name(func.func)}, ...)"
    return repr(func)


def _check_out_dims(out_dims: Any, func: Any) -> None:
    if isinstance(out_dims, int):
        return
    for x in _pytree.tree_leaves(out_dims):
        if x is not None and not isinstance(x, int):
            raise ValueError(f"vmap({_name(func)}, ..., out_dims={out_dims}): `out_dims` must be an int, None or a "
                             "python collection of ints representing where in the outputs the vmapped dimension "
                             "should appear.")


def _batch_size(flat_in_dims: list[int | None], flat_args: list[Any]) -> int:
    sizes = [a.size(d) for d, a in zip(flat_in_dims, flat_args) if d is not None]
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(s != sizes[0] for s in sizes):
        raise ValueError(f"vmap: Expected all tensors to have the same size in the mapped dimension, got sizes "
                         f"{sizes} for the mapped dimension")
    return sizes[0]


def _process_inputs(in_dims: Any, args: tuple[Any, ...], func: Any) -> tuple[int, list, list, _pytree.TreeSpec]:
    name = _name(func)
    if not isinstance(in_dims, int | tuple):
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to be int or a "
                         f"(potentially nested) tuple matching the structure of inputs, got: {type(in_dims)}.")
    if len(args) == 0:
        raise ValueError(f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are trying "
                         "to vmap over a function with no inputs. The latter is unsupported.")
    flat_args, spec = _pytree.tree_flatten(args)
    flat_in_dims = _pytree.broadcast_to_and_flatten(in_dims, spec)
    if flat_in_dims is None:
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
                         f"structure of `inputs`. in_dims has structure {_pytree.tree_flatten(in_dims)[1]} but "
                         f"inputs has structure {spec}.")
    for i, (arg, d) in enumerate(zip(flat_args, flat_in_dims)):
        if not isinstance(d, int) and d is not None:
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for an input but "
                             "in_dim must be either an integer dimension or None.")
        if isinstance(d, int) and not isinstance(arg, Tensor):
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for an input but the "
                             f"input is of type {type(arg)}. We cannot vmap over non-Tensor arguments, please use "
                             "None as the respective in_dim")
        if d is not None and (d < -arg.dim() or d >= arg.dim()):
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for some input, but "
                             f"that input is a Tensor of dimensionality {arg.dim()} so expected in_dim to satisfy "
                             f"-{arg.dim()} <= in_dim < {arg.dim()}.")
        if d is not None and d < 0:
            flat_in_dims[i] = d % arg.dim()
    return _batch_size(flat_in_dims, flat_args), flat_in_dims, flat_args, spec


def _flat_out_dims(outputs: Any, out_dims: Any, spec: _pytree.TreeSpec, func: Any) -> list[Any]:
    def incompatible() -> ValueError:
        return ValueError(f"vmap({_name(func)}, ..., out_dims={out_dims})(<inputs>): out_dims is not compatible "
                          f"with the structure of `outputs`. out_dims has structure "
                          f"{_pytree.tree_flatten(out_dims)[1]} but outputs has structure {spec}.")
    if isinstance(outputs, Tensor):
        if isinstance(out_dims, int) or out_dims is None:
            return [out_dims]
        if isinstance(out_dims, tuple) and len(out_dims) == 1:
            return list(out_dims)
        raise incompatible()
    flat = _pytree.broadcast_to_and_flatten(out_dims, spec)
    if flat is None:
        raise incompatible()
    return flat


def _same(values: list[Any]) -> bool:
    first = values[0]
    for v in values[1:]:
        if isinstance(first, Tensor) != isinstance(v, Tensor):
            return False
        if isinstance(first, Tensor):
            if v is not first and (v.shape != first.shape
                                   or not np.array_equal(v._array, first._array, equal_nan=True)):
                return False
        elif v is not first and v != first:
            return False
    return True


def _combine(per_slice: list[Any], out_dims: Any, func: Any) -> Any:
    """The slices' outputs as PyTorch's batched outputs: each leaf stacked along its out_dim."""
    flats = [_pytree.tree_flatten(o) for o in per_slice]
    spec = flats[0][1]
    flat_dims = _flat_out_dims(per_slice[0], out_dims, spec, func)
    name = _name(func)
    result = []
    for j, d in enumerate(flat_dims):
        column = [f[0][j] for f in flats]
        if d is None:
            if isinstance(column[0], Tensor) and not _same(column):
                raise ValueError(f"vmap({name}, ...): `{name}` can not return a BatchedTensor when out_dim is None")
            result.append(column[0])
            continue
        if not isinstance(column[0], Tensor):
            raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type {type(column[0])}. "
                             "Did you mean to set out_dims= to None for output?")
        ndim = column[0].dim() + 1
        if not -ndim <= d < ndim:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {d})")
        result.append(_ag.stack(column, d))
    return _pytree.tree_unflatten(result, spec)


def _slice(arg: Any, d: int | None, i: int) -> Any:
    return arg if d is None else arg.select(d, i)


def _empty_batch(func: Callable[..., Any], flat_in_dims: list, flat_args: list, spec: _pytree.TreeSpec,
                 out_dims: Any, kwargs: dict[str, Any]) -> Any:
    """A batch of size 0: `func` once on zeros shaped like one example, its outputs given a 0-size mapped dim."""
    example = [a if d is None else _ag.zeros(tuple(s for k, s in enumerate(a.shape) if k != d), dtype=a.dtype)
               for a, d in zip(flat_args, flat_in_dims)]
    out = func(*_pytree.tree_unflatten(example, spec), **kwargs)
    flat, out_spec = _pytree.tree_flatten(out)
    dims = _flat_out_dims(out, out_dims, out_spec, func)
    empty = []
    for o, d in zip(flat, dims):
        if d is None or not isinstance(o, Tensor):
            empty.append(o)
            continue
        shape = list(o.shape)
        shape.insert(d % (len(shape) + 1), 0)
        empty.append(_ag.zeros(tuple(shape), dtype=o.dtype))
    return _pytree.tree_unflatten(empty, out_spec)


def _loop(func: Callable[..., Any], batch: int, flat_in_dims: list, flat_args: list, spec: _pytree.TreeSpec,
          out_dims: Any, randomness: str, kwargs: dict[str, Any]) -> Any:
    if batch == 0:
        return _empty_batch(func, flat_in_dims, flat_args, spec, out_dims, kwargs)
    outputs = []
    with _randomness.random_level(randomness) as rl:
        for i in range(batch):
            if i and randomness == "same":
                rl.restart()
            sliced = [_slice(a, d, i) for a, d in zip(flat_args, flat_in_dims)]
            outputs.append(func(*_pytree.tree_unflatten(sliced, spec), **kwargs))
    return _combine(outputs, out_dims, func)


def _vmap_impl(func: Callable[..., Any], in_dims: Any, out_dims: Any, randomness: str, chunk_size: int | None,
               args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    _check_out_dims(out_dims, func)
    batch, flat_in_dims, flat_args, spec = _process_inputs(in_dims, args, func)
    if chunk_size is None or chunk_size >= batch:
        return _loop(func, batch, flat_in_dims, flat_args, spec, out_dims, randomness, kwargs)
    chunks = []
    state = _ag.get_rng_state() if randomness == "same" else None
    for start in range(0, batch, chunk_size):
        if state is not None:
            _ag.set_rng_state(state)
        stop = min(start + chunk_size, batch)
        part = [a if d is None else a.narrow(d, start, stop - start) for a, d in zip(flat_args, flat_in_dims)]
        chunks.append(_loop(func, stop - start, flat_in_dims, part, spec, out_dims, randomness, kwargs))
    flat_chunks = [_pytree.tree_flatten(c) for c in chunks]
    out_spec = flat_chunks[0][1]
    dims = _pytree.broadcast_to_and_flatten(out_dims, out_spec)
    joined = [_ag.cat([f[0][j] for f in flat_chunks], dim=d) for j, d in enumerate(dims)]
    return _pytree.tree_unflatten(joined, out_spec)


def vmap(func: Callable[..., Any], in_dims: Any = 0, out_dims: Any = 0, randomness: str = "error", *,
         chunk_size: int | None = None) -> Callable[..., Any]:
    """`func` mapped over dimension `in_dims` of its inputs, its outputs stacked along `out_dims`."""
    _randomness.check_randomness_arg(randomness)
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")

    @functools.wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return _vmap_impl(func, in_dims, out_dims, randomness, chunk_size, args, kwargs)
    return wrapped
