"""`Callback.on_batch_end`: called after every optimizer step with the batch's number and the epoch's count, and
only for callbacks that override it (the loop makes no per-batch call when none does)."""

from __future__ import annotations

from trainer.training import Callback, LoopSettings, Trainer
from trainer.training.callbacks import CallbackList

from .helpers import experiment


class Batches(Callback):
    def __init__(self) -> None:
        self.seen: list[tuple[int, int, int]] = []

    def on_batch_end(self, state, batch, batches):
        self.seen.append((state.epoch + 1, batch, batches))


def test_every_batch_is_reported_with_the_epochs_batch_count():
    spy = Batches()
    Trainer(experiment(), LoopSettings(epochs=2, batch_size=24), [spy]).fit()  # 64 rows: 24 + 24 + 16
    assert spy.seen == [(1, 1, 3), (1, 2, 3), (1, 3, 3), (2, 1, 3), (2, 2, 3), (2, 3, 3)]


def test_a_full_batch_epoch_is_one_batch():
    spy = Batches()
    Trainer(experiment(), LoopSettings(epochs=3), [spy]).fit()
    assert spy.seen == [(1, 1, 1), (2, 1, 1), (3, 1, 1)]


def test_only_callbacks_that_override_the_hook_listen():
    quiet, spy = Callback(), Batches()
    assert CallbackList([quiet]).batch_listeners == []
    assert CallbackList([quiet, spy]).batch_listeners == [spy]


def test_listening_changes_no_number():
    plain = Trainer(experiment(), LoopSettings(epochs=3, batch_size=16)).fit()
    watched = Trainer(experiment(), LoopSettings(epochs=3, batch_size=16), [Batches()]).fit()
    assert [r["train_loss"] for r in plain.history] == [r["train_loss"] for r in watched.history]


def test_a_callback_can_decline_batches_it_overrides():
    class Sometimes(Batches):
        def wants_batches(self) -> bool:
            return False

    spy = Sometimes()
    Trainer(experiment(), LoopSettings(epochs=1, batch_size=16), [spy]).fit()
    assert spy.seen == [] and CallbackList([spy]).batch_listeners == []
