"""Arguments a config may set for a registry entry, read from the target's real signature.

Annotations become YAML-friendly types: a tensor argument (a loss's `weight`) takes a (nested)
list of numbers, a tensor-or-number hyperparameter (`lr`) takes a number, and arguments that only
Python can supply (callables, generators, devices) are left out.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import inspect
import math
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import AllowInfNan

from ..autograd import Tensor
from .registry import Entry
from .strict import Bool, Float, Int

REQUIRED: Any = inspect.Parameter.empty

_NEVER = {
    "layer": {"device", "dtype"},
    "optimizer": {"params", "optimizer", "foreach", "fused", "capturable", "differentiable"},  # optimizer: wrapped
    "scheduler": {"optimizer", "schedulers"},
    "loss": {"size_average", "reduce"},
    "init": {"generator"},
    "data": set(),
    "objective": set(),
}


class Unsupported(Exception):
    """An annotation no YAML value can satisfy (a callable, a generator, a module...)."""


@dataclass(frozen=True)
class Argument:
    """One settable argument: YAML-friendly type, default (`REQUIRED` when none), and whether it becomes a tensor."""

    name: str
    annotation: Any
    default: Any
    tensor: bool = False

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def type_text(self) -> str:
        """A short readable type, for `trainer list`: `float | None`, `tuple[float, float]`, `'mean' | 'sum'`."""
        return format_type(self.annotation)


def format_type(tp: Any) -> str:
    """A readable rendering of a YAML-friendly type."""
    if tp is type(None) or tp is None:
        return "None"
    if tp is Any:
        return "any"
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Annotated:
        return format_type(args[0])
    entry = getattr(tp, "registry_entry", None)
    if entry is not None:
        return entry.kind
    if origin in (Union, types.UnionType):
        return " | ".join(dict.fromkeys(format_type(a) for a in args))
    if origin is Literal:
        return " | ".join(repr(a) for a in args)
    if origin is not None:
        name = getattr(origin, "__name__", str(origin))
        inner = ", ".join("..." if a is Ellipsis else format_type(a) for a in args)
        return f"{name}[{inner}]" if args else name
    return getattr(tp, "__name__", str(tp))


def _is_tensorish(tp: Any) -> bool:
    return isinstance(tp, type) and (issubclass(tp, Tensor) or issubclass(tp, np.ndarray))


_STRICT = {int: Int, float: Float, bool: Bool}
_NUMBER_LIST = list[Float]


def yaml_type(tp: Any) -> tuple[Any, bool]:
    """(a type pydantic can validate YAML values against, whether the value must become a tensor)."""
    if tp is Any or tp is REQUIRED:
        return Any, False
    if tp is None or tp is type(None):
        return type(None), False
    if _is_tensorish(tp):
        return _NUMBER_LIST, True
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Annotated:
        return yaml_type(args[0])
    if origin in (Union, types.UnionType):
        members = [a for a in args if not _is_tensorish(a)]
        tensor = len(members) < len(args) and not any(a in (int, float) for a in members)
        if tensor:
            members.append(_NUMBER_LIST)
        mapped = []
        for a in members:
            try:
                mapped.append(yaml_type(a)[0])
            except Unsupported:
                continue
        if all(m is type(None) for m in mapped):
            raise Unsupported(repr(tp))
        return (Union[tuple(mapped)] if len(mapped) > 1 else mapped[0]), tensor  # noqa: UP007
    if origin is Literal:
        return tp, False
    if origin is cabc.Callable or tp is cabc.Callable:
        raise Unsupported(repr(tp))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple[yaml_type(args[0])[0], ...], False
        return tuple[tuple(yaml_type(a)[0] for a in args)] if args else tuple, False
    if origin in (list, cabc.Sequence, cabc.Iterable, cabc.Collection, cabc.MutableSequence):
        return (list[yaml_type(args[0])[0]] if args else list), False
    if origin is dict or origin is cabc.Mapping:
        return dict[str, Any], False
    if tp in _STRICT:
        return _STRICT[tp], False
    if tp is str:
        return tp, False
    raise Unsupported(repr(tp))


def _type_of_default(default: Any) -> Any:
    if default is REQUIRED or default is None:
        return Any
    if isinstance(default, bool | int | float | str):
        return _STRICT.get(type(default), type(default))
    if isinstance(default, tuple | list):
        return list[Any]
    raise Unsupported(type(default).__name__)


def _hints(fn: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn)
    except Exception:  # noqa: BLE001 - fall back to one annotation at a time
        hints = {}
        module = inspect.getmodule(fn)
        for name, param in inspect.signature(fn).parameters.items():
            ann = param.annotation
            if isinstance(ann, str):
                try:
                    ann = eval(ann, dict(vars(module)) if module else {})  # noqa: S307 - our own source's annotations
                except Exception:  # noqa: BLE001
                    continue
            if ann is not inspect.Parameter.empty:
                hints[name] = ann
        return hints


def _default(value: Any) -> Any:
    """A signature default as the config would write it (the optim `required` marker means required)."""
    return REQUIRED if type(value).__name__ == "_RequiredParameter" else value


@functools.cache
def arguments(entry: Entry) -> tuple[Argument, ...]:
    """The arguments a config may set for `entry`, in signature order."""
    target = entry.load()
    fn = target.__init__ if inspect.isclass(target) else target
    params = list(inspect.signature(target).parameters.values())
    if entry.kind in ("init", "data"):
        params = params[1:]  # the tensor to fill, or the generator / file source
    hints = _hints(fn)
    never = _NEVER[entry.kind] | set(entry.skip) | set(entry.inferred)
    out = []
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name in never or p.name.startswith("_"):
            continue
        default = _default(p.default)
        try:
            ann, tensor = yaml_type(hints[p.name]) if p.name in hints else (_type_of_default(default), False)
        except Unsupported:
            if default is REQUIRED:
                raise TypeError(f"{entry.target}: required argument {p.name!r} cannot come from a config") from None
            continue
        if p.name in entry.optional and default is REQUIRED:
            default = None
            ann = ann | None
        if isinstance(default, float) and math.isinf(default):  # Prodigy's growth_rate=inf: the default must validate
            ann = Annotated[ann, AllowInfNan(True)]
        out.append(Argument(p.name, ann, default, tensor))
    return tuple(out)
