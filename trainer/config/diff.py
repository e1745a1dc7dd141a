"""A config's differences from the schema's defaults: what a run changed, key by key (for `trainer show`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

_REQUIRED = "(required)"


def changed_keys(model: BaseModel, prefix: str = "") -> list[dict[str, Any]]:
    """`{"key", "value", "default"}` for every dotted key whose value is not its field's default.

    Nested blocks (a typed optimizer's arguments, each layer) are compared with their own defaults;
    a key without a default (a component's `type`, a layer's width) is listed with default "(required)".
    """
    out: list[dict[str, Any]] = []
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        key = f"{prefix}{field.alias or name}"
        if isinstance(value, BaseModel):
            out += changed_keys(value, key + ".")
            continue
        if isinstance(value, list) and value and all(isinstance(v, BaseModel) for v in value):
            for i, item in enumerate(value):
                out += changed_keys(item, f"{key}.{i}.")
            continue
        default = _REQUIRED if field.is_required() else field.get_default(call_default_factory=True)
        if default is _REQUIRED or to_jsonable_python(value) != to_jsonable_python(default):
            out.append({"key": key, "value": to_jsonable_python(value),
                        "default": default if default is _REQUIRED else to_jsonable_python(default)})
    return out
