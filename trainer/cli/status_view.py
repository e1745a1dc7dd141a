"""Rendering `trainer status` with rich: an experiment's progress, or one run directory's state."""

from __future__ import annotations

import shlex
import time
from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ..experiments.status import ExperimentStatus, RunDirStatus
from .experiment_view import fmt

_COLOURS = {"done": "green", "completed": "green", "running": "cyan", "stale": "red", "failed": "red",
            "diverged": "red", "pruned": "magenta", "interrupted": "yellow", "cancelled": "yellow", "waiting": "dim"}


def duration(seconds: float | None) -> str:
    """`0.25s`, `32.1s`, `4m05s`, `2h13m`, or `unknown`."""
    if seconds is None:
        return "unknown"
    if seconds < 10:
        return f"{seconds:.2f}s"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def experiment_lines(status: ExperimentStatus, limit: int = 10, now: float | None = None) -> list[RenderableType]:
    """The progress of a compare, sweep or benchmark: what, counts, best so far, time, and the runs not done."""
    now = time.time() if now is None else now
    head = Text(f"{status.kind} ", style="bold")
    head.append(status.path)
    head.append(f"  ({_activity(status, now)})", style="dim")
    lines: list[RenderableType] = [head]
    if status.command:
        lines.append(Text(f"command: {shlex.join(status.command)}"))
    if status.config:
        lines.append(Text(f"config: {status.config}"))
    if status.search:
        lines.append(Text("search: " + ", ".join(f"{k} {v}" for k, v in status.search.items())))
    counts = Text(f"runs: {status.total} planned")
    for name, count in status.counts.items():
        if count:
            counts.append(" · ")
            counts.append(f"{count} {name}", style=_COLOURS.get(name, ""))
    if status.not_planned:
        counts.append(f" (and {status.not_planned} recorded from another plan)", style="dim")
    lines.append(counts)
    if status.best_per_problem is None:
        lines.append(Text(f"best so far: {_best(status.best)}"))
    else:
        lines.append(Text("best so far, per problem:" + ("" if status.best_per_problem else " none yet")))
        for problem, best in status.best_per_problem.items():
            lines.append(Text(f"  {problem}: {_best(best)}"))
    workers = f" on {status.workers} worker{'s' * (status.workers != 1)}" if status.workers else ""
    lines.append(Text(f"time spent: {duration(status.elapsed_seconds)} since the first run started, "
                      f"{duration(status.run_seconds)} summed run time"
                      + (f" (mean {duration(status.mean_run_seconds)} per run)" if status.mean_run_seconds else "")))
    if status.remaining:
        left = f"~{duration(status.time_left_seconds)}" if status.time_left_seconds is not None else "unknown"
        lines.append(Text(f"time left: {left} for {status.remaining} runs{workers}"
                          + (" (no run finished yet)" if status.time_left_seconds is None else "")))
        if status.active is False and status.command:
            lines.append(Text(f"not running: the same command continues it: {shlex.join(status.command)}",
                              style="yellow"))
    else:
        lines.append(Text("time left: none, every planned run finished"))
    table = _runs_table(status, limit, now)
    if table is not None:
        lines.append(table)
    return lines


def _activity(status: ExperimentStatus, now: float) -> str:
    if status.active:
        return "running now"
    if status.active is None and status.counts.get("running"):
        return "running on another host, or not known"
    last = max((r.finished_at for r in status.runs if r.finished_at is not None), default=None)
    return "not running" + (f"; last run ended {duration(now - last)} ago" if last is not None else "")


def _best(best: dict[str, Any] | None) -> str:
    if not best:
        return "none yet (no run completed)"
    who = best["key"] + (f" ({best['label']})" if best.get("label") and best["label"] != best["key"] else "")
    return f"{best.get('metric') or 'value'} {fmt(best['value'])}  {who}"


def _runs_table(status: ExperimentStatus, limit: int, now: float) -> Table | None:
    shown = [r for r in status.runs if r.state not in ("done", "waiting")]
    if not shown or limit == 0:
        return None
    table = Table(header_style="bold", show_edge=False, box=None, pad_edge=False)
    for name in ("run", "state", "for"):
        table.add_column(name, overflow="fold")
    table.add_column("error", style="dim", overflow="fold")
    for run in shown[:limit]:
        state = run.state + (" (owner gone)" if run.state == "stale" else "")
        state += " (unverified)" if run.state == "running" and run.verified is False else ""
        took = run.seconds if run.seconds is not None else None if run.state == "stale" or not run.started_at \
            else now - run.started_at
        error = (run.error or "").splitlines()[0][:160] if run.error else ""
        table.add_row(run.key, Text(state, style=_COLOURS.get(run.state, "")), duration(took) if took else "?", error)
    if len(shown) > limit:
        table.caption = f"and {len(shown) - limit} more (--runs N shows more, --json all)"
    return table


def run_lines(status: RunDirStatus) -> list[RenderableType]:
    """One run directory: its state in words, its final and best values, and what to do next."""
    head = Text("run ", style="bold")
    head.append(status.path)
    if status.name:
        head.append(f"  ({status.name})", style="dim")
    lines: list[RenderableType] = [head, Text(_run_state(status), style=_COLOURS.get(status.status, ""))]
    values = [f"{name} {fmt(value)}" + (f" (best {fmt(status.best[name])})" if status.best.get(name) is not None
                                          else "")
              for name, value in status.final.items() if name != "lr"]
    if values:
        lines.append(Text("final: " + " · ".join(values)))
    if status.best_epoch is not None:
        lines.append(Text(f"best epoch: {status.best_epoch} (by {status.monitor})"))
    if status.wall_time_seconds is not None:
        lines.append(Text(f"wall time: {duration(status.wall_time_seconds)}"))
    if status.error and status.status != "diverged":
        lines.append(Text(f"error: {status.error.splitlines()[0]}", style="red"))
    if status.status in ("interrupted", "stale") and status.checkpoint_epoch is not None:
        lines.append(Text(f"continue with: trainer run --resume {shlex.quote(status.path)}", style="yellow"))
    return lines


def _run_state(status: RunDirStatus) -> str:
    of = f" of {status.epochs}" if status.epochs is not None else ""
    at = f"epoch {status.epoch}{of}" if status.epoch is not None else f"epoch 0{of}"
    checkpoint = f", checkpoint at epoch {status.checkpoint_epoch}" if status.checkpoint_epoch is not None else ""
    if status.status == "running":
        return f"running (pid {status.pid}): {at}"
    if status.status == "completed":
        early = " (early stopping)" if status.stop_reason == "early_stopping" else ""
        return f"completed: {at}{early}"
    if status.status == "interrupted":
        return f"interrupted at {at}{checkpoint}"
    if status.status == "stale":
        return f"stopped without a summary (killed?) after {at}{checkpoint}"
    if status.status == "diverged":
        return f"diverged at {at}" + (f": {status.error.splitlines()[0]}" if status.error else "")
    return f"{status.status} at {at}"
