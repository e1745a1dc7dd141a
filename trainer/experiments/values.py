"""Parsing the little languages of the experiment flags: YAML scalars, comma lists, `KEY=VALUES` pairs."""

from __future__ import annotations

import math
from typing import Any

import yaml

from ..errors import UserError


def parse_scalar(text: str) -> Any:
    """A value written on the command line, parsed as YAML (`0.01`, `adam`, `[0.9, 0.99]`, `null`).

    YAML 1.1 reads `1e-4` as a string; a string that Python reads as a float is taken as that float.
    """
    text = text.strip()
    try:
        value = yaml.safe_load(text) if text else ""
    except yaml.YAMLError as exc:
        raise UserError(f"cannot parse {text!r} as a YAML value: {exc}") from exc
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return number if value.strip().lower() not in ("nan", "inf", "-inf", "infinity", "-infinity") else value
    return value


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on `sep` outside brackets and quotes: `a,[1,2],b` → `a`, `[1,2]`, `b`."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{(":
            depth += 1
        elif ch in "]})":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def split_assignment(text: str, what: str) -> tuple[str, str]:
    """`key=value` → (`key`, `value`), with a clear error when the `=` is missing."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UserError(f"expected KEY=VALUE in {what}, got {text!r}", key=what,
                        hint=f"for example {what} optimizer.lr=0.01,0.1")
    return key.strip(), value.strip()


def format_value(value: Any) -> str:
    """A value as short readable text for labels and directory names (`0.01`, `adam`, `[0.9,0.99]`)."""
    if isinstance(value, bool) or value is None:
        return str(value).lower() if value is not None else "null"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(format_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{format_value(v)}" for k, v in value.items()) + "}"
    return str(value)
