"""Descriptions of catalogue entries for `trainer list`: arguments with types and defaults, and extra keys."""

from __future__ import annotations

import inspect
from typing import Any

from pydantic_core import PydanticUndefined

from . import introspect
from .components import MODELS
from .constraints import choices_for
from .registry import Entry
from .schema import run_config_model


def config_keys(entry: Entry) -> list[dict[str, Any]]:
    """Keys a config section of this type takes besides the constructor's arguments (val_fraction, init, ...)."""
    run_config_model()  # builds (and so lists in MODELS) the models of registered types too
    model = MODELS.get((entry.kind, entry.name))
    if model is None:
        return []
    own = {a.name for a in introspect.arguments(entry)} | {"type"}
    out = []
    for name, f in model.model_fields.items():
        if name in own:
            continue
        default = f.get_default(call_default_factory=True)
        if default is PydanticUndefined:
            default = None
        elif hasattr(default, "model_dump"):
            default = default.model_dump(mode="json")
        out.append({"name": name, "type": introspect.format_type(f.annotation), "required": f.is_required(),
                    "default": default, "description": f.description or ""})
    return out


def describe(entry: Entry) -> dict[str, Any]:
    """A JSON-friendly description: name, aliases, target, summary line and arguments with defaults."""
    target = entry.load()
    doc = (inspect.getdoc(target) or "").strip().splitlines()
    args = [{"name": a.name, "type": introspect.format_type(choices_for(entry, a.name) or a.annotation),
             "required": a.required, "default": None if a.required else a.default}
            for a in introspect.arguments(entry)]
    return {"kind": entry.kind, "name": entry.name, "aliases": list(entry.aliases), "target": entry.target,
            "reference": entry.reference, "plugin": entry.plugin,
            "summary": doc[0] if doc else "", "inferred": list(entry.inferred), "arguments": args,
            "config_keys": config_keys(entry)}
