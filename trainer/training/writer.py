"""The callback that keeps the run directory current: metrics.csv, checkpoints, model.npz, summary.json."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from . import atomic, rundir
from .callbacks import Callback, EpochEvent
from .checkpoint import save_checkpoint
from .state import TrainState
from .triggers import EveryN


class RunDirWriter(Callback):
    """Writes every file of the run atomically.

    metrics.csv is rewritten on log epochs (at most once every `min_interval` seconds), with every
    checkpoint, and at the end; checkpoint.npz every `checkpoint_every` epochs, at the end of a run
    that checkpoints, and always when the run is interrupted or fails (from the last whole epoch);
    model.npz and summary.json at the end.
    """

    def __init__(self, path: Path, checkpoint_every: int | None, meta: dict[str, Any],
                 min_interval: float = 1.0) -> None:
        self.path = Path(path)
        self.checkpoint_trigger = EveryN(checkpoint_every)
        self.checkpointing = bool(checkpoint_every)
        self.meta = meta
        self.min_interval = min_interval
        self._last_metrics = 0.0

    def on_epoch_end(self, state: TrainState, event: EpochEvent) -> None:
        if state.status == "diverged":
            return
        if self.checkpoint_trigger(event.epoch, last=False):
            self._checkpoint(state)
            self._metrics(state)
        elif event.log and time.monotonic() - self._last_metrics >= self.min_interval:
            self._metrics(state)

    def finalize(self, state: TrainState, summary: dict[str, Any]) -> None:
        self._metrics(state)
        if state.snapshot is not None:
            atomic.write_npz(self.path / rundir.MODEL, state.snapshot.model)
            if state.status in ("interrupted", "failed") or (self.checkpointing and state.status == "completed"):
                self._checkpoint(state)
        atomic.write_json(self.path / rundir.SUMMARY, summary)

    def _checkpoint(self, state: TrainState) -> None:
        save_checkpoint(self.path / rundir.CHECKPOINT, state.snapshot, self.meta)

    def _metrics(self, state: TrainState) -> None:
        rundir.write_metrics(self.path, state.columns, state.history)
        self._last_metrics = time.monotonic()
