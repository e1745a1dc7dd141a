"""`trainer show`: what a run or an experiment directory holds, gathered as plain data for the CLI to render.

A run: its summary, its config's differences from the defaults, its curves (written to curves.png)
and the per-epoch values of each metrics column. An experiment (compare, sweep, benchmark): the rows
its command printed at the end, read back from the results.json it wrote.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..config import load_config
from ..config.diff import changed_keys
from ..errors import UserError
from .benchmark import SUMMARY_MD
from .experiment_dir import STATE
from .export import is_experiment_dir, is_run_dir, read_run
from .plot import RUN_CURVES, run_curves_bytes, write_png
from .plot import available as plot_available

RESULTS = "results.json"
_NOT_METRICS = ("epoch", "seconds")


def show(path: str | Path, *, plot: bool = True) -> dict[str, Any]:
    """`{"kind": "run", ...}` or `{"kind": "compare"|"sweep"|"benchmark", "rows": [...]}` for `path`."""
    path = Path(path)
    if is_run_dir(path):
        return show_run(path, plot=plot)
    if is_experiment_dir(path) or (path / RESULTS).is_file() or (path / SUMMARY_MD).is_file():
        return show_experiment(path)
    raise UserError(f"{path} holds neither a run nor an experiment", key="RUN_DIR|EXPERIMENT_DIR",
                    hint="give a run directory (with summary.json) or a compare/sweep directory (with state.json)")


def show_run(path: Path, *, plot: bool = True) -> dict[str, Any]:
    """A run's summary, config diff, curves (per column, epoch order) and the curves.png path (None if not drawn)."""
    run = read_run(path)
    try:
        diff: list[dict[str, Any]] | None = changed_keys(load_config(path / "config.yaml"))
        note = None
    except UserError as exc:  # e.g. a plugin's type that is not loaded now
        diff, note = None, f"config diff unavailable: {exc.message}"
    columns = [c for c in (run.history[0] if run.history else {}) if c not in _NOT_METRICS]
    curves = {c: [row.get(c) for row in run.history] for c in columns}
    png = None
    if plot and plot_available() and run.history:
        try:
            png = str(write_png(path / RUN_CURVES, run_curves_bytes(run.history, title=str(run.config.get("name")))))
        except OSError as exc:
            note = f"curves.png not written: {exc.strerror}"
    return {"kind": "run", "path": str(path), "name": run.config.get("name"), "summary": run.summary,
            "config_diff": diff, "curves": curves, "plot": png, "note": note}


def show_experiment(path: Path) -> dict[str, Any]:
    """An experiment's kind and result rows (best first, as its command printed them)."""
    kind, keys = "benchmark", []
    try:
        if (path / STATE).is_file():
            state = json.loads((path / STATE).read_text())
            kind = str(state.get("kind", "experiment"))
            runs = [e for e in (state.get("runs") or {}).values() if isinstance(e, dict)]
            keys = list(dict.fromkeys(k for e in runs for k in (e.get("overrides") or {})))
        rows = json.loads((path / RESULTS).read_text()) if (path / RESULTS).is_file() else []
        markdown = (path / SUMMARY_MD).read_text() if (path / SUMMARY_MD).is_file() else None
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read the results in {path}: {exc}", file=str(path / RESULTS)) from None
    if not isinstance(rows, list):
        rows = []
    return {"kind": kind, "path": str(path), "rows": rows, "override_keys": keys if kind == "sweep" else [],
            "markdown": markdown}
