"""Which component types a schema holds: every registered one, or just those a raw config names.

`selection_of(raw)` reads the type names of a raw config (data, each layer and its inits, loss,
optimizer and a wrapper's inner one, scheduler and a composite's children, objective). It returns
None whenever a narrow schema could not decide the config exactly as the full one does (a section
that is not a mapping or a type name, a missing or unknown type, a wrapper inside a wrapper, ...):
such a config is validated against the full schema, so its error message is the full schema's.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .components import shorthand
from .registry import Entry, entries, find
from .sections import WRAPPERS, can_be_child

Entries = tuple[Entry, ...]


class Selection(NamedTuple):
    """The entries each union of a run schema holds, in catalogue order."""

    data: Entries
    layer: Entries
    init: Entries
    loss: Entries
    optimizer: Entries
    inner: Entries  # a wrapper's inner optimizer
    scheduler: Entries
    child: Entries  # a composite scheduler's children
    objective: Entries


def full_selection() -> Selection:
    """Every type the catalogue holds now."""
    optimizers = entries("optimizer")
    schedulers = entries("scheduler")
    return Selection(entries("data"), entries("layer"), entries("init"), entries("loss"), optimizers,
                     tuple(e for e in optimizers if e.name not in WRAPPERS), schedulers,
                     tuple(e for e in schedulers if can_be_child(e)), entries("objective"))


class _Undecided(Exception):
    """The narrow schema cannot tell this config apart from the full one's answer."""


def _entry(kind: str, value: Any) -> Entry:
    value = shorthand(value)
    name = value.get("type") if isinstance(value, dict) else None
    entry = find(kind, name) if isinstance(name, str) else None
    if entry is None:
        raise _Undecided
    return entry


def _section(raw: dict[str, Any], kind: str) -> Entry | None:
    value = raw.get(kind)
    return None if value is None else _entry(kind, value)


def _inits(layer: Any) -> list[Entry]:
    value = layer.get("init") if isinstance(layer, dict) else None
    if value is None:
        return []
    value = shorthand(value)
    if isinstance(value, dict) and "type" in value:
        return [_entry("init", value)]
    if not isinstance(value, dict):
        raise _Undecided
    return [_entry("init", v) for v in value.values()]


def _layers(raw: dict[str, Any]) -> tuple[list[Entry], list[Entry]]:
    model = raw.get("model")
    if model is None:
        return [], []
    layers = model.get("layers") if isinstance(model, dict) else None
    if not isinstance(layers, list):
        raise _Undecided
    found = [_entry("layer", layer) for layer in layers]
    return found, [i for layer in layers for i in _inits(shorthand(layer))]


def _optimizer(raw: dict[str, Any]) -> tuple[Entry, list[Entry]]:
    entry = _entry("optimizer", raw.get("optimizer"))
    if entry.name not in WRAPPERS:
        return entry, []
    inner = _entry("optimizer", shorthand(raw["optimizer"]).get("optimizer"))
    if inner.name in WRAPPERS:
        raise _Undecided
    return entry, [inner]


def _scheduler(raw: dict[str, Any]) -> tuple[list[Entry], list[Entry]]:
    entry = _section(raw, "scheduler")
    if entry is None:
        return [], []
    if not entry.composite:
        return [entry], []
    children = shorthand(raw["scheduler"]).get("schedulers")
    if not isinstance(children, list) or not children:
        raise _Undecided
    found = [_entry("scheduler", c) for c in children]
    if not all(can_be_child(c) for c in found):
        raise _Undecided
    return [entry], found


def _ordered(kind: str, found: list[Entry | None]) -> Entries:
    """The distinct entries in `found`, in catalogue order."""
    wanted = {e for e in found if e is not None}
    return tuple(e for e in entries(kind) if e in wanted)


def selection_of(raw: Any) -> Selection | None:
    """The types a raw config names, or None when only the full schema decides it identically."""
    if not isinstance(raw, dict):
        return None
    try:
        layers, inits = _layers(raw)
        optimizer, inner = _optimizer(raw)
        schedulers, children = _scheduler(raw)
        return Selection(_ordered("data", [_section(raw, "data")]), _ordered("layer", layers),
                         _ordered("init", inits), _ordered("loss", [_section(raw, "loss")]),
                         _ordered("optimizer", [optimizer]), _ordered("optimizer", inner),
                         _ordered("scheduler", schedulers), _ordered("scheduler", children),
                         _ordered("objective", [_section(raw, "objective")]))
    except _Undecided:
        return None
