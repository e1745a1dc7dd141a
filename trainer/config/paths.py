"""Which keys the schema accepts at a dotted path of a raw config (for `--set` and suggestions)."""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Union

from pydantic import BaseModel


def _tags(model: type[BaseModel]) -> tuple[Any, ...]:
    field = model.model_fields.get("type")
    return typing.get_args(field.annotation) if field is not None else ()


def concrete(tp: Any, value: Any) -> Any:
    """`tp` without Annotated/Optional wrappers; a tagged union resolved by the value's `type` (None if unknown)."""
    while True:
        if typing.get_origin(tp) is Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if typing.get_origin(tp) in (Union, types.UnionType):
            members = [m for m in typing.get_args(tp) if m is not type(None)]
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            if len(members) == 1:
                tp = members[0]
                continue
            if models and len(models) == len(members):
                tag = value.get("type") if isinstance(value, dict) else value if isinstance(value, str) else None
                chosen = [m for m in models if tag in _tags(m)] if len(models) > 1 else models
                return chosen[0] if len(chosen) == 1 else None
            return tp
        return tp


def keys_at(root: type[BaseModel], path: list[Any], raw: Any) -> list[str] | None:
    """The keys a mapping at `path` may hold, or None when any key may do (or it cannot be told)."""
    tp, value = root, raw
    for part in path:
        tp = concrete(tp, value)
        if tp is None:
            return None
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            fields = {f.alias or name: f for name, f in tp.model_fields.items()}
            if part not in fields:
                return None
            tp = fields[part].annotation
            value = value.get(part) if isinstance(value, dict) else None
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
            try:
                value = value[int(part)] if isinstance(value, list) else None
            except (ValueError, IndexError):
                value = None
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
            value = value.get(part) if isinstance(value, dict) else None
        else:
            return None
    tp = concrete(tp, value)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        allowed = getattr(tp, "allowed_keys", None)
        return allowed() if allowed else list(tp.model_fields)
    return None
