"""Callbacks: what the loop calls at the start, after each batch and epoch, on an error and always at the end.

The loop fires them in order; `finalize` runs for every callback even if an earlier one failed,
so an interrupted or failed run still writes its summary. `on_batch_end` costs nothing per batch unless a
callback overrides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from .state import TrainState


class EpochEvent(NamedTuple):  # a NamedTuple: ~0.6 ms less at import than a frozen dataclass
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

    def on_batch_end(self, state: TrainState, batch: int, batches: int) -> None:
        """Batch `batch` (from 1) of the `batches` in this epoch took its optimizer step."""

    def wants_batches(self) -> bool:
        """Whether the loop should call `on_batch_end` (by default: when this class overrides it)."""
        return type(self).on_batch_end is not Callback.on_batch_end

    def on_epoch_end(self, state: TrainState, event: EpochEvent) -> None:
        """An epoch finished; `state.snapshot` holds the state after it (copied when first read)."""

    def on_error(self, state: TrainState, error: BaseException) -> None:
        """Training stopped with an exception (KeyboardInterrupt included)."""

    def finalize(self, state: TrainState, summary: dict[str, Any]) -> None:
        """Always called last, with the run's summary."""


class CallbackList:
    """Fires hooks on several callbacks in order."""

    def __init__(self, callbacks: Sequence[Callback]) -> None:
        self.callbacks = list(callbacks)
        self.batch_listeners = [cb for cb in self.callbacks if cb.wants_batches()]

    def on_run_start(self, state: TrainState) -> None:
        for cb in self.callbacks:
            cb.on_run_start(state)

    def on_batch_end(self, state: TrainState, batch: int, batches: int) -> None:
        for cb in self.batch_listeners:
            cb.on_batch_end(state, batch, batches)

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
