"""Registering a user's classes as catalogue types: `trainer.register_optimizer`, `register_loss`, `register_layer`.

A class becomes an entry of `config.registry` under a snake_case name (`SignDescent` -> `sign_descent`)
with its `__init__` signature as its schema. What was registered from Python (not while a plugin file
was being imported) is remembered, so experiment workers can be told (see `config.plugins`).
"""

from __future__ import annotations

import contextlib
import inspect
import re
from collections.abc import Iterator
from typing import Any

from ..errors import UserError
from ..nn import Module
from ..optim import Optimizer
from . import introspect
from .registry import INFERABLE, Entry, LossFacts, entries, forget_registered, register

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
Registration = tuple[str, type, str, "LossFacts | None"]  # (kind, class, name, facts)

_LOADING: list[str] = []  # the origin of the plugin being imported (for the entries it registers)
_EXPLICIT: set[type] = set()  # classes registered by name, not to be registered again by the scan
_BY_API: dict[str, list[Registration]] = {}  # module -> classes registered from Python, in order


@contextlib.contextmanager
def loading(origin: str) -> Iterator[None]:
    """While a plugin is imported: what it registers comes from `origin` (its path or module name)."""
    _LOADING.append(origin)
    try:
        yield
    finally:
        _LOADING.pop()


def by_api() -> dict[str, list[Registration]]:
    """The classes registered from Python (outside any plugin's import), by module."""
    return _BY_API


def forget_registrations() -> None:
    """Drop every registered type (the built-ins stay)."""
    forget_registered()
    _BY_API.clear()
    _EXPLICIT.clear()


def snake_case(name: str) -> str:
    """`SignDescent` -> `sign_descent`; a run of capitals stays one word (`MyADAMW` -> `my_adamw`)."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return text.lower()


def _origin(cls: type) -> str:
    return _LOADING[-1] if _LOADING else cls.__module__


def _name(cls: Any, name: str | None, kind: str) -> str:
    chosen = snake_case(cls.__name__) if name is None else name
    if not isinstance(chosen, str) or not NAME.match(chosen):
        raise UserError(f"{kind} name {chosen!r} (for {cls.__name__}) is not a YAML type name", file=_origin(cls),
                        hint="use lower-case letters, digits and '_', starting with a letter: name='my_opt'")
    return chosen


def _check_class(cls: Any, base: type, kind: str, what: str) -> None:
    if not (inspect.isclass(cls) and issubclass(cls, base)):
        raise UserError(f"register_{kind} takes a subclass of {what}, got {cls!r}",
                        file=_LOADING[-1] if _LOADING else None)


def _add(entry: Entry, cls: type) -> Entry:
    try:
        introspect.arguments(entry)
    except TypeError as exc:
        raise UserError(f"{entry.kind} type '{entry.name}' cannot be configured: {exc}", file=entry.plugin,
                        hint="give that argument a default, or a type a config can write (int, float, bool, str, "
                             "a list or tuple of them)") from None
    added = register(entry)
    if not _LOADING:  # from Python, not a plugin's import: workers need to be told
        regs = _BY_API.setdefault(cls.__module__, [])
        item = (entry.kind, cls, entry.name, entry.loss)
        if item not in regs:
            regs.append(item)
    _EXPLICIT.add(cls)
    return added


def _target(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def register_optimizer(cls: type[Optimizer], name: str | None = None) -> type[Optimizer]:
    """Make `cls` the optimizer type `name` (default: its class name in snake_case); returns `cls`.

    Its `__init__` signature is its schema, as for the built-in optimizers.
    """
    _check_class(cls, Optimizer, "optimizer", "trainer.optim.Optimizer")
    name = _name(cls, name, "optimizer")
    origin = _origin(cls)
    _add(Entry("optimizer", name, _target(cls), (f"optim_{name}",), reference=f"plugin: {origin}", plugin=origin,
               cls=cls), cls)
    return cls


def register_loss(cls: type[Module], name: str | None = None, facts: LossFacts | None = None) -> type[Module]:
    """Make the nn.Module `cls` (called as `loss(output, target)`) the loss type `name`; returns `cls`.

    `facts` says how it reads targets (default: regression, float targets shaped like the output).
    """
    _check_class(cls, Module, "loss", "trainer.nn.Module")
    name = _name(cls, name, "loss")
    if facts is not None and not isinstance(facts, LossFacts):
        raise UserError(f"facts must be a trainer.config.LossFacts, got {facts!r}", file=_origin(cls))
    origin = _origin(cls)
    _add(Entry("loss", name, _target(cls), loss=facts or LossFacts("regression", False), plugin=origin,
               cls=cls), cls)
    return cls


def register_layer(cls: type[Module], name: str | None = None) -> type[Module]:
    """Make the nn.Module `cls` the layer type `name`; `in_features`, `in_channels`, `num_features`,
    `num_channels` and `normalized_shape` arguments are inferred from the previous layer's output, as built-ins' are."""
    _check_class(cls, Module, "layer", "trainer.nn.Module")
    name = _name(cls, name, "layer")
    inferred = tuple(n for n in inspect.signature(cls).parameters if n in INFERABLE)
    _add(Entry("layer", name, _target(cls), inferred=inferred, plugin=_origin(cls), cls=cls), cls)
    return cls


REGISTER = {"optimizer": register_optimizer, "loss": register_loss, "layer": register_layer}


def optimizer_name(cls: type[Optimizer]) -> str:
    """The YAML type of an Optimizer class, registering it (in snake_case) if it is not yet."""
    for entry in entries("optimizer"):
        if entry.load() is cls:  # trainer.optim.Adam is `adam`
            return entry.name
    register_optimizer(cls)
    return snake_case(cls.__name__)


def register_defined(module: Any) -> None:
    """Register every public Optimizer subclass `module` defines itself (not imports) and did not register by name."""
    for obj in list(vars(module).values()):
        if (inspect.isclass(obj) and issubclass(obj, Optimizer) and obj is not Optimizer
                and obj.__module__ == module.__name__ and not obj.__name__.startswith("_")
                and obj not in _EXPLICIT):
            register_optimizer(obj)




def register_as(kind: str, cls: type, name: str, facts: LossFacts | None) -> None:
    """Register `cls` as a `kind` again (on a worker, as the experiment's process did)."""
    if kind == "loss":
        register_loss(cls, name, facts)
    else:
        REGISTER[kind](cls, name)
