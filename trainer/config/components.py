"""Pydantic models generated from the registry: one per type, with that type's real arguments.

A component section is `{type: <name or alias>, <argument>: <value>, ...}`; the union of a kind's
models is discriminated by `type`, so a wrong argument is reported against the chosen type only,
and the JSON Schema lists every type with its arguments for an editor to autocomplete.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Field, create_model, field_validator

from . import introspect
from .constraints import choices_for, range_for
from .registry import Entry
from .strict import Strict


def shorthand(value: Any) -> Any:
    """`relu` means `{type: relu}`: a bare string names a type with default arguments."""
    return {"type": value} if isinstance(value, str) else value


def _title(entry: Entry, suffix: str = "") -> str:
    return f"{entry.kind.title()}_{entry.name}{suffix}"


def _canonical(name: str) -> Any:
    def to_canonical(cls: type, value: str) -> str:
        return name

    return field_validator("type")(to_canonical)


def _range_validator(arg: str, rng: Any) -> Any:
    def check(cls: type, value: Any) -> Any:
        return rng.check(value)

    return field_validator(arg)(check)


def argument_fields(entry: Entry, optional: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pydantic field definitions and range validators for an entry's arguments.

    With `optional`, every argument defaults to None (meaning: inherit), as in a parameter group.
    """
    fields: dict[str, Any] = {}
    validators: dict[str, Any] = {}
    for arg in introspect.arguments(entry):
        ann = choices_for(entry, arg.name) or arg.annotation
        default = arg.default
        if optional:
            ann, default = ann | None, None
        if isinstance(default, tuple) and getattr(ann, "__origin__", None) is list:
            default = list(default)  # a signature's tuple default for a list field (serialises without warnings)
        fields[arg.name] = (ann, ... if default is introspect.REQUIRED else default)
        rng = range_for(entry.kind, entry.name, arg.name)
        if rng is not None:
            validators[f"_range_{arg.name}"] = _range_validator(arg.name, rng)
    return fields, validators


def component_model(entry: Entry, extra: dict[str, Any] | None = None, suffix: str = "",
                    validators: dict[str, Any] | None = None) -> type[Strict]:
    """The model of one type: `type` (canonicalised), its arguments, and `extra` fields."""
    fields, checks = argument_fields(entry)
    fields.update(extra or {})
    doc = (entry.load().__doc__ or "").strip().splitlines()
    model = create_model(
        _title(entry, suffix),
        __base__=Strict,
        __doc__=doc[0] if doc else entry.name,
        __validators__={"_canonical_type": _canonical(entry.name), **checks, **(validators or {})},
        type=(Literal[entry.names], Field(description=f"{entry.kind} type (aliases: {', '.join(entry.aliases)})"
                                          if entry.aliases else f"{entry.kind} type")),
        **fields,
    )
    model.registry_entry = entry  # type: ignore[attr-defined]
    return model


MODELS: dict[tuple[str, str], type[Strict]] = {}
"""(kind, name) -> the model of a top-level section in the full schema (filled when `run_config_model()` builds it)."""


def tagged_union(models: list[type[Strict]]) -> Any:
    """A union of component models chosen by their `type`, accepting the bare-string shorthand."""
    union = Union[tuple(models)] if len(models) > 1 else models[0]  # noqa: UP007
    return Annotated[union, Field(discriminator="type"), BeforeValidator(shorthand)]
