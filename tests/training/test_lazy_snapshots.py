"""Snapshots copied only when asked for: every rollback (interrupt, failure, divergence) gives the snapshot an
eager copy after every epoch gives, bit for bit, replaying the epochs since the last copy when it must."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer.training import Callback, EarlyStoppingSettings, LoopSettings, Trainer, codec, loop, state
from trainer.training.checkpoint import load_checkpoint, save_checkpoint

from .helpers import experiment

SETTINGS = LoopSettings(epochs=8, batch_size=10, shuffle=True, metrics=("mae",),
                        early_stopping=EarlyStoppingSettings(patience=50))
EAGER, LAZY = 0.0, float("inf")  # snapshot_interval: a copy after every epoch, or only when asked for


def _exp():
    return experiment(val=16, scheduler="step", dropout=True)


class _Stop(Callback):
    """Raises `error` at batch `batch` of epoch `epoch` (batch None: at the epoch's end)."""

    def __init__(self, epoch: int, batch: int | None = None, error: BaseException | None = None) -> None:
        self.epoch, self.batch, self.error, self.current = epoch, batch, error or KeyboardInterrupt(), 0

    def on_batch_end(self, state, batch, batches):
        if self.current + 1 == self.epoch and batch == self.batch:
            raise self.error

    def on_epoch_end(self, state, event):
        self.current = event.epoch
        if event.epoch == self.epoch and self.batch is None:
            raise self.error


def _fit(interval: float, callbacks=(), exp=None, settings=SETTINGS) -> Trainer:
    loop = Trainer(exp or _exp(), settings, list(callbacks))
    loop.snapshot_interval = interval
    try:
        loop.fit()
    except (KeyboardInterrupt, RuntimeError):
        pass
    return loop


def _encoded(snap: state.Snapshot):
    """A snapshot as JSON text and arrays, without its time."""
    return codec.encode({k: v for k, v in snap.as_dict().items() if k not in ("elapsed", "history")})


def _assert_same(a: state.Snapshot, b: state.Snapshot) -> None:
    (text_a, arrays_a), (text_b, arrays_b) = _encoded(a), _encoded(b)
    assert text_a == text_b and arrays_a.keys() == arrays_b.keys()
    assert all(np.array_equal(arrays_a[k], arrays_b[k]) for k in arrays_a)
    assert all(np.array_equal(a.model[k], b.model[k]) for k in a.model)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]
    assert strip(a.rows()) == strip(b.rows())


def _count_captures(monkeypatch) -> list[int]:
    """The epochs `capture` copies from now on."""
    calls: list[int] = []
    real = state.capture
    counted = lambda s, elapsed: calls.append(s.epoch) or real(s, elapsed)
    monkeypatch.setattr(state, "capture", counted)
    monkeypatch.setattr(loop, "capture", counted)
    return calls


def test_a_whole_run_copies_the_state_only_at_its_start_and_end(monkeypatch):
    calls = _count_captures(monkeypatch)
    lazy = _fit(LAZY)
    assert calls == [0, 8]
    calls.clear()
    eager = _fit(EAGER)
    assert calls == list(range(9))
    _assert_same(lazy.state.snapshot, eager.state.snapshot)


@pytest.mark.parametrize(("epoch", "batch"), [(5, 2), (1, 1), (5, None), (8, None)])
def test_an_interrupt_after_epochs_never_copied_rolls_back_as_an_eager_copy_does(epoch, batch):
    lazy, eager = _fit(LAZY, [_Stop(epoch, batch)]), _fit(EAGER, [_Stop(epoch, batch)])
    whole = epoch - 1 if batch is not None else epoch
    assert lazy.state.status == eager.state.status == "interrupted"
    assert lazy.state.snapshot.epoch == eager.state.snapshot.epoch == lazy.state.epoch == whole
    assert len(lazy.state.history) == whole
    _assert_same(lazy.state.snapshot, eager.state.snapshot)


def test_an_interrupt_mid_epoch_resumes_bit_identically(tmp_path):
    full = _fit(EAGER)
    first = _fit(LAZY, [_Stop(6, 3)])
    assert first.state.snapshot.epoch == 5
    save_checkpoint(tmp_path / "checkpoint.npz", first.state.snapshot)
    trainer.manual_seed(123)
    snap, _ = load_checkpoint(tmp_path / "checkpoint.npz")
    second = Trainer(_exp(), SETTINGS)
    second.snapshot_interval = LAZY
    second.resume(snap)
    second.fit()
    _assert_same(second.state.snapshot, full.state.snapshot)
    for name, value in full.experiment.model.state_dict().items():
        assert np.array_equal(value.numpy(), second.experiment.model.state_dict()[name].numpy())


def test_a_failure_mid_epoch_rolls_back_to_the_last_whole_epoch():
    lazy, eager = (_fit(i, [_Stop(4, 2, RuntimeError("boom"))]) for i in (LAZY, EAGER))
    assert lazy.state.status == "failed" and lazy.state.snapshot.epoch == 3 and len(lazy.state.history) == 3
    _assert_same(lazy.state.snapshot, eager.state.snapshot)


def test_a_divergence_keeps_the_epoch_before_it_as_an_eager_copy_does():
    runs = [_fit(i, exp=experiment(lr=0.8, optimizer="sgd"), settings=LoopSettings(epochs=50, batch_size=16))
            for i in (LAZY, EAGER)]
    lazy, eager = (r.state for r in runs)
    assert lazy.status == eager.status == "diverged" and lazy.diverged_epoch == eager.diverged_epoch > 2
    assert lazy.snapshot.epoch == lazy.epoch - 1
    _assert_same(lazy.snapshot, eager.snapshot)
    assert all(np.array_equal(lazy.models.model[k], eager.models.model[k]) for k in lazy.models.model)


class _Meddler(Callback):
    """Halves the learning rate after epoch 2: a change a replay cannot know of."""

    def on_epoch_end(self, state, event):
        if event.epoch == 2:
            for group in state.optimizer.param_groups:
                group["lr"] *= 0.5


def test_a_replay_that_cannot_reproduce_the_rows_keeps_the_earlier_copy():
    lazy = _fit(LAZY, [_Meddler(), _Stop(5, 1)]).state
    assert lazy.status == "interrupted" and lazy.snapshot.epoch == 0 and lazy.history == [] and lazy.epoch == 0
    eager = _fit(EAGER, [_Meddler(), _Stop(5, 1)]).state
    assert eager.snapshot.epoch == 4


def test_a_checkpoint_epoch_copies_the_state_it_writes(monkeypatch):
    calls = _count_captures(monkeypatch)

    class Reader(Callback):
        def on_epoch_end(self, state, event):
            if event.epoch % 3 == 0:
                assert state.snapshot.epoch == event.epoch

    _fit(LAZY, [Reader()])
    assert calls == [0, 3, 6, 8]


@pytest.mark.parametrize("make", [
    lambda p: trainer.optim.SGD(p, lr=0.02, momentum=0.9, nesterov=True),
    lambda p: trainer.optim.AdamW(p, lr=0.01, amsgrad=True),
    lambda p: trainer.optim.RMSprop(p, lr=0.005, centered=True),
    lambda p: trainer.optim.Lion(p, lr=0.001),
    lambda p: trainer.optim.AdamWScheduleFree(p, lr=0.01),
    lambda p: trainer.optim.Lookahead(trainer.optim.Adam(p, lr=0.01), k=3),
], ids=["sgd", "adamw", "rmsprop", "lion", "schedule-free", "lookahead"])
def test_a_replay_through_a_live_optimizer_gives_the_eager_copy(make):
    def exp():
        base = experiment(val=16, dropout=True)
        return type(base)(base.data, base.model, base.loss_fn, make(base.model.parameters()), None)

    lazy, eager = (_fit(i, [_Stop(6, 2)], exp=exp()) for i in (LAZY, EAGER))
    assert lazy.state.snapshot.epoch == 5
    _assert_same(lazy.state.snapshot, eager.state.snapshot)
