"""`--set KEY=VALUE` overrides: dotted paths into the raw config, values parsed as YAML."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import UserError, did_you_mean, invisible_hint, visible
from .values import parse_value

KeysAt = Callable[[list[Any], Any], list[str] | None]


def parse_override(text: str) -> tuple[list[str], Any]:
    """`optimizer.lr=0.01` -> (['optimizer', 'lr'], 0.01); the value is parsed as YAML (safely)."""
    key, sep, value = str(text).partition("=")
    key = key.strip()
    if not sep or not key:
        raise UserError(f"an override is KEY=VALUE, got {text!r}", key=key or None,
                        hint="for example --set optimizer.lr=0.01")
    parts = key.split(".")
    if any(not p for p in parts):
        raise UserError(f"empty part in the key path '{key}'", key=key)
    return parts, parse_value(value, f"--set {key}")


def _index(part: str, items: list[Any], where: str, text: str) -> int:
    try:
        i = int(part)
    except ValueError:
        raise UserError(f"--set {text}: '{where}' is a list; '{part}' is not an index", key=where,
                        hint=f"use a number from 0 to {len(items) - 1}") from None
    if not 0 <= i < len(items):
        raise UserError(f"--set {text}: '{where}' has {len(items)} items, there is no item {i}", key=where,
                        hint=f"use a number from 0 to {len(items) - 1}" if items else None)
    return i


def apply_override(raw: dict[str, Any], text: str, keys_at: KeysAt | None = None) -> None:
    """Apply one override to `raw` in place.

    Every part but the last must exist (lists by index); the last may be new when `keys_at(path, raw)`
    lists it as a key the schema accepts there (or returns None, meaning anything goes). A type name
    given as a bare string (`relu`) is spelled out as `{type: relu}` to set one of its arguments.
    """
    parts, value = parse_override(text)
    cur: Any = raw
    for depth, part in enumerate(parts):
        here = ".".join(parts[:depth]) or "the config"
        last = depth == len(parts) - 1
        if isinstance(cur, list):
            slot: Any = _index(part, cur, here, text)
        elif isinstance(cur, dict):
            slot = part
            if part not in cur:
                allowed = keys_at(parts[:depth], raw) if keys_at else None
                if allowed is not None and part not in allowed:
                    raise UserError(f"--set {visible(text)}: '{visible(part)}' is not a key of {here}"
                                    f"{did_you_mean(part, allowed)}", key=visible(".".join(parts[:depth + 1])),
                                    hint=invisible_hint(part) or f"keys of {here}: {', '.join(allowed)}")
                cur[part] = None
        else:
            raise UserError(f"--set {text}: '{here}' is {cur!r}, which has no key '{part}'", key=here)
        if last:
            cur[slot] = value
            return
        child = cur[slot]
        if child is None:
            child = cur[slot] = {}
        elif isinstance(child, str) and keys_at and "type" in (keys_at(parts[:depth + 1], raw) or ()):
            child = cur[slot] = {"type": child}
        cur = child


def apply_overrides(raw: dict[str, Any], overrides: Iterable[str], keys_at: KeysAt | None = None) -> dict[str, Any]:
    """A copy of `raw` with every override applied in order."""
    out = copy.deepcopy(raw)
    for text in overrides:
        apply_override(out, text, keys_at)
    return out
