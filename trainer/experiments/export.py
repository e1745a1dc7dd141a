"""`trainer export`: the runs already in a run or experiment directory, handed to TensorBoard or MLflow.

A run directory holds config.yaml, metrics.csv and summary.json; an experiment directory (compare,
sweep) holds state.json and its runs under runs/<key>/. A compare or sweep becomes one MLflow
experiment (`<config name>/<directory name>`) with one MLflow run per trainer run, and one
TensorBoard run (with its hparams) per trainer run, so its HParams tab lists them all.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import UserError
from ..training import mlflow_log, tensorboard_log
from ..training.run_files import CONFIG, METRICS, SUMMARY, TENSORBOARD, parse_metrics
from ..training.trackers import require
from .experiment_dir import RUNS, STATE
from .records import parse_summary

TRACKERS = ("tensorboard", "mlflow")


@dataclass(frozen=True)
class StoredRun:
    """One run's files as read back: where it lives, its config, rows, summary and what the experiment said of it."""

    path: Path
    config: dict[str, Any]
    history: list[dict[str, Any]]
    summary: dict[str, Any]
    tags: dict[str, str]


def is_run_dir(path: Path) -> bool:
    return (path / SUMMARY).is_file() and (path / CONFIG).is_file()


def is_experiment_dir(path: Path) -> bool:
    return (path / STATE).is_file() and (path / RUNS).is_dir()


def read_run(path: Path, tags: dict[str, str] | None = None) -> StoredRun:
    """A run directory's config, metrics and summary."""
    try:
        config = yaml.safe_load((path / CONFIG).read_text()) or {}
        summary = parse_summary((path / SUMMARY).read_bytes())
        history = parse_metrics((path / METRICS).read_bytes()) if (path / METRICS).is_file() else []
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(f"cannot read the run in {path}: {exc}", file=str(path)) from None
    return StoredRun(path, config if isinstance(config, dict) else {}, history, summary,
                     {"run": path.name, **(tags or {})})


def experiment_runs(path: Path) -> tuple[str, list[StoredRun]]:
    """(kind, runs) of a compare or sweep directory, in the order its state file lists them."""
    try:
        state = json.loads((path / STATE).read_text())
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read {path / STATE}: {exc}", file=str(path / STATE)) from None
    kind = str(state.get("kind", "experiment"))
    runs = []
    for key, entry in (state.get("runs") or {}).items():
        run_dir = path / RUNS / key
        if is_run_dir(run_dir):
            tags = {"kind": kind, "seed": str(entry.get("seed")), "group": str(entry.get("group") or ""),
                    "label": str(entry.get("label") or key)}
            runs.append(read_run(run_dir, tags))
    return kind, runs


def stored_runs(path: str | Path, key: str = "RUN_OR_EXPERIMENT_DIR") -> tuple[str, list[StoredRun]]:
    """('run', [the run]) or (kind, its runs) for `path`; a UserError when it is neither."""
    path = Path(path)
    if is_run_dir(path):
        return "run", [read_run(path)]
    if is_experiment_dir(path):
        return experiment_runs(path)
    raise UserError(f"{path} is neither a run directory nor a compare/sweep directory", key=key,
                    hint=f"a run directory holds {CONFIG} and {SUMMARY}; an experiment directory holds {STATE}")


def experiment_name(path: Path, kind: str, runs: Sequence[StoredRun]) -> str:
    """A run's config name; `<config name>/<directory>` for a compare or sweep."""
    name = next((str(r.config.get("name")) for r in runs if r.config.get("name")), path.resolve().name)
    return name if kind == "run" else f"{name}/{path.resolve().name}"


def export_tensorboard(path: str | Path, to: str | Path | None = None) -> list[Path]:
    """Event files for every run under `path`: into each run's tb/, or `to` (a run's) / `to/<run>` (an experiment's)."""
    require("tensorboard", key="export")
    kind, runs = stored_runs(path)
    written = []
    for run in runs:
        if to is None:
            logdir = run.path / TENSORBOARD
        else:
            logdir = Path(to) if kind == "run" else Path(to) / run.path.name
        written.append(tensorboard_log.write_run(logdir, run.config, run.history, run.summary))
    return written


def export_mlflow(path: str | Path, to: str | None = None) -> tuple[str, str, list[str]]:
    """(tracking URI, MLflow experiment name, run ids) after sending every run under `path` to MLflow."""
    require("mlflow", key="export")
    path = Path(path)
    kind, runs = stored_runs(path)
    uri = mlflow_log.tracking_uri(path, to)
    client = mlflow_log.client(uri)
    name = experiment_name(path, kind, runs)
    ids = [mlflow_log.export_run(client, name, run.path, run.config, run.history, run.summary,
                                 {"experiment": name, **run.tags}) for run in runs]
    return uri, name, ids


def export_loggers(path: str | Path, loggers: Sequence[str]) -> None:
    """What a compare or sweep does with `training.loggers` once its runs are written: export them all."""
    if "tensorboard" in loggers:
        export_tensorboard(path)
    if "mlflow" in loggers:
        export_mlflow(path)
