"""Model-based sweeps (`--search tpe|cmaes|qmc`): Optuna proposes the points, the sweep trains them, in batches.

Only this process asks and tells. Trials are asked in fixed-size batches (`batch`, independent of the
number of workers), the batch's runs (every point times every seed) go to the executor, and the
batch's results are told in trial order before the next batch is asked; the sampler is seeded anew
for each batch from the sweep's `random_seed` and the batch's index. So the same command proposes
the same points on one worker or many. A pruned trial's runs stop early (`pruned`) and keep their
files. `study.json` (see `search_file`) is the resume contract; `study.journal` holds the Optuna study.
"""

from __future__ import annotations

import contextlib
import copy
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UserError
from ..training.atomic import write_bytes
from . import search_file, study
from .base_config import base_mapping, fingerprint, override_text, plain
from .check_points import check_points
from .experiment_dir import ExperimentDir
from .export import export_loggers
from .jobs import Event, ExecutorFactory, Job, Progress, run_jobs
from .plan import point_label
from .plot import IMPORTANCE, SEARCH_HISTORY, importance_bytes, search_history_bytes
from .plot import available as plot_available
from .prune_link import PRUNE_DIR, PruneLink, PruneServer
from .records import Outcome, RunRecord, RunSpec, judged, read_run_dir
from .space import Range
from .tables import point_rows, run_row
from .variants import slug
from .writers import write_csv, write_results

DIRECTIONS = ("minimize", "maximize")
IMPORTANCE_CSV = "importance.csv"
DEFAULT_BATCH = 4


@dataclass(frozen=True)
class SearchSettings:
    """What a model-based sweep searches and how: everything but `trials` must match on a rerun."""

    search: str
    trials: int
    ranges: dict[str, Range]
    choices: dict[str, list[Any]]
    seeds: list[int]
    random_seed: int
    direction: str = "minimize"
    metric: str | None = None  # a metrics.csv column; None: the judged loss (val_loss with a split, else train_loss)
    prune: dict[str, Any] | None = None  # `study.prune_settings`
    prune_every: int = 1
    batch: int = DEFAULT_BATCH

    def space(self) -> dict[str, Any]:
        """The search space as study.json records it."""
        out: dict[str, Any] = {key: {"low": r.low, "high": r.high, "log": r.log, "integer": r.integer}
                               for key, r in self.ranges.items()}
        out.update({key: {"choices": list(values)} for key, values in self.choices.items()})
        return out

    def promises(self) -> dict[str, Any]:
        """The settings study.json records (a rerun with other ones is refused)."""
        return {"search": self.search, "seeds": list(self.seeds), "random_seed": self.random_seed,
                "direction": self.direction, "metric": self.metric, "prune": self.prune,
                "prune_every": self.prune_every, "batch": self.batch}


def check_settings(settings: SearchSettings) -> None:
    """Usage mistakes in the settings, before anything is written."""
    if settings.search not in study.SAMPLERS:
        raise UserError(f"unknown search {settings.search!r}", key="sweep.search",
                        hint=f"choose one of: {', '.join(study.SAMPLERS)}, random, grid")
    for name, value in (("trials", settings.trials), ("batch", settings.batch), ("prune_every", settings.prune_every)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise UserError(f"{name} must be a positive whole number, got {value!r}", key=f"sweep.{name}")
    if settings.direction not in DIRECTIONS:
        raise UserError(f"direction is minimize or maximize, got {settings.direction!r}", key="sweep.direction")
    if not settings.ranges and not settings.choices:
        raise UserError(f"a {settings.search} search needs something to search", key="sweep.ranges",
                        hint="add --range KEY=LOW:HIGH[:log] (or --grid KEY=A,B for a choice)")
    if settings.search == "cmaes" and settings.choices:
        raise UserError("CMA-ES searches ranges only, not choices", key="sweep.grid",
                        hint="use --search tpe for choices, or turn the choice into a --range")


def run_search(cfg: Any, settings: SearchSettings, out: str | Path | None, make_executor: ExecutorFactory, *,
               force: bool = False, retry_failed: bool = False, progress: Progress | None = None) -> Outcome:
    """Continue (or start) the study to `settings.trials` trials in total; its rows (best first) and records."""
    check_settings(settings)
    dists = study.distributions(settings.ranges, settings.choices)  # the missing-extra message comes first
    base = base_mapping(cfg)
    check_points(base, settings.choices, settings.ranges, _where)
    promised = {"config_hash": fingerprint(base, ()), "space": settings.space(), "settings": settings.promises()}
    path = Path(out) if out is not None else Path("runs") / slug(cfg.name) / f"search-{settings.search}"
    notes: list[str] = []
    old = search_file.read(path)
    changed = search_file.changes(old, promised) if old is not None else []
    if changed and not force:
        raise UserError(f"{path} holds a study started differently: {'; '.join(changed)}", key="--out",
                        hint=f"rerun the command that started it, or pass --force to start a new study beside it "
                             f"({search_file.beside(path)})")
    if changed:
        path = search_file.beside(path)
        notes.append(f"--force: a new study in {path} (the old one is kept)")
    with ExperimentDir(path, "sweep", cfg.source).open() as directory:
        old = search_file.read(path)  # again, now that the directory is ours
        data: dict[str, Any] = {"kind": "search", "version": search_file.VERSION, **promised,
                                "budget": settings.trials, "journal": study.JOURNAL,
                                "trials": old["trials"] if old else []}
        data["started"] = old.get("started", search_file.now()) if old else search_file.now()
        driver = _Driver(settings, directory, base, dists, data, progress)
        driver.run(make_executor, retry_failed)
        records, rows = driver.results()
        write_results(directory.path, rows)
        export_loggers(directory.path, cfg.training.loggers)
        notes += driver.pictures()
        search_file.write(directory.path, {**data, "best": driver.best()})
    return Outcome(rows, records, directory.path, notes, ranked=True)


@dataclass
class _Driver:
    """One invocation's work on a study: recover, ask and run the batches, tell, and the results."""

    settings: SearchSettings
    directory: ExperimentDir
    base: dict[str, Any]
    dists: dict[str, Any]
    data: dict[str, Any]
    progress: Progress | None
    pruned: dict[str, bool] = field(default_factory=dict)
    asked: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        s = self.settings
        self.study = study.open_study(self.directory.path, s.direction, study.make_pruner(s.prune),
                                      study.make_sampler(s.search, s.random_seed))
        self.trials: list[dict[str, Any]] = self.data["trials"]

    def save(self) -> None:
        search_file.write(self.directory.path, {**self.data, "best": self.best()})

    def run(self, make_executor: ExecutorFactory, retry_failed: bool) -> None:
        """Every batch that has a trial to (re)run, in order; a trial left running is asked again with its point."""
        study.fail_unfinished(self.study)
        for entry in self.trials:
            if entry["status"] in ("running", "waiting") or (retry_failed and entry["status"] == "failed"):
                entry["status"] = "waiting"
        self.save()
        s = self.settings
        total = s.trials * len(s.seeds)
        done = sum(len(s.seeds) for e in self.trials[:s.trials] if e["status"] != "waiting")
        counter = _Counter(self.progress, done, total)
        counter.start()
        shared = _SharedExecutor(make_executor, total)
        serving = PruneServer(self.directory.path / PRUNE_DIR, self.decide) if s.prune else contextlib.nullcontext()
        try:
            with serving:
                for start in range(0, s.trials, s.batch):
                    todo = [i for i in range(start, min(start + s.batch, s.trials))
                            if i >= len(self.trials) or self.trials[i]["status"] == "waiting"]
                    if todo:
                        self._batch(start // s.batch, todo, shared, counter)
                    failure = getattr(serving, "error", None)
                    if failure is not None:  # the pruner raised: its trials went on unpruned; say so, stop
                        raise failure
        except BaseException:
            study.fail_unfinished(self.study)  # nothing left RUNNING: the next invocation asks these again
            for entry in self.trials:
                if entry["status"] == "running":
                    entry["status"] = "waiting"
            self.save()
            raise
        finally:
            shared.close()

    def _batch(self, index: int, todo: list[int], shared: _SharedExecutor, counter: _Counter) -> None:
        s = self.settings
        self.study.sampler = study.make_sampler(s.search, _batch_seed(s, index))
        for i in todo:
            retry = i < len(self.trials)
            if retry:
                self.study.enqueue_trial(self.trials[i]["params"])  # the same point, asked again
            trial = self.study.ask(self.dists)
            entry = {"trial": i, "number": trial.number, "batch": index,
                     "params": {key: plain(trial.params[key]) for key in self.dists}, "status": "running",
                     "objective": None, "objective_std": None, "values": [], "last_value": None,
                     "pruned_at": None, "error": None, "runs": [], "started": search_file.now(), "ended": None,
                     "asked": (self.trials[i].get("asked", 1) + 1) if retry else 1}
            entry["runs"] = [job.spec.key for job in self.jobs(entry)]
            if retry:
                self.trials[i] = entry
            else:
                self.trials.append(entry)
            self.asked[str(i)] = trial
        self.save()
        jobs = [job for i in todo for job in self.jobs(self.trials[i])]
        records = {r.spec.key: r for r in run_jobs(jobs, self.directory, shared, progress=counter.event)}
        for i in todo:  # told in trial order, all before the next batch is asked
            entry = self.trials[i]
            self._judge(entry, [records[key] for key in entry["runs"]])
            study.tell(self.study, entry["number"], entry["status"], entry["objective"])
        self.save()

    def decide(self, trial: str, primary: bool, epoch: int, value: float) -> bool:
        """The pruner's answer for one report (called by the prune server's thread)."""
        if not primary:
            return self.pruned.get(trial, False)  # a trial's other seeds follow its first seed's fate
        asked = self.asked.get(trial)
        if asked is None or not math.isfinite(value):
            return False
        asked.report(value, epoch)
        prune = bool(asked.should_prune())
        if prune:
            self.pruned[trial] = True
            self.trials[int(trial)]["pruned_at"] = epoch
        return prune

    def jobs(self, entry: dict[str, Any]) -> list[Job]:
        """One job per seed of a trial: the base config, that seed, the trial's point as `--set` overrides."""
        s = self.settings
        values = entry["params"]
        overrides = tuple(override_text(key, value) for key, value in values.items())
        name = f"t{entry['trial']:04d}"
        root = str((self.directory.path / PRUNE_DIR).resolve())
        out = []
        for k, seed in enumerate(s.seeds):
            config = copy.deepcopy(self.base)
            config["seed"] = seed
            key = name + (f"-seed{seed}" if len(s.seeds) > 1 else "")
            spec = RunSpec(key, point_label(values), seed, values, group=name)
            link = PruneLink(root, key, str(entry["trial"]), k == 0, s.metric or "", s.prune_every) if s.prune else None
            out.append(Job(spec, config, overrides, fingerprint(config, overrides), link))
        return out

    def _judge(self, entry: dict[str, Any], records: list[RunRecord]) -> None:
        values = [_objective(r, self.settings.metric) for r in records]
        entry["values"] = [v if math.isfinite(v) else None for v in values]
        entry["ended"] = search_file.now()
        if any(r.status == "pruned" for r in records):
            entry["status"] = "pruned"
            last = [v for v in values if math.isfinite(v)]
            entry["last_value"] = statistics.fmean(last) if last else None
        elif all(r.ok for r in records) and all(math.isfinite(v) for v in values):
            entry["status"] = "completed"
            entry["objective"] = statistics.fmean(values)
            entry["objective_std"] = statistics.stdev(values) if len(values) > 1 else None
        else:
            entry["status"] = "failed"
            entry["error"] = "; ".join(f"{r.spec.key}: {r.error or r.status}" for r in records if not r.ok) or \
                f"no final {self.settings.metric} in the runs' metrics"

    def results(self) -> tuple[list[RunRecord], list[dict[str, Any]]]:
        """Every trial's records (read back from the run directories) and its row, best first."""
        records, rows = [], []
        for entry in self.trials:
            mine = [r for r in (self._record(job) for job in self.jobs(entry)) if r is not None]
            records += mine
            if not mine:
                continue
            row = run_row(mine[0]) if len(mine) == 1 else point_rows(mine)[0]
            rows.append({"trial": entry["trial"], "status": entry["status"], "objective": entry["objective"],
                         "objective_std": entry["objective_std"], "pruned_at": entry["pruned_at"],
                         **{k: v for k, v in row.items() if k != "status"}})
        sign = -1.0 if self.settings.direction == "maximize" else 1.0
        rank = {"completed": 0, "pruned": 1}
        rows.sort(key=lambda r: (rank.get(r["status"], 2),
                                 sign * r["objective"] if r["objective"] is not None else math.inf, r["trial"]))
        return records, rows

    def _record(self, job: Job) -> RunRecord | None:
        entry = self.directory.runs.get(job.spec.key)
        if entry is None:
            return None
        found = read_run_dir(self.directory.run_dir(job.spec.key))
        summary, history = found if found is not None else ({}, [])
        run_dir = str(self.directory.run_dir(job.spec.key)) if found is not None else None
        return RunRecord(job.spec, entry["status"], summary, history, error=entry.get("error"), run_dir=run_dir)

    def best(self) -> dict[str, Any] | None:
        """The best completed trial (its number, objective and point), or None."""
        done = [e for e in self.trials if e["status"] == "completed" and e["objective"] is not None]
        if not done:
            return None
        pick = max if self.settings.direction == "maximize" else min
        top = pick(done, key=lambda e: e["objective"])
        return {"trial": top["trial"], "objective": top["objective"], "params": top["params"]}

    def pictures(self) -> list[str]:
        """search_history.png, importance.csv and importance.png; notes on what could not be drawn."""
        path = self.directory.path
        maximize = self.settings.direction == "maximize"
        history = [{"trial": e["trial"], "status": e["status"],
                    "objective": e["objective"] if e["status"] == "completed" else e["last_value"]}
                   for e in self.trials]
        scores = study.importances(self.study, self.settings.random_seed)
        write_csv(path / IMPORTANCE_CSV, [{"key": k, "importance": v} for k, v in scores.items()])
        if not plot_available():
            return ["plots need matplotlib; study.json and importance.csv hold their data"]
        write_bytes(path / SEARCH_HISTORY, search_history_bytes(history, maximize=maximize,
                                                                title=f"{self.settings.search} search"))
        if scores:
            write_bytes(path / IMPORTANCE, importance_bytes(scores))
        return []


def _objective(record: RunRecord, metric: str | None) -> float:
    """A run's judged value: the final judged loss, or the final value of `metric` (NaN when it has none)."""
    if metric is None:
        value = judged(record) if record.ok else _last_loss(record)
        return value if math.isfinite(value) else math.nan
    value = record.summary.get(f"final_{metric}")
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else math.nan


def _last_loss(record: RunRecord) -> float:
    """The judged loss a pruned run stopped at."""
    for column in ("final_val_loss", "final_train_loss"):
        value = record.summary.get(column)
        if isinstance(value, int | float):
            return float(value)
    return math.nan


def _batch_seed(settings: SearchSettings, index: int) -> int:
    """The sampler's seed for batch `index` (QMC keeps one seed: its sequence goes on across batches)."""
    if settings.search == "qmc":
        return settings.random_seed
    return int(np.random.SeedSequence([settings.random_seed, index]).generate_state(1)[0])


def _where(kind: str, key: str, index: int | None) -> str:
    path = f"sweep.{'grid' if kind == 'grid' else 'ranges'}.{key}"
    return path if index is None else f"{path}.{index}"


class _Counter:
    """Progress over the whole budget, whichever batch a run belongs to."""

    def __init__(self, notify: Progress | None, done: int, total: int) -> None:
        self.notify = notify or (lambda event: None)
        self.done, self.total = done, total

    def start(self) -> None:
        self.notify(Event("start", self.done, self.total))

    def event(self, event: Event) -> None:
        if event.kind != "start":
            self.done += 1
            self.notify(Event(event.kind, self.done, self.total, event.record))


class _SharedExecutor:
    """One executor for every batch: `run_jobs`'s ordinary end-of-batch shutdown keeps it; a real stop does not."""

    def __init__(self, make: ExecutorFactory, size: int) -> None:
        self._make, self._size = make, size
        self._executor: Any = None
        self._closed = False

    def __call__(self, pending: int) -> Any:
        if self._executor is None:
            self._executor = self._make(self._size)
        return _Borrowed(self._executor, self)

    def close(self) -> None:
        if self._executor is not None and not self._closed:
            self._closed = True
            self._executor.shutdown(wait=True)


class _Borrowed:
    def __init__(self, executor: Any, owner: _SharedExecutor) -> None:
        self._executor, self._owner = executor, owner
        self.max_workers = executor.max_workers

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        return self._executor.submit(fn, *args)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures or not wait:  # an interrupt or a lost cluster: the sweep stops
            self._owner._closed = True
            self._executor.shutdown(wait=wait, cancel_futures=cancel_futures)

    def __getattr__(self, name: str) -> Any:  # interrupt, kill, lost: the executor's own, when it has them
        return getattr(self._executor, name)
