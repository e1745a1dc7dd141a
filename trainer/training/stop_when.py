"""`StopWhen`: every `every` epochs, ask a function handed in by the caller whether the run should end now.

Pruning uses it: the function sends the epoch's judged value to whoever owns the study and returns its
decision. A run told to stop ends after that epoch with `status` set to `reason` (its files are kept).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .callbacks import Callback, EpochEvent
from .state import TrainState

ShouldStop = Callable[[int, dict[str, Any]], bool]


class StopWhen(Callback):
    """Asks `should_stop(epoch, metrics_row)` after every `every`-th epoch (not after the last one)."""

    def __init__(self, should_stop: ShouldStop, every: int = 1, reason: str = "pruned") -> None:
        if every < 1:
            raise ValueError(f"every must be at least 1, got {every}")
        self.should_stop = should_stop
        self.every = every
        self.reason = reason

    def on_epoch_end(self, state: TrainState, event: EpochEvent) -> None:
        if state.status == "diverged" or event.epoch % self.every or event.epoch >= event.epochs:
            return
        if self.should_stop(event.epoch, event.record):
            state.stop_request = self.reason
