"""What one run of an experiment produced: its plan entry, status, summary, per-epoch history, error.

Rows are always built from the run directory's files (summary.json, metrics.csv), whether the run
just finished or was found finished by a rerun, so both give exactly the same numbers.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..training.run_files import METRICS, SUMMARY, parse_metrics


@dataclass(frozen=True)
class RunSpec:
    """One planned run: its directory name, label, group (the compare variant), seed and overrides."""

    key: str
    label: str
    seed: int
    overrides: dict[str, Any]
    group: str = ""


@dataclass
class RunRecord:
    """The outcome of one run, as the tables and plots read it."""

    spec: RunSpec
    status: str
    summary: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    run_dir: str | None = None
    reused: bool = False

    @property
    def ok(self) -> bool:
        """True for a run that trained to the end (completed, including early stopping)."""
        return self.status == "completed"


def parse_summary(data: bytes | str) -> dict[str, Any]:
    """summary.json's object (an empty dict when it is not a JSON object)."""
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def relocated(files: dict[str, bytes], run_dir: Path) -> dict[str, bytes]:
    """The run's files with summary.json's `run_dir` naming where they now live (not the worker's temp dir)."""
    summary = parse_summary(files.get(SUMMARY, b""))
    if "run_dir" not in summary:
        return files
    summary["run_dir"] = str(Path(run_dir).resolve())
    return {**files, SUMMARY: (json.dumps(summary, indent=2, allow_nan=False) + "\n").encode()}


def read_run_dir(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """(summary, history) of a run directory, or None when it holds no readable summary."""
    try:
        summary = parse_summary((path / SUMMARY).read_bytes())
    except OSError:
        return None
    if not summary:
        return None
    try:
        history = parse_metrics((path / METRICS).read_bytes())
    except OSError:
        history = []
    return summary, history


def epochs_to(history: list[dict[str, Any]], column: str, threshold: float) -> int | None:
    """The first epoch whose `column` is at or below `threshold`, or None when it never gets there."""
    for row in history:
        value = row.get(column)
        if isinstance(value, int | float) and math.isfinite(value) and value <= threshold:
            return int(row["epoch"])
    return None


def loss_column(summary: dict[str, Any], history: list[dict[str, Any]]) -> str:
    """The loss a run is judged by: the validation loss when there is one, else the training loss."""
    if summary.get("final_val_loss") is not None or any(r.get("val_loss") is not None for r in history):
        return "val_loss"
    return "train_loss"


def judged(record: RunRecord, select: str = "final") -> float:
    """The number a run is judged by: its judged loss's final (or best) value; +inf when it did not complete."""
    if not record.ok:
        return math.inf
    column = loss_column(record.summary, record.history)
    value = record.summary.get(f"{select}_{column}")
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else math.inf


def time_to(history: list[dict[str, Any]], column: str, target: float) -> tuple[int | float, float]:
    """(epochs, seconds) until `column` first reaches `target` (seconds summed over the epochs); inf when never."""
    seconds = 0.0
    for row in history:
        step = row.get("seconds")
        seconds += float(step) if isinstance(step, int | float) and math.isfinite(step) else 0.0
        value = row.get(column)
        if isinstance(value, int | float) and math.isfinite(value) and value <= target:
            return int(row["epoch"]), seconds
    return math.inf, math.inf


@dataclass
class Outcome:
    """What an experiment produced: its rows (best first), every run's record, and its directory."""

    rows: list[dict[str, Any]]
    records: list[RunRecord]
    directory: Path
    notes: list[str] = field(default_factory=list)  # what the caller should tell the user (a plot not drawn)
    ranked: bool = False  # rows are already one per point, best first (a model-based sweep's trials)
