"""The loop on a hand-built experiment: losses as in the seed's loop, schedulers, early stopping, divergence,
interrupts rolled back to the last whole epoch, and snapshots that resume bit-identically."""

from __future__ import annotations

import math

import numpy as np
import pytest

import trainer
from trainer.errors import UserError
from trainer.training import Callback, EarlyStoppingSettings, LoopSettings, Trainer, checkpoint
from trainer.training.checkpoint import load_checkpoint, save_checkpoint

from .helpers import experiment


class Recorder(Callback):
    def __init__(self, interrupt_at: int | None = None) -> None:
        self.events, self.summary, self.errors, self.interrupt_at = [], None, [], interrupt_at

    def on_epoch_end(self, state, event):
        self.events.append(event)
        if event.epoch == self.interrupt_at:
            raise KeyboardInterrupt

    def on_error(self, state, error):
        self.errors.append(error)

    def finalize(self, state, summary):
        self.summary = summary


def weights(model) -> dict[str, np.ndarray]:
    return {k: v.numpy().copy() for k, v in model.state_dict().items()}


def test_full_batch_losses_follow_the_seed_loop():
    exp = experiment()
    state = Trainer(exp, LoopSettings(epochs=5)).fit()
    ref = experiment()
    x, y = trainer.from_numpy(ref.data.x_train), trainer.from_numpy(ref.data.y_train)
    expected = []
    for _ in range(5):
        loss = ref.loss_fn(ref.model(x), y)
        expected.append(loss.item())
        ref.optimizer.zero_grad()
        loss.backward()
        ref.optimizer.step()
    assert [row["train_loss"] for row in state.history] == expected
    assert state.status == "completed" and state.epoch == 5


def test_columns_log_epochs_and_train_metrics():
    rec = Recorder()
    state = Trainer(experiment(), LoopSettings(epochs=7, log_every=3, metrics=("mae", "r2")), [rec]).fit()
    assert state.columns == ["epoch", "train_loss", "train_mae", "train_r2", "lr", "seconds"]
    assert [e.epoch for e in rec.events if e.log] == [1, 3, 6, 7]
    assert rec.summary["status"] == "completed" and rec.summary["epochs_run"] == 7


def test_validation_scheduler_lr_column_and_batches():
    exp = experiment(val=16, scheduler="step")
    state = Trainer(exp, LoopSettings(epochs=7, batch_size=16, metrics=("mae",))).fit()
    assert state.columns == ["epoch", "train_loss", "val_loss", "val_mae", "lr", "seconds"]
    assert [row["lr"] for row in state.history] == pytest.approx([0.05] * 3 + [0.025] * 3 + [0.0125])
    assert all(math.isfinite(row["val_loss"]) for row in state.history)


def test_plateau_scheduler_gets_the_monitored_value():
    exp = experiment(lr=1e-6, val=16, scheduler="plateau")
    Trainer(exp, LoopSettings(epochs=6, scheduler_monitor="val_loss")).fit()
    assert exp.optimizer.param_groups[0]["lr"] < 1e-6


def test_early_stopping_stops_and_logs_the_last_epoch():
    rec = Recorder()
    settings = LoopSettings(epochs=50, log_every=100,
                            early_stopping=EarlyStoppingSettings(patience=2, min_delta=1e9))
    state = Trainer(experiment(), settings, [rec]).fit()
    assert state.epoch == 3 and state.stop_reason == "early_stopping"
    assert [e.epoch for e in rec.events if e.log] == [1, 3]


def test_unknown_monitor_is_a_user_error():
    with pytest.raises(trainer.errors.UserError, match="val_loss"):
        Trainer(experiment(), LoopSettings(epochs=1, early_stopping=EarlyStoppingSettings(2, monitor="val_loss")))


def test_divergence_stops_at_that_epoch():
    rec = Recorder()
    state = Trainer(experiment(lr=1e6, optimizer="sgd"), LoopSettings(epochs=50), [rec]).fit()
    assert state.status == "diverged" and state.diverged_epoch == state.epoch < 50
    assert not math.isfinite(state.history[-1]["train_loss"])
    assert rec.summary["status"] == "diverged" and rec.summary["diverged_epoch"] == state.epoch
    assert state.snapshot.epoch == state.epoch - 1


def test_lbfgs_uses_a_closure():
    state = Trainer(experiment(lr=0.5, optimizer="lbfgs"), LoopSettings(epochs=3)).fit()
    losses = [row["train_loss"] for row in state.history]
    assert losses[2] < losses[0]


def test_interrupt_rolls_back_to_the_last_whole_epoch_and_finalizes():
    rec = Recorder(interrupt_at=4)
    loop = Trainer(experiment(), LoopSettings(epochs=10), [rec])
    with pytest.raises(KeyboardInterrupt):
        loop.fit()
    state = loop.state
    assert state.status == "interrupted" and rec.summary["status"] == "interrupted"
    assert state.epoch == 4 and len(state.history) == 4 and state.snapshot.epoch == 4


def test_failure_in_training_is_summarised_and_reraised():
    exp = experiment()
    exp.loss_fn = lambda pred, target: (_ for _ in ()).throw(RuntimeError("boom"))
    rec = Recorder()
    with pytest.raises(RuntimeError, match="boom"):
        Trainer(exp, LoopSettings(epochs=3), [rec]).fit()
    assert rec.summary["status"] == "failed" and "boom" in rec.summary["error"]


@pytest.mark.parametrize("interrupt_at", [3, 5])
def test_resume_from_checkpoint_is_bit_identical(tmp_path, interrupt_at):
    settings = LoopSettings(epochs=8, batch_size=10, shuffle=True, metrics=("mae",),
                            early_stopping=EarlyStoppingSettings(patience=50))
    whole = experiment(val=16, scheduler="step", dropout=True)
    full = Trainer(whole, settings).fit()

    first = Trainer(experiment(val=16, scheduler="step", dropout=True), settings, [Recorder(interrupt_at)])
    with pytest.raises(KeyboardInterrupt):
        first.fit()
    save_checkpoint(tmp_path / "checkpoint.npz", first.state.snapshot)
    trainer.manual_seed(123)  # the resumed process starts from a different global RNG state
    snap, _ = load_checkpoint(tmp_path / "checkpoint.npz")

    second = Trainer(experiment(val=16, scheduler="step", dropout=True), settings)
    second.resume(snap)
    resumed = second.fit()

    strip = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]
    assert strip(resumed.history) == strip(full.history)
    for name, arr in weights(whole.model).items():
        assert arr.tobytes() == weights(second.experiment.model)[name].tobytes()


def test_a_checkpoint_of_another_format_is_refused_with_its_number(tmp_path):
    exp = experiment()
    t = Trainer(exp, LoopSettings(epochs=1))
    t.fit()
    path = save_checkpoint(tmp_path / "checkpoint.npz", t.state.snapshot)
    with np.load(path, allow_pickle=False) as npz:
        files = {name: npz[name] for name in npz.files}
    files["__state__"] = np.array(str(files["__state__"][()]).replace(
        f'"format": {checkpoint.FORMAT}', '"format": 1'))
    np.savez(path, **files)
    with pytest.raises(UserError, match="format 1, this trainer reads format 2"):
        load_checkpoint(path)


class _ModeLog(trainer.optim.SGD):
    """SGD that logs the loop's train()/eval() calls and its steps: where in an epoch each happens."""

    def __init__(self, params, log):
        super().__init__(params, lr=0.05)
        self.log = log

    def train(self):
        self.log.append("train")

    def eval(self):
        self.log.append("eval")

    def step(self, closure=None):
        self.log.append("step")
        return super().step(closure)


class _LogEnd(Callback):
    def __init__(self, log):
        self.log = log

    def on_epoch_end(self, state, event):
        self.log.append("end")


def test_optimizer_trains_before_the_batches_and_evaluates_before_validation_and_snapshot():
    log: list[str] = []
    exp = experiment(val=16)
    exp = type(exp)(exp.data, exp.model, exp.loss_fn, _ModeLog(exp.model.parameters(), log), None)
    Trainer(exp, LoopSettings(epochs=2, batch_size=32), [_LogEnd(log)]).fit()
    assert log == ["train", "step", "step", "eval", "end"] * 2


def test_schedule_free_validation_loss_is_taken_at_the_average():
    exp = experiment(val=16)
    opt = trainer.optim.AdamWScheduleFree(exp.model.parameters(), lr=0.01)
    exp = type(exp)(exp.data, exp.model, exp.loss_fn, opt, None)
    state = Trainer(exp, LoopSettings(epochs=3)).fit()
    assert not opt.param_groups[0]["train_mode"]
    x, y = trainer.from_numpy(exp.data.x_val), trainer.from_numpy(exp.data.y_val)
    with trainer.no_grad():
        at_average = exp.loss_fn(exp.model(x), y).item()
    assert state.history[-1]["val_loss"] == at_average
    opt.train()
    with trainer.no_grad():
        assert exp.loss_fn(exp.model(x), y).item() != at_average


def test_the_mean_of_one_batch_loss_is_np_mean_bit_for_bit():
    for value in (-0.0, 0.0, 1.5, -2.25, 5e-324, float("inf"), float("-inf"), 0.1 + 0.2, 1e308):
        assert np.array_equal(np.float64(0.0 + value), np.float64(np.mean([value])))
        assert math.copysign(1.0, 0.0 + value) == math.copysign(1.0, float(np.mean([value])))
