"""Rendering experiments with rich: one live line on a terminal or a line per finished run on a pipe, and the tables."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..experiments.jobs import Event
from .console import make_console
from .live import LiveLine

_COLOURS = {"completed": "green", "diverged": "red", "failed": "red", "interrupted": "yellow",
            "cancelled": "yellow", "mixed": "yellow", "pruned": "magenta"}


def fmt(value: Any, digits: int = 6) -> str:
    """Numbers for humans: `digits` significant digits; '-' for missing."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}g}" if math.isfinite(value) else str(value)
    return str(value)


def with_std(row: dict[str, Any], key: str) -> str:
    """`12.35 ± 0.41` when the row carries `<key>_std`, else the plain value (4 significant digits in tables)."""
    std = row.get(f"{key}_std")
    return f"{fmt(row.get(key), 4)} ± {fmt(std, 2)}" if std is not None else fmt(row.get(key), 5)


def output_console(*, stderr: bool = False) -> Console:
    """A console for tables and lines; off a terminal (pipes, CI logs) it is wide enough that tables don't wrap,
    unless COLUMNS says how wide."""
    console = make_console(stderr=stderr, highlight=False, soft_wrap=True)
    if not console.is_terminal and not os.environ.get("COLUMNS", "").strip().isdigit():
        console = make_console(stderr=stderr, highlight=False, soft_wrap=True, width=max(console.width, 160))
    return console


class ExperimentProgress:
    """The progress callback the CLI hands the core: one live line on a terminal (`cli.live`), a line per run on a
    pipe (CI logs, `| tee`)."""

    def __init__(self, console: Console, what: str, *, lines: bool = True) -> None:
        self.console = console
        self.what = what
        self.lines = lines
        self._live: LiveLine | None = LiveLine(console, what, transient=not lines) if console.is_terminal else None

    def __call__(self, event: Event) -> None:
        if event.kind == "start" and self.lines and (self._live is None or not self._live.tally.total):
            reused = f" ({event.done} already finished, reused)" if event.done else ""
            self.console.print(f"{self.what}: {event.total} runs{reused}", markup=False, highlight=False)
        if self._live is not None:
            self._live.update(event)
        elif self.lines and event.record is not None and event.kind != "reused":
            self.console.print(self._line(event), highlight=False, soft_wrap=True)

    def _line(self, event: Event) -> Text:
        record = event.record
        assert record is not None
        width = len(str(event.total))
        colour = _COLOURS.get(record.status, "white")
        text = Text(f"[{event.done:>{width}}/{event.total}] ")
        text.append(f"{record.status:<10}", style=colour)
        text.append(f" {record.spec.key}")
        s = record.summary
        column = "val_loss" if s.get("final_val_loss") is not None else "train_loss"
        if s.get(f"final_{column}") is not None:
            text.append(f"  {column} {fmt(s.get(f'final_{column}'))}")
        if s.get("wall_time_seconds") is not None:
            text.append(f"  {s['wall_time_seconds']:.1f}s")
        if record.error:
            text.append(f"  {record.error.splitlines()[0][:160]}", style="dim")
        return text

    def close(self) -> None:
        """Stop the live display (idempotent)."""
        if self._live is not None:
            self._live.close()


_STAT_SUFFIXES = ("_std", "_median", "_iqm", "_ci_low", "_ci_high")


def metric_columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The `final_<col>` keys worth a column: the final training loss, validation loss and validation metrics."""
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k.startswith("final_") and not k.endswith(_STAT_SUFFIXES) and k not in keys]
    loss = [k for k in ("final_train_loss", "final_val_loss") if k in keys]
    return loss + [k for k in keys if k.startswith("final_val_") and k not in loss]


def results_table(rows: Sequence[dict[str, Any]], *, title: str, first: str, extra: Sequence[str] = (),
                  threshold: float | None = None) -> Table:
    """One table for compare (first="variant") or sweep (first="run"), best first.

    On a narrow console the label, status and error columns wrap; numbers never do (nor get cut to "0.02…").
    """
    finals = metric_columns(rows)
    grid: list[list[Any]] = []
    errors = any(row.get("error") for row in rows)
    stats = any("judged_loss_iqm" in row for row in rows)
    ties = len(rows) > 1 and any("tied" in row for row in rows)
    if any("tuned" in row for row in rows) and "tuned" not in extra:
        extra = [*extra, "tuned"] + (["not_tuned"] if any(row.get("not_tuned") for row in rows) else [])
    for rank, row in enumerate(rows, start=1):
        status = row.get("status", "?")
        if first in ("variant", "point") and row.get("runs", 1) > 1:
            status = f"{status} {row.get('completed')}/{row.get('runs')}"
        cells = [str(rank), str(row.get(first)), Text(status, style=_COLOURS.get(row.get("status"), "white"))]
        cells += [fmt(row.get(key)) for key in extra]
        cells += [with_std(row, key) for key in finals]
        column = row.get("loss_column") or "train_loss"
        best = fmt(row.get(f"best_{column}"), 5)
        epoch = row.get(f"best_{column}_epoch")
        cells.append(f"{best} ({round(epoch)})" if isinstance(epoch, int | float) else best)
        if stats:
            cells.append(_interval(row))
        if ties:
            tied = row.get("tied")
            cells.append("best" if tied == "best" else "tied" if tied is True else "")
        if threshold is not None:
            runs = row.get("runs")
            if "epochs_to_target" in row:
                reached = row.get("target_reached")
                tail = f" ({reached}/{runs})" if runs and runs > 1 and reached is not None else ""
                cells.append(_never(row.get("epochs_to_target_median", row.get("epochs_to_target")), "ep") + " / "
                             + _never(row.get("seconds_to_target_median", row.get("seconds_to_target")), "s") + tail)
            else:
                reached = row.get("threshold_reached")
                tail = f" ({reached}/{runs})" if runs and runs > 1 and reached is not None else ""
                cells.append(with_std(row, "epochs_to_threshold") + tail)
        wall = row.get("wall_time")
        cells.append(f"{wall:.2f}s" if isinstance(wall, int | float) else "-")
        if errors:
            cells.append(_short_error(row.get("error")))
        grid.append(cells)
    table = Table(title=title, header_style="bold", title_style="bold")
    widths = [max((len(str(cells[i])) for cells in grid), default=1) for i in range(len(grid[0]))] if grid else []
    width = lambda i: widths[i] if widths else None
    label = lambda name, i, **kw: table.add_column(name, overflow="fold", min_width=min(width(i) or 1, 6), **kw)
    number = lambda name, i: table.add_column(name, justify="right", overflow="fold", min_width=width(i))
    number("#", 0)
    label(first, 1)
    label("status", 2)
    for i, key in enumerate(extra, start=3):
        if all(isinstance(row.get(key), int | float) for row in rows):
            number(key, i)
        else:
            label(key, i)
    i = 3 + len(extra)
    for key in finals:
        number(key[len("final_"):], i)
        i += 1
    number("best (epoch)", i)
    i += 1
    if stats:  # a label column: on a narrow console it wraps between its numbers, never inside one
        table.add_column("judged IQM [95% CI]", justify="right", overflow="fold", min_width=8)
        i += 1
    if ties:
        label("vs best", i)
        i += 1
    if threshold is not None:
        target_cols = any("epochs_to_target" in row for row in rows)
        number(f"{'median to' if target_cols else 'epochs to'} {fmt(float(threshold))}", i)
        i += 1
    number("time", i)
    if errors:
        label("error", i + 1, style="dim")
    for cells in grid:
        table.add_row(*cells)
    return table


def _interval(row: dict[str, Any]) -> str:
    """`0.1234 [0.11, 0.14]`: the judged loss's interquartile mean and bootstrap interval of the mean."""
    iqm, low, high = row.get("judged_loss_iqm"), row.get("judged_loss_ci_low"), row.get("judged_loss_ci_high")
    return f"{fmt(iqm, 4)} [{fmt(low, 3)}, {fmt(high, 3)}]"


def _never(value: Any, unit: str) -> str:
    """A time to target: `12 ep`, `3.1 s`, or `never` (infinite)."""
    if value is None:
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return "never"
    return f"{fmt(value, 3)} {unit}"


def _short_error(error: str | None, limit: int = 200) -> str:
    if not error:
        return ""
    line = error.splitlines()[0]
    return line if len(line) <= limit else line[: limit - 1] + "…"


def scores_table(scores: Sequence[dict[str, Any]], *, title: str) -> Table:
    """A benchmark's scores, best first: ∫ρ/3 by time to target and by final loss, and problems solved."""
    table = Table(title=title, header_style="bold", title_style="bold")
    table.add_column("#", justify="right")
    table.add_column("optimizer")
    for name in ("score (time to target)", "score (final loss)", "solved"):
        table.add_column(name, justify="right")
    for rank, row in enumerate(scores, start=1):
        table.add_row(str(rank), str(row["optimizer"]), f"{row['score_time']:.3f}", f"{row['score_final']:.3f}",
                      f"{row['solved']}/{row['problems']}")
    return table


def print_json(rows: Sequence[dict[str, Any]]) -> None:
    """The rows as one JSON array on stdout, nothing else there."""
    from ..experiments.writers import json_text

    typer.echo(json_text(rows), nl=False)
