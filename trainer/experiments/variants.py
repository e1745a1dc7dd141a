"""The optimizer variants of a comparison: `adam`, `adam:lr=0.08`, dicts, Optimizer classes, or a `compare:` list.

Each variant is a label and the `optimizer:` block it trains with. A variant of the config's own
optimizer type keeps every setting of the config's block and changes only what it names; a variant
of another type starts from that optimizer's defaults and inherits only the config's `lr` (the one
setting every optimizer shares), so `--set optimizer.lr=...` sets the rate of every variant that
does not choose its own. A wrapper variant (`lookahead`) without its own `optimizer:` block wraps
the config's optimizer block; one with a block of another type gives that block the config's `lr`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..config.registration import optimizer_name
from ..config.schema import WRAPPERS
from ..config.values import format_value, parse_value, split_assignment, split_top_level
from ..errors import UserError


@dataclass(frozen=True)
class Variant:
    """One entry of a comparison: how it is shown and the optimizer settings it names."""

    label: str
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def type(self) -> str:
        """The optimizer type this variant names."""
        return str(self.settings["type"])

    def block(self, base: Mapping[str, Any] | None) -> dict[str, Any]:
        """The full `optimizer:` block of this variant, given the config's own block."""
        base = dict(base or {})
        if _same_type(base.get("type"), self.type):
            return {**base, **self.settings}
        if _is_wrapper(self.type) and not _is_wrapper(base.get("type")):
            settings = dict(self.settings)
            inner = settings.pop("optimizer", None)
            if inner is not None:
                inner = Variant("", dict(inner) if isinstance(inner, Mapping) else {"type": inner}).block(base)
            return {**settings, "optimizer": base if inner is None else inner}
        lr = base.get("lr")
        if lr is None and _is_wrapper(base.get("type")) and isinstance(base.get("optimizer"), Mapping):
            lr = base["optimizer"].get("lr")  # the rate of the optimizer a wrapper wraps
        inherited = {"lr": lr} if lr is not None else {}
        return {"type": self.type, **inherited, **self.settings}


def parse_optimizers(spec: str | Iterable[str | Mapping[str, Any]]) -> list[Variant]:
    """Variants from a `--optimizers` string, or a list of spec strings / optimizer blocks / compare entries."""
    if isinstance(spec, str):
        items: list[Any] = [s for s in split_top_level(spec) if s]
    else:
        items = list(spec)
    if not items:
        raise UserError("name at least one optimizer to compare", key="optimizers",
                        hint="for example --optimizers adam,sgd or 'adam:lr=0.08,sgd:lr=0.01:momentum=0.9'")
    variants = [_variant(item, f"optimizers.{i}") for i, item in enumerate(items)]
    return _unique_labels(variants)


def _variant(item: Any, where: str) -> Variant:
    if isinstance(item, Variant):
        return item
    if isinstance(item, type):  # an Optimizer class: registered (snake_case) if it is not yet
        name = optimizer_name(item)
        return Variant(name, {"type": name})
    if isinstance(item, str):
        return _from_text(item, where)
    if isinstance(item, Mapping):
        return _from_mapping(item, where)
    raise UserError(f"an optimizer variant is a name, a 'type:key=value' spec or a mapping, got {item!r}", key=where)


def _from_text(text: str, where: str) -> Variant:
    name, *pairs = split_top_level(text.strip(), ":")
    if not name:
        raise UserError(f"an optimizer spec starts with the optimizer's name, got {text!r}", key=where)
    settings: dict[str, Any] = {"type": name}
    for pair in pairs:
        key, value = split_assignment(pair, "--optimizers")
        if key == "type":
            raise UserError(f"{text!r} sets type= after naming the optimizer", key=where,
                            hint=f"name the optimizer first instead, e.g. {value}:lr=0.01")
        settings[key] = parse_value(value, f"--optimizers {name}:{key}")
    label = ":".join([name, *(f"{k}={format_value(v)}" for k, v in list(settings.items())[1:])])
    return Variant(label, settings)


def _from_mapping(item: Mapping[str, Any], where: str) -> Variant:
    """`{type: adam, lr: 0.1}` (an optimizer block) or `{name: fast, optimizer: {type: adam, lr: 0.1}}`."""
    item = dict(item)
    name = item.pop("name", None)
    if "optimizer" in item:
        block = item.pop("optimizer")
        if item:
            raise UserError(f"unknown key {sorted(item)[0]!r} in a compare entry", key=where,
                            hint="a compare entry holds an optimizer: block and optionally a name")
        item = dict(block) if isinstance(block, Mapping) else {"type": block}
        where = f"{where}.optimizer"
    if not isinstance(item.get("type"), str):
        raise UserError("an optimizer block needs a type", key=f"{where}.type", hint="for example type: adam")
    extras = [f"{k}={format_value(v)}" for k, v in item.items() if k != "type"]
    label = str(name) if name is not None else ":".join([item["type"], *extras])
    return Variant(label, item)


def _unique_labels(variants: list[Variant]) -> list[Variant]:
    seen: dict[str, int] = {}
    out = []
    for v in variants:
        seen[v.label] = seen.get(v.label, 0) + 1
        out.append(v if seen[v.label] == 1 else Variant(f"{v.label}#{seen[v.label]}", v.settings))
    return out


def _norm(t: Any) -> str:
    return re.sub(r"^optim_", "", str(t).lower())


def _same_type(a: Any, b: str) -> bool:
    return a is not None and _norm(a) == _norm(b)


def _is_wrapper(t: Any) -> bool:
    return t is not None and _norm(t) in WRAPPERS


def slug(label: str) -> str:
    """A directory name for a label: `adam:lr=0.08` → `adam-lr=0.08`."""
    text = re.sub(r"[^A-Za-z0-9._=+-]+", "-", label).strip("-.")
    return text[:80] or "variant"
