"""The callback that keeps the run directory current: metrics.csv, checkpoints, model.npz, summary.json."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import atomic, metrics_log, rundir
from .callbacks import Callback, EpochEvent
from .checkpoint import save_checkpoint
from .run_files import BEST_MODEL, LAST_MODEL, MODEL
from .state import TrainState
from .triggers import EveryN


class RunDirWriter(Callback):
    """Writes every file of the run; each write costs what it adds, never the whole history again.

    metrics.csv gets its new rows appended on log epochs (at most once every `min_interval` seconds),
    before every checkpoint, and at the end; checkpoint.npz (no history: metrics.csv holds the rows)
    every `checkpoint_every` epochs, at the end of a run that checkpoints, and always when the run is
    interrupted or fails (from the last whole epoch); model.npz (with best_model.npz or last_model.npz, see
    `training.best`) and summary.json at the end. The final model files and checkpoint share one directory
    fsync, done before summary.json (the file that says they are complete) is written.
    """

    def __init__(self, path: Path, checkpoint_every: int | None, meta: dict[str, Any],
                 min_interval: float = 1.0) -> None:
        self.path = Path(path)
        self.checkpoint_trigger = EveryN(checkpoint_every)
        self.checkpointing = bool(checkpoint_every)
        self.meta = meta
        self.min_interval = min_interval
        self._last_metrics = 0.0
        self._rows = 0  # rows of metrics.csv on disk

    def on_run_start(self, state: TrainState) -> None:
        """metrics.csv: a header for a new run; for a resumed one, back to the checkpoint's rows."""
        metrics_log.reset(self.path / rundir.METRICS, state.columns, state.history)
        self._rows = len(state.history)
        self._last_metrics = time.monotonic()  # the header was just written: the first rows wait min_interval

    def on_epoch_end(self, state: TrainState, event: EpochEvent) -> None:
        if state.status == "diverged":
            return
        if self.checkpoint_trigger(event.epoch, last=False):
            self._metrics(state)  # rows first: a checkpoint never gets ahead of metrics.csv
            self._checkpoint(state)
        elif event.log and time.monotonic() - self._last_metrics >= self.min_interval:
            self._metrics(state)

    def finalize(self, state: TrainState, summary: dict[str, Any]) -> None:
        """Every final file gets its turn even if one fails (a full disk may still take summary.json)."""
        steps: list[Callable[[], Any]] = [self._settle, lambda: self._metrics(state)]
        if state.snapshot is not None:
            steps.append(lambda: self._models(state))
            if state.status in ("interrupted", "failed") or (self.checkpointing and state.status == "completed"):
                steps.append(lambda: self._checkpoint(state))
        with atomic.one_dir_sync(self.path):  # the model files and checkpoint, durable before the summary
            first = _each(steps)
        first = _each([lambda: atomic.write_json(self.path / rundir.SUMMARY, summary)]) or first
        if first is not None:
            raise first

    def _models(self, state: TrainState) -> None:
        """model.npz, and best_model.npz / last_model.npz when they hold other weights (stale ones removed)."""
        files = state.models.files if state.models is not None else {MODEL: state.snapshot.model}
        for name in (MODEL, BEST_MODEL, LAST_MODEL):
            if name in files:
                atomic.write_npz(self.path / name, files[name])
            else:
                (self.path / name).unlink(missing_ok=True)

    def _settle(self) -> None:
        """Count the rows really on disk: an interrupt may have struck between an append and its bookkeeping."""
        self._rows = metrics_log.settle(self.path / rundir.METRICS)

    def _checkpoint(self, state: TrainState) -> None:
        if self._rows < state.snapshot.epoch:
            self._metrics(state)
        save_checkpoint(self.path / rundir.CHECKPOINT, state.snapshot, self.meta, history=False)

    def _metrics(self, state: TrainState) -> None:
        path, rows = self.path / rundir.METRICS, state.history
        if len(rows) < self._rows or not path.is_file():
            rundir.write_metrics(self.path, state.columns, rows)  # history rolled back: rewrite (rare)
        else:
            metrics_log.append_rows(path, state.columns, rows[self._rows:])
        self._rows = len(rows)
        self._last_metrics = time.monotonic()


def _each(steps: list[Callable[[], Any]]) -> OSError | None:
    """Run every step even if one fails; the first OSError."""
    first: OSError | None = None
    for step in steps:
        try:
            step()
        except OSError as exc:
            first = first or exc
    return first
