"""One live line for a whole compare, sweep or benchmark on a terminal:

`compare ━━━━━━━━━━━━ done 3/8 · running 2 · failed 1 · 0:00:12 · left ~0:00:20 · best val_loss 0.01234 (adam)`

The counts come from the experiment's progress events; elapsed time and the estimate of what is left are
redrawn a few times a second. Several phases (a tuned compare's trials, then its finals) share the one line:
each phase's runs are added to the total.
"""

from __future__ import annotations

import math
import time

from rich.console import Console
from rich.live import Live
from rich.text import Text

from ..experiments.jobs import Event
from ..experiments.records import RunRecord, judged, loss_column

_NOT_DONE = ("diverged", "failed", "interrupted", "cancelled")  # counted and shown in this order, when any


def clock(seconds: float) -> str:
    """`0:01:05`: whole seconds as h:mm:ss."""
    whole = int(max(seconds, 0.0))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


class Tally:
    """What the live line says: runs done, running, failed and cancelled, the best so far, elapsed and left."""

    def __init__(self, now: float) -> None:
        self.started = now
        self.done = self.total = self.running = 0
        self.ended: dict[str, int] = {}  # runs that did not complete, by status
        self.finished_at: float | None = None  # the clock stops once every run is done
        self.offset_done = self.offset_total = 0  # earlier phases
        self.ran = 0  # runs finished in this process (reused ones are not a measure of speed)
        self.best: tuple[float, str, str] | None = None  # (judged loss, column, label)

    def update(self, event: Event, now: float) -> None:
        if event.kind == "start" and self.total and self.done >= self.total:
            self.offset_done, self.offset_total = self.done, self.total  # a new phase follows a finished one
        self.done = self.offset_done + event.done
        self.total = max(self.offset_total + event.total, self.done)
        self.running = event.running
        self.finished_at = now if self.done >= self.total and not self.running else None
        record = event.record
        if record is None:
            return
        if event.kind == "finished":
            self.ran += 1
        if record.status in _NOT_DONE:
            self.ended[record.status] = self.ended.get(record.status, 0) + 1
        self._best(record)

    def _best(self, record: RunRecord) -> None:
        value = judged(record)
        if math.isfinite(value) and (self.best is None or value < self.best[0]):
            self.best = (value, loss_column(record.summary, record.history), record.spec.label or record.spec.key)

    def text(self, now: float) -> Text:
        elapsed = (self.finished_at if self.finished_at is not None else now) - self.started
        text = Text(f"done {self.done}/{self.total}")
        if self.running:
            text.append(f" · running {self.running}")
        for status in _NOT_DONE:
            if self.ended.get(status):
                colour = "red" if status in ("diverged", "failed") else "yellow"
                text.append(" · ").append(f"{status} {self.ended[status]}", style=colour)
        text.append(f" · {clock(elapsed)}")
        left = self.total - self.done
        if left and self.ran:
            text.append(f" · left ~{clock(elapsed / self.ran * left)}")
        if self.best is not None:  # last: on a narrow terminal the label is what gets cut
            value, column, label = self.best
            text.append(f" · best {column} {value:.4g} ({label})")
        return text


class LiveLine:
    """The rich Live display of a `Tally` (the bar, then the text), started on the first event."""

    def __init__(self, console: Console, what: str, *, transient: bool = False) -> None:
        self.console = console
        self.what = what
        self.tally = Tally(time.monotonic())
        self._live = Live(console=console, get_renderable=self._render, refresh_per_second=4, transient=transient,
                          redirect_stdout=False, redirect_stderr=False)
        self._started = False

    def update(self, event: Event) -> None:
        self.tally.update(event, time.monotonic())
        if not self._started:
            self._live.start()
            self._started = True
        self._live.refresh()

    def _render(self) -> Text:
        width = 24 if self.console.width >= 120 else 10
        total, done = max(self.tally.total, 1), self.tally.done
        filled = min(width, round(width * done / total))
        line = Text(f"{self.what} ", no_wrap=True, overflow="ellipsis")  # one line, cut at the terminal's edge
        line.append("━" * filled, style="green" if done >= total else "magenta")
        line.append("━" * (width - filled) + " ", style="bright_black")
        return line.append_text(self.tally.text(time.monotonic()))

    def close(self) -> None:
        """Draw the final state once more and stop (idempotent)."""
        if self._started:
            self._live.refresh()
            self._live.stop()
            self._started = False
