"""Run a planned batch of jobs through an executor, skipping finished ones, recording every outcome.

This is the part compare and sweep share: resume (finished runs are reused, the rest run), the
run directories written on this machine, one failure never stopping the others (unless
`fail_fast`), and progress reported through a callback (the core never prints).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config.plugins import PluginSource, loaded_plugins
from ..errors import ExperimentStopped, Interrupted
from ..training.run_files import METRICS, SUMMARY, parse_metrics
from .executors import Executor
from .experiment_dir import ExperimentDir
from .records import RunRecord, RunSpec, parse_summary, relocated
from .worker import execute


@dataclass(frozen=True)
class Job:
    """A planned run: its spec, the config mapping it trains, `--set`-style overrides, and a fingerprint."""

    spec: RunSpec
    config: dict[str, Any]
    overrides: tuple[str, ...]
    fingerprint: str
    link: Any = None  # a `prune_link.PruneLink` when the run reports to a pruner


@dataclass(frozen=True)
class Event:
    """Progress of an experiment: `start`, then `reused` or `finished` once per run, `cancelled` for the rest;
    `submitted` when runs were handed to the executor. `running` is how many runs are in flight."""

    kind: str
    done: int
    total: int
    record: RunRecord | None = None
    running: int = 0


Progress = Callable[[Event], None]
_CANCELLED = "not run: the experiment stopped at the first failure"
ExecutorFactory = Callable[[int], Executor]
_POLL = 0.2  # seconds between checks for a signal or a lost cluster while runs are in flight
_GRACE = 10.0  # seconds the runs in flight get to save their checkpoints after an interrupt
_RESEND = 0.5  # seconds between SIGTERMs to workers that have not stopped yet


def run_jobs(jobs: list[Job], directory: ExperimentDir, make_executor: ExecutorFactory, *,
             fail_fast: bool = False, progress: Progress | None = None) -> list[RunRecord]:
    """Every job's record, in plan order: finished runs reused, the others run by the executor."""
    notify = progress or (lambda event: None)
    records: dict[str, RunRecord] = {}
    pending: list[Job] = []
    for job in jobs:
        found = directory.finished(job.spec.key, job.fingerprint)
        if found is None:
            pending.append(job)
        else:
            summary, history = found
            records[job.spec.key] = RunRecord(job.spec, summary.get("status", "completed"), summary, history,
                                              run_dir=str(directory.run_dir(job.spec.key)), reused=True)
    total = len(jobs)
    plugins = loaded_plugins() if pending else ()  # every worker imports the same plugins before its run
    executor = make_executor(len(pending)) if pending else None  # a bad cluster address fails before any output
    try:
        directory.plan({job.spec.key: job.fingerprint for job in jobs}, getattr(executor, "max_workers", None))
        notify(Event("start", len(records), total))
        for done, record in enumerate(records.values(), start=1):
            notify(Event("reused", done, total, record))
    except BaseException:
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        raise
    if executor is not None:
        _run_pending(pending, directory, executor, records, fail_fast, notify, total, plugins)
    return [records[job.spec.key] for job in jobs]


def _run_pending(pending: list[Job], directory: ExperimentDir, executor: Executor, records: dict[str, RunRecord],
                 fail_fast: bool, notify: Progress, total: int, plugins: tuple[PluginSource, ...] = ()) -> None:
    """Keep `executor.max_workers` runs in flight; submit the next only after a run's outcome is recorded.

    So after the first failure under `fail_fast` no new run starts: the ones in flight finish and
    are recorded, the rest are `cancelled`. On SIGINT/SIGTERM (or KeyboardInterrupt) the runs in
    flight are asked to stop, their checkpoints are recorded as `interrupted`, and `Interrupted` is
    raised; if the executor loses its cluster, `ExperimentStopped` is raised after recording what finished.
    """
    queue = list(reversed(pending))
    window = max(1, getattr(executor, "max_workers", len(pending)))
    futures: dict[Future, Job] = {}
    with _StopOnSignal() as stop:
        try:
            while (queue or futures) and not stop.requested:
                submitted = False
                while queue and len(futures) < window:
                    _submit(queue.pop(), directory, executor, futures, plugins)
                    submitted = True
                directory.flush()  # the in-flight marks, once for the batch
                if submitted:
                    notify(Event("submitted", len(records), total, running=len(futures)))
                finished, _ = wait(futures, timeout=_POLL, return_when=FIRST_COMPLETED)
                lost = _lost(executor)
                done = [future for future in finished if not (lost and _cancelled(future))]
                if not fail_fast and not lost and not stop.requested and queue:
                    # the next runs start before these outcomes are recorded: a free worker waits for no bookkeeping
                    while queue and len(futures) - len(done) < window:
                        _submit(queue.pop(), directory, executor, futures, plugins)
                    notify(Event("submitted", len(records), total, running=len(futures) - len(done)))
                for future in done:
                    record = _outcome(futures[future], future, directory)
                    job = futures.pop(future)
                    records[job.spec.key] = record
                    notify(Event("finished", len(records), total, record, running=len(futures)))
                    if fail_fast and not record.ok and queue:
                        for job in reversed(queue):
                            records[job.spec.key] = RunRecord(job.spec, "cancelled", error=_CANCELLED)
                            notify(Event("cancelled", len(records), total, records[job.spec.key],
                                         running=len(futures)))
                        queue.clear()
                directory.flush()  # marks of runs submitted early, if no outcome was recorded (and saved) since
                if lost:
                    executor.shutdown(wait=False, cancel_futures=True)
                    raise ExperimentStopped(f"{lost}; the runs that finished are recorded: run the same command "
                                            "again against a live cluster to finish the rest")
        except KeyboardInterrupt:
            stop.requested = True
        except ExperimentStopped:
            raise
        except BaseException:
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        if stop.requested:
            saved = _save_in_flight(futures, directory, executor, records, notify, total)
            raise Interrupted(f"{saved} of the runs in progress saved a checkpoint; "
                              "run the same command again to resume them (finished runs are kept)")
    executor.shutdown(wait=True)


def _submit(job: Job, directory: ExperimentDir, executor: Executor, futures: dict[Future, Job],
            plugins: tuple[PluginSource, ...]) -> None:
    """Mark `job` in flight (written with the state's next save) and hand it to the executor."""
    directory.start(job.spec.key, save=False)
    stage = str(directory.run_dir(job.spec.key)) if getattr(executor, "local_disk", False) else None
    futures[executor.submit(execute, job.config, job.overrides, directory.resumable(
        job.spec.key, job.fingerprint), plugins, job.link, stage)] = job


def _lost(executor: Executor) -> str | None:
    """What happened when the executor's cluster is gone (its outstanding runs cannot finish), else None."""
    lost = getattr(executor, "lost", None)
    return lost() if lost is not None else None


def _cancelled(future: Future) -> bool:
    if future.cancelled():
        return True
    try:
        return isinstance(future.exception(timeout=0), CancelledError)
    except CancelledError:
        return True


def _save_in_flight(futures: dict[Future, Job], directory: ExperimentDir, executor: Executor,
                    records: dict[str, RunRecord], notify: Progress, total: int) -> int:
    """Ask the runs in flight to stop, record each as it returns (within `_GRACE` seconds); how many saved work."""
    interrupt = getattr(executor, "interrupt", None)
    deadline = time.monotonic() + (_GRACE if interrupt is not None else 0.0)
    saved = 0
    while futures and time.monotonic() < deadline:
        interrupt()  # again each round: a run that was just starting installs its handler a moment later
        finished, _ = wait(futures, timeout=_RESEND, return_when=FIRST_COMPLETED)
        for future in finished:
            job = futures.pop(future)
            if _cancelled(future) or future.exception() is not None:  # its worker died or never started it
                _remember(directory, job, "interrupted", "interrupted before it saved a checkpoint", None)
                continue
            record = records[job.spec.key] = _outcome(job, future, directory)
            notify(Event("finished", len(records), total, record, running=len(futures)))
            saved += record.status == "interrupted" and record.run_dir is not None
    for job in futures.values():
        _remember(directory, job, "interrupted", "interrupted before it saved a checkpoint", None)
    kill = getattr(executor, "kill", None)
    if kill is not None and futures:
        kill()  # before shutting down: a pool that is shut down forgets its worker processes
    # A local pool is shut down waiting (its workers have returned or were killed just now): a pool
    # still tearing down in the background as the interpreter exits can print a traceback.
    executor.shutdown(wait=kill is not None, cancel_futures=True)
    return saved


class _StopOnSignal:
    """While active (in the main thread), SIGINT and SIGTERM only set `requested`: the loop stops cleanly."""

    def __init__(self) -> None:
        self.requested = False
        self._saved: dict[int, Any] = {}

    def __enter__(self) -> _StopOnSignal:
        if threading.current_thread() is threading.main_thread():
            for name in ("SIGINT", "SIGTERM"):
                sig = getattr(signal, name, None)
                if sig is not None:
                    self._saved[sig] = signal.signal(sig, self._note)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._saved.items():
            signal.signal(sig, handler)
        self._saved.clear()

    def _note(self, signum: int, frame: Any) -> None:
        self.requested = True


def _outcome(job: Job, future: Future, directory: ExperimentDir) -> RunRecord:
    """Turn a finished (or cancelled) future into a record, writing the run's files and the state."""
    spec = job.spec
    if future.cancelled():
        return RunRecord(spec, "cancelled", error=_CANCELLED)
    try:
        out = future.result()
    except CancelledError:
        return RunRecord(spec, "cancelled", error=_CANCELLED)
    except Exception as exc:  # noqa: BLE001 - a worker that died is this run's failure, not the experiment's
        out = {"status": "failed", "error": f"{type(exc).__name__}: {exc}", "files": {}}
    if out.get("staged"):  # written by the worker beside its place: moved, not copied
        run_dir = str(directory.adopt(spec.key, out["staged"]))
        files = {name: (Path(run_dir) / name).read_bytes() for name in (SUMMARY, METRICS)
                 if (Path(run_dir) / name).is_file()}
    else:
        files = relocated(out.get("files") or {}, directory.run_dir(spec.key))
        run_dir = str(directory.store_files(spec.key, files)) if files else None
    if run_dir is None and out["status"] != "interrupted":  # an interrupted resume keeps its earlier checkpoint
        directory.forget_files(spec.key)
    summary = parse_summary(files.get(SUMMARY, b""))
    history = parse_metrics(files.get(METRICS, b"")) if METRICS in files else []
    status = out["status"]
    if status == "completed" and summary.get("status") not in (None, "completed"):
        status = summary["status"]
    error = out.get("error") or summary.get("error") or _diverged_text(summary)
    _remember(directory, job, status, error, out.get("traceback"))
    return RunRecord(spec, status, summary, history, error=error if status != "completed" else None, run_dir=run_dir)


def _remember(directory: ExperimentDir, job: Job, status: str, error: str | None, trace: str | None) -> None:
    spec = job.spec
    directory.record(spec.key, {"status": status, "error": error, "fingerprint": job.fingerprint,
                                "label": spec.label, "group": spec.group, "seed": spec.seed,
                                "overrides": spec.overrides, "traceback": trace})


def _diverged_text(summary: dict[str, Any]) -> str | None:
    if summary.get("status") == "diverged":
        return f"training diverged at epoch {summary.get('diverged_epoch')}"
    return None
