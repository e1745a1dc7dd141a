"""The log lines of a run as plain text, and `PrintReport`: a callback printing them to a stream.

The Python API's `trainer.run(..., quiet=False)` uses `PrintReport`; the CLI prints the same lines
through its rich renderer.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from .callbacks import Callback, EpochEvent
from .state import TrainState

_SKIP = ("epoch", "seconds")


def fmt(value: Any) -> str:
    """Numbers for humans: 6 significant digits, '-' for missing."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def start_line(state: TrainState) -> str:
    """`training seed-regression: 200 epochs -> runs/...` (or where a resumed run picks up)."""
    epochs = state.settings.epochs
    name = state.info.get("name") or "run"
    start = f"resuming after epoch {state.epoch} of {epochs}" if state.epoch else f"{epochs} epochs"
    where = f" -> {state.info['run_dir']}" if state.info.get("run_dir") else ""
    return f"training {name}: {start}{where}"


def epoch_line(event: EpochEvent) -> str:
    """`epoch  10/200  train_loss 84.1237  val_loss 90.2  lr 0.08  elapsed 0.4s`."""
    width = len(str(event.epochs))
    parts = [f"epoch {event.epoch:>{width}}/{event.epochs}"]
    parts += [f"{key} {fmt(value)}" for key, value in event.record.items() if key not in _SKIP]
    parts.append(f"elapsed {event.elapsed:.1f}s")
    return "  ".join(parts)


class PrintReport(Callback):
    """Prints the start line and a line on every log epoch to `stream` (default: standard output)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def _print(self, line: str) -> None:
        print(line, file=self.stream or sys.stdout, flush=True)

    def on_run_start(self, state: TrainState) -> None:
        self._print(start_line(state))

    def on_epoch_end(self, state: TrainState, event: EpochEvent) -> None:
        if event.log:
            self._print(epoch_line(event))
