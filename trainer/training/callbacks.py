"""Callbacks: what the loop calls at the start, after each epoch, on an error and always at the end.

The loop fires them in order; `finalize` runs for every callback even if an earlier one failed,
so an interrupted or failed run still writes its summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .state import TrainState


@dataclass(frozen=True)
class EpochEvent:
    """One finished epoch: its metrics row and whether it is an epoch to log."""

    epoch: int
    epochs: int
    record: dict[str, Any]
    log: bool
    elapsed: float


class Callback:
    """Base class: override the hooks you need."""

    def on_run_start(self, state: TrainState) -> None:
        """Training is about to start (or resume after `state.epoch` epochs)."""

    def on_epoch_end(self, state: TrainState, event: EpochEvent) -> None:
        """An epoch finished; `state.snapshot` holds the state after it."""

    def on_error(self, state: TrainState, error: BaseException) -> None:
        """Training stopped with an exception (KeyboardInterrupt included)."""

    def finalize(self, state: TrainState, summary: dict[str, Any]) -> None:
        """Always called last, with the run's summary."""


class CallbackList:
    """Fires hooks on several callbacks in order."""

    def __init__(self, callbacks: Sequence[Callback]) -> None:
        self.callbacks = list(callbacks)

    def on_run_start(self, state: TrainState) -> None:
        for cb in self.callbacks:
            cb.on_run_start(state)

    def on_epoch_end(self, state: TrainState, event: EpochEvent) -> None:
        for cb in self.callbacks:
            cb.on_epoch_end(state, event)

    def on_error(self, state: TrainState, error: BaseException) -> None:
        self._all("on_error", state, error)

    def finalize(self, state: TrainState, summary: dict[str, Any]) -> None:
        self._all("finalize", state, summary)

    def _all(self, hook: str, *args: Any) -> None:
        """Call `hook` on every callback; re-raise the first failure only after all have run."""
        first: BaseException | None = None
        for cb in self.callbacks:
            try:
                getattr(cb, hook)(*args)
            except BaseException as exc:  # noqa: BLE001 - every finalizer must get its turn
                first = first or exc
        if first is not None:
            raise first
