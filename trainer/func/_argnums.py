"""`argnums` as torch.func reads it: an int or a non-empty tuple of distinct ints, negative ones counted from the
end; the selected positional arguments, and the arguments with some of them replaced."""

from __future__ import annotations

from typing import Any

Argnums = int | tuple[int, ...]


def _wrap_argnum(argnum: Any, num_args: int) -> int:
    if not isinstance(argnum, int):
        raise RuntimeError(f"argnum must be int, got: {type(argnum)}")
    if 0 <= argnum < num_args:
        return argnum
    if -num_args <= argnum < 0:
        return argnum + num_args
    raise RuntimeError(f"Got argnum={argnum}, but only {num_args} positional inputs")


def validate(argnums: Any, num_args: int) -> Argnums:
    """`argnums` checked against `num_args` positional arguments, negatives made positive."""
    if not isinstance(argnums, int | tuple):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    if isinstance(argnums, int):
        return _wrap_argnum(argnums, num_args)
    wrapped = tuple(_wrap_argnum(a, num_args) for a in argnums)
    if len(wrapped) == 0:
        raise RuntimeError("argnums must be non-empty")
    if len(set(wrapped)) != len(wrapped):
        raise RuntimeError(f"argnums elements must be unique, got {wrapped}")
    return wrapped


def select(args: tuple[Any, ...], argnums: Any, as_tuple: bool = True) -> Any:
    """The arguments `argnums` names: a tuple, or (an int argnums, `as_tuple=False`) the one argument."""
    argnums = validate(argnums, len(args))
    if isinstance(argnums, int):
        return (args[argnums],) if as_tuple else args[argnums]
    return tuple(args[i] for i in argnums)


def replace(args: tuple[Any, ...], new: Any, argnums: Argnums) -> tuple[Any, ...]:
    """`args` with the ones `argnums` names replaced by `new` (one value for an int argnums, else a tuple)."""
    if isinstance(argnums, int):
        return tuple(new if i == argnums else a for i, a in enumerate(args))
    return tuple(new[argnums.index(i)] if i in argnums else a for i, a in enumerate(args))
