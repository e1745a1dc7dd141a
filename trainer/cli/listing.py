"""`trainer list`: every configurable type with its aliases, arguments and defaults, as rich tables."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import UserError, did_you_mean

_TITLES = {"data": "data types (data.type)", "layer": "layers (model.layers[].type)",
           "init": "initialisers (model.layers[].init.type)", "loss": "losses (loss.type)",
           "optimizer": "optimizers (optimizer.type)", "scheduler": "schedulers (scheduler.type)",
           "objective": "objectives (objective.type), instead of data, model and loss",
           "metric": "metrics (training.metrics)"}


def _argument_text(arg: dict[str, Any]) -> str:
    if arg["required"]:
        return f"{arg['name']} (required)"
    return f"{arg['name']}={arg['default']!r}"


def kind_table(kind: str) -> Table:
    """One table: name, aliases, arguments with defaults, and the first line of the doc."""
    table = Table(title=_TITLES.get(kind, plural(kind)), title_justify="left", show_lines=False, expand=False)
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("aliases")
    table.add_column("task: description" if kind == "metric" else "arguments (defaults)")
    if kind == "optimizer":
        table.add_column("reference")
    if kind == "metric":
        from ..metrics import DEFAULT_METRICS, METRICS

        for metric in METRICS.values():
            default = " (default)" if metric.name in DEFAULT_METRICS.get(metric.task, ()) else ""
            table.add_row(Text(metric.name), Text(""), Text(f"{metric.task}{default}: {metric.doc}"))
        return table
    from ..config import registry
    from ..config.describe import describe

    for entry in registry.entries(kind):
        info = describe(entry)
        args = ", ".join(_argument_text(a) for a in info["arguments"])
        inferred = f" [inferred: {', '.join(info['inferred'])}]" if info["inferred"] else ""
        keys = info.get("config_keys") or []
        more = f"; also {', '.join(_argument_text(k) for k in keys)}" if keys else ""
        cells = [Text(info["name"]), Text(", ".join(info["aliases"])), Text(args + inferred + more)]
        if kind == "optimizer":
            cells.append(Text(info["reference"]))
        elif info["plugin"]:
            cells[2].append(f" [plugin: {info['plugin']}]")
        table.add_row(*cells)
    return table


def plural(kind: str) -> str:
    """The plural the tables' titles use: losses, optimizers, data."""
    return kind if kind == "data" else kind + ("es" if kind.endswith("s") else "s")


def resolve_kind(word: str, kinds: list[str]) -> str:
    """The kind `word` names, singular or plural, any case (`optimizers`, `Loss`); a UserError with a guess if none."""
    spellings = {spelling: kind for kind in kinds for spelling in (kind, plural(kind))}
    found = spellings.get(word.strip().lower())
    if found is None:
        choices = list(spellings)
        raise UserError(f"unknown kind '{word}'{did_you_mean(word, choices)}", key="KIND",
                        hint=f"one of {', '.join(plural(k) for k in kinds)} (singular works too)")
    return found


def render_listing(console: Console, kind: str | None = None) -> None:
    """Print the tables of every kind, or of one (singular or plural)."""
    from ..config.registry import KINDS

    kinds = [*KINDS, "metric"]
    for k in [resolve_kind(kind, kinds)] if kind else kinds:
        console.print(kind_table(k))
