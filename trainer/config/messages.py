"""Turn pydantic's validation errors into one `UserError` naming the dotted key path, in plain words."""

from __future__ import annotations

import reprlib
from typing import Any

from pydantic import ValidationError

from ..errors import UserError, did_you_mean, invisible_hint, visible
from .registry import KINDS, PLUGGABLE, PLUGIN_HINT, names

_EXPECTED = {
    "float_type": "a number", "float_parsing": "a number", "finite_number": "a finite number",
    "int_type": "an integer", "int_parsing": "an integer", "int_from_float": "a whole number",
    "bool_type": "true or false", "bool_parsing": "true or false", "string_type": "a string",
    "list_type": "a list", "tuple_type": "a list", "set_type": "a list", "dict_type": "a mapping",
    "model_type": "a mapping", "model_attributes_type": "a mapping", "none_required": "null",
    "literal_error": None,
}
_BOUNDS = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}
MAX_EXTRA = 3


def clean_path(loc: tuple[Any, ...], raw: Any, missing: bool = False) -> list[Any]:
    """The user's key path: pydantic's location without union tags and member labels.

    Walks the raw input alongside the location; steps that do not index into it are union tags
    (`adam`) and member labels (`list[float]`), except the last step of a `missing` error: the missing key.
    """
    out: list[Any] = []
    cur = raw
    for i, step in enumerate(loc):
        if isinstance(cur, dict) and step in cur:
            out.append(step)
            cur = cur[step]
        elif isinstance(cur, list) and isinstance(step, int) and 0 <= step < len(cur):
            out.append(step)
            cur = cur[step]
        elif missing and i == len(loc) - 1:
            out.append(step)
    return out


def dotted(path: list[Any]) -> str:
    """`['model', 'layers', 2, 'p']` -> `model.layers.2.p`."""
    return ".".join(visible(p) for p in path)


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxdict, _SHORT.maxlist, _SHORT.maxtuple = 3, 4, 6, 6
_SHORT.maxstring = _SHORT.maxother = 50


def _show(value: Any) -> str:
    """A short rendering of a user's value; reprlib never expands a huge (e.g. YAML-aliased) value."""
    text = _SHORT.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind_of_tags(tags: list[str]) -> str:
    candidates = [k for k in KINDS if set(tags) <= set(names(k))]
    return min(candidates, key=lambda k: len(names(k))) if candidates else "component"


def _kind_at(path: list[Any]) -> str:
    keys = [p for p in path if isinstance(p, str)]
    if "init" in keys:
        return "init"
    if "layers" in keys:
        return "layer"
    for kind, section in (("objective", "objective"),
                          ("data", "data"), ("loss", "loss"), ("optimizer", "optimizer"), ("scheduler", "scheduler"),
                          ("optimizer", "compare")):
        if keys and keys[0] == section:
            return kind
    return "component"


def describe(err: dict[str, Any], path: list[Any]) -> tuple[str, str | None]:
    """(message, hint) for one pydantic error."""
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "unknown_key":
        allowed = [k for k in ctx.get("allowed", []) if k != "type"]
        hint = invisible_hint(ctx["key"]) or f"allowed keys here: {', '.join(allowed)}"
        return f"unknown key '{visible(ctx['key'])}'{ctx['mean']}", hint
    if kind == "refused_key":
        return err["msg"], ctx.get("hint")
    if kind == "union_tag_invalid":
        tags = [t.strip().strip("'") for t in ctx.get("expected_tags", "").split(",")]
        which = _kind_of_tags(tags)
        mean = did_you_mean(ctx.get("tag"), tags)
        canonical = [n for n in names(which, aliases=False) if n in tags] if which in KINDS else tags
        more = f"; {PLUGIN_HINT}" if which in PLUGGABLE else ""
        hint = invisible_hint(ctx.get("tag"), "the name") or f"{which} types: {', '.join(canonical)}{more}"
        if which == "optimizer" and ctx.get("tag") in names(which):  # a known type not allowed here: a wrapper
            return (f"the wrapped optimizer cannot be '{ctx['tag']}': a wrapper cannot wrap another wrapper in a "
                    "config", "wrap one of the other optimizer types; in Python, Lookahead(Lookahead(...)) works")
        return f"unknown {which} type '{visible(ctx.get('tag'))}'{mean}", hint
    if kind == "union_tag_not_found":
        which = _kind_at(path)
        hint = f"{which} types: {', '.join(names(which, False))}" if which in KINDS else None
        return f"missing 'type' (which {which}?)", hint
    if kind == "missing":
        return f"missing required key '{path[-1]}'" if path else "missing required key", None
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])), None
    if kind in _BOUNDS:
        bound = next(iter(ctx.values()))
        return f"must be {_BOUNDS[kind]} {bound}, got {_show(value)}", None
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} may hold only letters, digits, '.', '_' and '-', starting with a letter or digit", None
    if kind == "literal_error":
        options = ctx.get("expected", "")
        mean = did_you_mean(value, [o.strip().strip("'") for o in options.replace(" or ", ",").split(",")])
        return f"expected {options}, got {_show(value)}{mean}", invisible_hint(value, "the value")
    if kind in ("model_attributes_type", "model_type") and _kind_at(path) in KINDS and path and path[0] != "training":
        which = _kind_at(path)
        return f"expected a {which} mapping such as {{type: ...}} or a type name, got {_show(value)}", None
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {_show(value)}", None
    return f"{err['msg']}, got {_show(value)}" if "input" in err else err["msg"], None


def _merge(items: list[tuple[list[Any], str, str | None, str]]) -> list[tuple[list[Any], str, str | None]]:
    """One entry per path; alternatives of a union ('expected a number' / 'expected a list') become one."""
    merged: dict[str, tuple[list[Any], list[str], str | None, list[str]]] = {}
    for path, message, hint, kind in items:
        key = dotted(path)
        if key not in merged:
            merged[key] = (path, [message], hint, [kind])
        elif message not in merged[key][1]:
            merged[key][1].append(message)
            merged[key][3].append(kind)
    out = []
    for path, messages, hint, kinds in merged.values():
        if len(messages) > 1 and all(k in _EXPECTED and _EXPECTED[k] for k in kinds):
            wanted = " or ".join(dict.fromkeys(m.split(", got ")[0].removeprefix("expected ") for m in messages))
            messages = [f"expected {wanted}, got {messages[0].split(', got ', 1)[1]}"]
        out.append((path, messages[0], hint))
    return out


def _short_tuple(err: dict[str, Any]) -> bool:
    """A `missing` error at a position of a list: a fixed-length tuple given too few items."""
    return err["type"] == "missing" and bool(err["loc"]) and isinstance(err["loc"][-1], int) \
        and isinstance(err.get("input"), list)


def _tuple_length(path: list[Any], value: list[Any], wanted: int) -> str:
    """`betas needs 2 numbers, got 1: [0.9]`."""
    name = next((p for p in reversed(path) if isinstance(p, str)), "this")
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    return f"{name} needs {wanted} {'numbers' if numbers else 'values'}, got {len(value)}: {_show(value)}"


def user_error(exc: ValidationError, raw: Any, file: str | None = None, prefix: tuple[Any, ...] = ()) -> UserError:
    """One UserError for a validation failure: the first problem's key, and up to three more listed."""
    items = []
    errors = exc.errors()
    for err in errors:
        if _short_tuple(err):
            path = [*prefix, *clean_path(tuple(err["loc"][:-1]), raw)]
            absent = sum(1 for e in errors if _short_tuple(e) and tuple(e["loc"][:-1]) == tuple(err["loc"][:-1]))
            items.append((path, _tuple_length(path, err["input"], len(err["input"]) + absent), None, "tuple_length"))
            continue
        if err["type"] == "too_long" and (err.get("ctx") or {}).get("field_type") == "Tuple" \
                and isinstance(err.get("input"), list):
            path = [*prefix, *clean_path(tuple(err["loc"]), raw)]
            items.append((path, _tuple_length(path, err["input"], err["ctx"]["max_length"]), None, "tuple_length"))
            continue
        if err["type"] == "keyed":  # a check of several keys that names the one to change
            ctx = err["ctx"]
            items.append(([*prefix, *clean_path(tuple(err["loc"]), raw), ctx["key"]], ctx["message"], ctx["hint"],
                          "keyed"))
            continue
        path = [*prefix, *clean_path(tuple(err["loc"]), raw, err["type"] == "missing")]
        if err["type"] in ("unknown_key", "refused_key"):
            path.append(err["ctx"]["key"])
        elif err["type"] == "union_tag_invalid" and path[-1:] != ["type"]:
            path.append("type")  # the key the user mistyped
        message, hint = describe(err, path)
        items.append((path, message, hint, err["type"]))
    problems = _merge(items)
    path, message, hint = problems[0]
    more = [f"{dotted(p) or '(top level)'}: {m}" for p, m, _ in problems[1:1 + MAX_EXTRA]]
    if len(problems) > 1 + MAX_EXTRA:
        more.append(f"... and {len(problems) - 1 - MAX_EXTRA} more")
    if more:
        message += "\n  also " + "\n  also ".join(more)
    return UserError(message, file=file, key=dotted(path) or None, hint=hint)
