"""Rich rendering of a run: log lines (and a live progress bar on a terminal), then the final summary.

On a terminal the bar reads `epoch 3/20 ━━━ 0:00:04 batch 120/469 train_loss 0.1234`: the epoch being trained,
and the batch inside it in an epoch of `MANY_BATCHES` batches or more, or once an epoch has run for `LONG_EPOCH`
seconds (refreshed at most every `BATCH_REFRESH` seconds, so a fast loop pays one clock read per batch).
"""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..training.callbacks import Callback, EpochEvent
from ..training.report import epoch_line, fmt, start_line
from ..training.state import TrainState
from .summary_rows import COLOURS, HEADERS, summary_caption, summary_rows, summary_status

LONG_EPOCH = 0.5  # seconds into an epoch after which the batch count is shown (and stays for the run)
MANY_BATCHES = 500  # an epoch of this many batches shows its batch count from the start
BATCH_REFRESH = 0.1  # seconds between batch-count updates


class ConsoleRenderer(Callback):
    """Prints a line on log epochs; shows a progress bar only when the console is a terminal."""

    def __init__(self, console: Console, *, lines: bool = True, progress: bool | None = None) -> None:
        self.console = console
        self.lines = lines
        self.show_progress = console.is_terminal if progress is None else progress
        self.summary: dict[str, Any] | None = None
        self._progress: Progress | None = None
        self._task: Any = None
        self._epochs = 0
        self._loss = ""
        self._epoch_started = 0.0
        self._last_batch = 0.0
        self._batches_shown = False

    def on_run_start(self, state: TrainState) -> None:
        self._epochs = state.settings.epochs
        if self.lines:
            self.console.print(start_line(state), markup=False, highlight=False, soft_wrap=True)
        if self.show_progress:
            self._progress = Progress(TextColumn("{task.fields[epoch]}"), BarColumn(), TimeElapsedColumn(),
                                      TextColumn("{task.description}"), console=self.console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task("", total=self._epochs, completed=state.epoch,
                                                 epoch=self._epoch_text(state.epoch + 1))
        self._epoch_started = time.monotonic()

    def _epoch_text(self, epoch: int) -> str:
        width = len(str(self._epochs))
        return f"epoch {min(epoch, self._epochs):>{width}}/{self._epochs}"

    def wants_batches(self) -> bool:
        return self.show_progress  # off a terminal (or with --quiet) the loop makes no per-batch call

    def on_batch_end(self, state: TrainState, batch: int, batches: int) -> None:
        if self._progress is None:
            return
        now = time.monotonic()
        if not self._batches_shown:
            if batches < MANY_BATCHES and now - self._epoch_started < LONG_EPOCH:
                return
            self._batches_shown = True
        elif now - self._last_batch < BATCH_REFRESH and batch != batches:
            return
        self._last_batch = now
        width = len(str(batches))
        self._progress.update(self._task, description=f"batch {batch:>{width}}/{batches}{self._loss}")

    def on_epoch_end(self, state: TrainState, event: EpochEvent) -> None:
        self._epoch_started = time.monotonic()
        if self._progress is not None:
            self._loss = f"  train_loss {fmt(event.record.get('train_loss'))}"
            self._progress.update(self._task, completed=event.epoch, epoch=self._epoch_text(event.epoch + 1),
                                  description=self._loss.strip())
        if self.lines and event.log:
            self.console.print(epoch_line(event), markup=False, highlight=False, soft_wrap=True)

    def finalize(self, state: TrainState, summary: dict[str, Any]) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        self.summary = summary


def summary_table(summary: dict[str, Any]) -> Table:
    """The end-of-run summary: status, epochs, final and best values, wall time, run directory."""
    status = summary_status(summary)
    table = Table(title=f"run {status}", title_style=f"bold {COLOURS.get(status, 'white')}", show_header=True,
                  header_style="bold")
    table.add_column(HEADERS[0])
    for header in HEADERS[1:]:
        table.add_column(header, justify="right")
    for row in summary_rows(summary):
        table.add_row(*row)
    table.caption = Text(summary_caption(summary))
    return table
