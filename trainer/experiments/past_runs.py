"""`trainer runs`: the runs and experiments found under a directory, newest first. Reads files, never writes.

A run is a folder holding summary.json and config.yaml; a compare or sweep is a folder holding
state.json (its own runs, under runs/, count towards its row, not as rows of their own). A run's
date is when its summary.json was last written (the end of its training).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import yaml

from ..errors import UserError
from ..training.run_files import CONFIG, SUMMARY
from .experiment_dir import RUNS, STATE
from .records import loss_column, parse_summary
from .show import RESULTS

DEFAULT_ROOT = "runs"  # where `trainer run`, compare and sweep write when not given --out


def past_runs(root: str | Path = DEFAULT_ROOT, limit: int | None = None) -> list[dict[str, Any]]:
    """One row per run or experiment under `root`: name, date, status, loss, metric, path; newest first."""
    root = Path(root)
    if not root.exists():
        return []
    if not root.is_dir():
        raise UserError(f"{root} is not a directory", key="DIR")
    rows = []
    for folder, subdirs, files in os.walk(root):
        here = Path(folder)
        if STATE in files:
            rows.append(_experiment_row(here))
            subdirs[:] = [d for d in subdirs if d != RUNS]
        elif SUMMARY in files and CONFIG in files:
            rows.append(_run_row(here))
            subdirs[:] = []
        subdirs.sort()
    rows = [row for row in rows if row is not None]
    rows.sort(key=lambda row: (row["mtime"], row["path"]), reverse=True)
    for row in rows:
        del row["mtime"]
    return rows[:limit] if limit is not None else rows


def _date(mtime: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(mtime))


def _run_row(path: Path) -> dict[str, Any] | None:
    try:
        mtime = (path / SUMMARY).stat().st_mtime
        summary = parse_summary((path / SUMMARY).read_bytes())
        config = yaml.safe_load((path / CONFIG).read_text()) or {}
    except (OSError, yaml.YAMLError):
        return None
    config = config if isinstance(config, dict) else {}
    loss = loss_column(summary, [])
    metrics = (config.get("training") or {}).get("metrics") or []
    metric = next((c for m in metrics for c in (f"val_{m}", f"train_{m}", m) if f"final_{c}" in summary), None)
    return {"kind": "run", "name": summary.get("name") or config.get("name"), "date": _date(mtime), "mtime": mtime,
            "status": summary.get("status"), "epochs": summary.get("epochs_run"), "loss_column": loss,
            "loss": summary.get(f"final_{loss}"), "metric_column": metric,
            "metric": summary.get(f"final_{metric}") if metric else None, "path": str(path)}


def _experiment_row(path: Path) -> dict[str, Any] | None:
    try:
        mtime = (path / STATE).stat().st_mtime
        state = json.loads((path / STATE).read_text())
        rows = json.loads((path / RESULTS).read_text()) if (path / RESULTS).is_file() else []
    except (OSError, ValueError):
        return None
    runs = state.get("runs") if isinstance(state, dict) and isinstance(state.get("runs"), dict) else {}
    statuses = [str(entry.get("status")) for entry in runs.values() if isinstance(entry, dict)]
    done = statuses.count("completed")
    best = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}
    loss = best.get("loss_column") or "train_loss"
    metric = next((k[len("final_"):] for k in best if k.startswith("final_") and not k.endswith(("loss", "_lr"))
                   and not k.endswith("_std")), None)
    name = next((n for n in map(_config_name, (path / RUNS / key for key in runs)) if n), path.parent.name)
    return {"kind": str(state.get("kind", "experiment")), "name": name, "date": _date(mtime), "mtime": mtime,
            "status": "completed" if statuses and done == len(statuses) else f"{done}/{len(statuses)} completed",
            "epochs": None, "loss_column": loss, "loss": best.get(f"final_{loss}"), "metric_column": metric,
            "metric": best.get(f"final_{metric}") if metric else None, "path": str(path)}


def _config_name(run_dir: Path) -> str | None:
    """The `name:` in a run's config.yaml (None when it cannot be read)."""
    try:
        config = yaml.safe_load((run_dir / CONFIG).read_text())
    except (OSError, yaml.YAMLError):
        return None
    return str(config["name"]) if isinstance(config, dict) and config.get("name") else None
