"""The little languages of the command line: one YAML value parser, comma lists, `KEY=VALUE` pairs."""

from __future__ import annotations

import math
from typing import Any

from ..errors import UserError
from .yaml_io import parse_yaml


def parse_value(text: str, where: str | None = None) -> Any:
    """A value written on the command line, parsed as YAML exactly as in a config file (safely).

    The one parser of `--set`, `--grid`, `--range`, `--optimizers` and the `compare:`/`sweep:` blocks:
    `0.01`, `1e-4` (a float, as in YAML 1.2), `adam`, `[0.9, 0.99]`, `null`; `'"2"'` stays the string "2".
    `where` names the flag in error messages.
    """
    return parse_yaml(text.strip(), where)


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
