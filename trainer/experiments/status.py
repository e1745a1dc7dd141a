"""`trainer status DIR`: a compare's, sweep's or benchmark's progress, or one run's state, read without touching DIR.

Nothing here takes a lock or writes a file: it reads state.json (written atomically, so it is the old
or the new one, never half), the runs' summary.json files, and asks /proc whether owners still live.
So it works while the experiment runs in another process and on a directory copied from elsewhere.
A run marked in flight whose owner process is gone is `stale`; one owned on another host is
`running` with `verified` false (it cannot be checked from here).
"""

from __future__ import annotations

import json
import math
import socket
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import UserError
from ..training.checkpoint import checkpoint_epoch
from ..training.run_files import CHECKPOINT, CONFIG, METRICS, RUN_FILES, SUMMARY, parse_metrics
from .experiment_dir import EXPERIMENT, LOCK, RUNS, STATE
from .owner import flock_holders, owner_alive
from .records import loss_column, parse_summary

COUNTS = ("done", "running", "stale", "failed", "diverged", "pruned", "interrupted", "cancelled", "waiting")
FINISHED = ("done", "failed", "diverged", "pruned", "cancelled")  # not run again by this invocation
SEARCH_FACTS = ("search", "trials", "direction", "metric", "prune")
_HINT = "pass a directory made by trainer compare, sweep or benchmark (it holds state.json) or by trainer run"


@dataclass
class RunState:
    """One run of an experiment as status sees it."""

    key: str
    state: str
    label: str | None = None
    group: str | None = None
    seed: int | None = None
    started_at: float | None = None
    finished_at: float | None = None
    seconds: float | None = None
    value: float | None = None
    metric: str | None = None
    verified: bool | None = None
    error: str | None = None


@dataclass
class ExperimentStatus:
    """A compare's, sweep's or benchmark's progress: counts, best so far, time spent and left, how it started."""

    path: str
    kind: str
    total: int
    counts: dict[str, int]
    active: bool | None
    best: dict[str, Any] | None
    best_per_problem: dict[str, dict[str, Any]] | None
    first_started_at: float | None
    elapsed_seconds: float | None
    run_seconds: float
    mean_run_seconds: float | None
    remaining: int
    workers: int | None
    time_left_seconds: float | None
    command: list[str] | None
    config: str | None
    search: dict[str, Any]
    not_planned: int
    runs: list[RunState] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able mapping (what `trainer status --json` prints)."""
        return _finite({"type": "experiment", **asdict(self)})


@dataclass
class RunDirStatus:
    """One run directory's state: from summary.json, its checkpoint and metrics.csv, and whether it trains now."""

    path: str
    status: str
    epoch: int | None
    epochs: int | None
    checkpoint_epoch: int | None
    name: str | None
    monitor: str | None
    final: dict[str, Any]
    best: dict[str, Any]
    best_epoch: int | None
    wall_time_seconds: float | None
    stop_reason: str | None
    error: str | None
    pid: int | None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able mapping (what `trainer status --json` prints)."""
        return _finite({"type": "run", **asdict(self)})


def read_status(path: str | Path, now: float | None = None) -> ExperimentStatus | RunDirStatus:
    """The status of experiment or run directory `path`; anything else is a UserError (exit 2)."""
    path = Path(path)
    if not path.is_dir():
        what = "no such directory" if not path.exists() else "not a directory"
        raise UserError(what, file=str(path), hint=_HINT)
    now = time.time() if now is None else now
    if (path / STATE).is_file() or ((path / RUNS).is_dir() and (path / LOCK).exists()):
        return experiment_status(path, now)
    if any((path / name).is_file() for name in RUN_FILES):
        return run_dir_status(path)
    raise UserError("neither an experiment directory nor a run directory", file=str(path), hint=_HINT)


def experiment_status(path: Path, now: float) -> ExperimentStatus:
    """Read state.json (and the finished runs' summaries) into an ExperimentStatus."""
    data = _state(path)
    facts = data.get(EXPERIMENT) if isinstance(data.get(EXPERIMENT), dict) else {}
    entries = {k: v for k, v in data.get("runs", {}).items() if isinstance(v, dict)} \
        if isinstance(data.get("runs"), dict) else {}
    planned = facts.get("planned") if isinstance(facts.get("planned"), dict) else {}
    keys = list(planned) or list(entries)
    search = _search_facts(data)
    direction = -1.0 if str(search.get("direction", "minimize")).lower().startswith("max") else 1.0
    runs = [_run_state(path, key, entries.get(key, {}), planned.get(key), search.get("metric")) for key in keys]
    expected = facts.get("expected") if isinstance(facts.get("expected"), int) else 0
    budget = search.get("trials")
    if isinstance(budget, int) and not isinstance(budget, bool):
        expected = max(expected, budget)  # a search asks its trials as it goes: at least the budget is to come
    total = max(len(runs), expected)
    counts = dict.fromkeys(COUNTS, 0)
    for run in runs:
        counts[run.state] = counts.get(run.state, 0) + 1
    counts["waiting"] += total - len(runs)
    durations = [r.seconds for r in runs if r.state in FINISHED and r.seconds is not None]
    starts = [r.started_at for r in runs if r.started_at is not None]
    active = False if facts.get("closed_at") is not None else owner_alive(facts["owner"]) if facts.get("owner") \
        else None
    # a stopped experiment's last sign of life: the latest time it recorded (a run finishing or starting)
    ends = [t for r in runs for t in (r.finished_at, r.started_at) if t is not None]
    end = now if active or counts["running"] else max(ends, default=None)
    first = min(starts, default=None)
    remaining = total - sum(counts[s] for s in FINISHED)
    mean = sum(durations) / len(durations) if durations else None
    workers = facts.get("workers") if isinstance(facts.get("workers"), int) and facts["workers"] > 0 else None
    left = 0.0 if remaining == 0 else mean * remaining / (workers or 1) if mean is not None else None
    kind = str(data.get("kind") or "experiment")
    return ExperimentStatus(
        path=str(path), kind=kind, total=total, counts=counts, active=active,
        best=_best(runs, direction) if kind != "benchmark" else None,  # losses of different problems don't compare
        best_per_problem=_best_per_problem(runs, direction) if kind == "benchmark" else None,
        first_started_at=first, elapsed_seconds=end - first if first is not None and end is not None else None,
        run_seconds=sum(durations, 0.0), mean_run_seconds=mean, remaining=remaining, workers=workers,
        time_left_seconds=left, command=facts.get("command") if isinstance(facts.get("command"), list) else None,
        config=facts.get("config") if isinstance(facts.get("config"), str) else None, search=search,
        not_planned=len(set(entries) - set(keys)), runs=runs)


def _state(path: Path) -> dict[str, Any]:
    """state.json's object ({} when it does not exist yet); a damaged one is a UserError naming it."""
    file = path / STATE
    try:
        text = file.read_text()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UserError(f"cannot read {file}: {exc.strerror}", file=str(file)) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UserError(f"state.json is not valid JSON: {exc}", file=str(file),
                        hint="it was damaged outside trainer (trainer writes it atomically)") from None
    if not isinstance(data, dict):
        raise UserError("state.json does not hold an object", file=str(file), hint=_HINT)
    return data


def _search_facts(data: dict[str, Any]) -> dict[str, Any]:
    """What a search sweep recorded about itself (budget, direction, judged metric, ...), wherever it put them."""
    found: dict[str, Any] = {}
    for source in (data, *(v for v in data.values() if isinstance(v, dict) and v is not data.get("runs"))):
        for key in SEARCH_FACTS:
            value = source.get(key)
            if key not in found and isinstance(value, str | int | float | bool | dict | list) and value is not None:
                found[key] = value
    return found


def _run_state(root: Path, key: str, entry: dict[str, Any], fingerprint: str | None, metric: Any) -> RunState:
    """One planned run: what its state entry says, checked against its owner's liveness and fingerprint."""
    marker = entry.get("running") if isinstance(entry.get("running"), dict) else None
    status = entry.get("status")
    run = RunState(key, "waiting", label=_text(entry.get("label")), group=_text(entry.get("group")),
                   seed=entry.get("seed") if isinstance(entry.get("seed"), int) else None,
                   error=_text(entry.get("error")))
    if marker is not None or status == "running":
        note = (marker or {}).get("owner", entry.get("owner"))
        alive = owner_alive(note)
        run.state = "stale" if alive is False else "running"
        run.verified = alive is not None
        run.started_at = _number((marker or {}).get("since", entry.get("started_at")))
        return run
    run.started_at, run.finished_at = _number(entry.get("started_at")), _number(entry.get("finished_at"))
    if run.started_at is not None and run.finished_at is not None:
        run.seconds = max(0.0, run.finished_at - run.started_at)
    if not isinstance(status, str) or (fingerprint is not None and entry.get("fingerprint") not in (None, fingerprint)):
        return run  # never run, or run with another config: it runs (again) when the experiment goes on
    run.state = {"completed": "done"}.get(status, status)
    summary = _summary(root / RUNS / key) if run.state in ("done", "pruned") else {}
    if run.seconds is None and isinstance(summary.get("wall_time_seconds"), int | float):
        run.seconds = float(summary["wall_time_seconds"])
    if run.state == "done":
        run.metric, run.value = _judged(entry, summary, metric)
    return run


def _summary(run_dir: Path) -> dict[str, Any]:
    try:
        return parse_summary((run_dir / SUMMARY).read_bytes())
    except OSError:  # not written yet, or being replaced this very moment
        return {}


def _judged(entry: dict[str, Any], summary: dict[str, Any], metric: Any) -> tuple[str | None, float | None]:
    """(name, value) a run is judged by: the recorded objective, else the metric's (or judged loss's) final value."""
    name = str(metric) if isinstance(metric, str) and metric else None
    for field_name in ("objective", "value"):
        if _number(entry.get(field_name)) is not None:
            return name or field_name, _number(entry[field_name])
    if not summary:
        return name, None
    name = name or loss_column(summary, [])
    return name, _number(summary.get(name if name.startswith(("final_", "best_")) else f"final_{name}"))


def _best(runs: list[RunState], direction: float) -> dict[str, Any] | None:
    scored = [r for r in runs if r.value is not None]
    if not scored:
        return None
    best = min(scored, key=lambda r: direction * r.value)
    return {"key": best.key, "label": best.label, "seed": best.seed, "metric": best.metric, "value": best.value}


def _best_per_problem(runs: list[RunState], direction: float) -> dict[str, dict[str, Any]]:
    """A benchmark's best run of each problem (its runs' keys start with `<problem>--`)."""
    problems: dict[str, list[RunState]] = {}
    for run in runs:
        problems.setdefault(run.key.split("--", 1)[0], []).append(run)
    return {name: best for name, group in problems.items() if (best := _best(group, direction)) is not None}


def run_dir_status(path: Path) -> RunDirStatus:
    """One run directory: its summary's status, or `running` while its owner holds it, else `stale`."""
    summary = _summary(path)
    history = _history(path)
    epoch = next((row["epoch"] for row in reversed(history) if isinstance(row.get("epoch"), int)), None)
    config = _config(path)
    training = config.get("training") if isinstance(config.get("training"), dict) else {}
    pid = _training_pid(path)
    status = "running" if pid is not None else summary.get("status") if isinstance(summary.get("status"), str) \
        else "stale"
    if status != "running" and isinstance(summary.get("epochs_run"), int):
        epoch = summary["epochs_run"]
    epochs = summary.get("epochs") if isinstance(summary.get("epochs"), int) and status != "running" else None
    epochs = epochs if epochs is not None else training.get("epochs") if isinstance(training.get("epochs"), int) \
        else None
    final = {k[len("final_"):]: v for k, v in summary.items() if k.startswith("final_")}
    best = {k[len("best_"):]: v for k, v in summary.items()
            if k.startswith("best_") and not k.endswith("_epoch") and k != "best_epoch"}
    return RunDirStatus(
        path=str(path), status=status, epoch=epoch, epochs=epochs, checkpoint_epoch=checkpoint_epoch(path / CHECKPOINT),
        name=_text(config.get("name")), monitor=_text(summary.get("monitor")), final=final, best=best,
        best_epoch=summary.get("best_epoch") if isinstance(summary.get("best_epoch"), int) else None,
        wall_time_seconds=_number(summary.get("wall_time_seconds")), stop_reason=_text(summary.get("stop_reason")),
        error=_text(summary.get("error")), pid=pid)


def _history(path: Path) -> list[dict[str, Any]]:
    try:
        return parse_metrics((path / METRICS).read_bytes())
    except (OSError, UnicodeDecodeError, ValueError):
        return []


def _config(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load((path / CONFIG).read_text())
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _training_pid(path: Path) -> int | None:
    """The pid of the `trainer run` holding `path` now (its lock, from /proc/locks), else None.

    Where /proc/locks cannot be read, the pid in `.lock` counts when that process lives on this host
    (`.lock` is removed when a run ends, so one left behind names a process that was killed).
    """
    holders = flock_holders(path)
    if holders is not None:
        return min(holders) if holders else None
    try:
        text = (path / ".lock").read_text().strip()
    except OSError:
        return None
    if not text.isdigit():
        return None
    return int(text) if owner_alive({"pid": int(text), "host": socket.gethostname()}) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
