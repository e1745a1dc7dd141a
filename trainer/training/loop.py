"""The training loop: epochs of batches, validation, metrics, scheduling, early stopping and a NaN guard.

It fires callbacks and returns data; it never prints. Per batch it follows the seed article's order:
forward, loss, zero_grad, backward, (clip), step. An epoch's train_loss is the mean of its batch losses.
Each epoch's batches run after `optimizer.train()` and its evaluation after `optimizer.eval()` (no-ops
but for optimizers evaluated at another point than they train at, such as the schedule-free ones).
An interrupt, a failure or a divergence at any moment rolls back to the last whole epoch, whose state a
checkpoint then holds (training resumes from it bit-identically). That state is copied only when asked for
(a checkpoint, a callback reading `state.snapshot`, the end), and at least every `snapshot_interval`
seconds; a rollback to an epoch not copied replays the epochs since the last copy, which reproduce it bit
for bit (their rows are checked against the history), so most epochs copy nothing.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import optim
from ..autograd import Tensor, from_numpy, get_default_dtype, set_default_dtype
from ..autograd.anomaly import AnomalyError, detect_anomaly
from ..data.loader import iterate_batches
from ..data.streams import data_generator
from ..errors import UserError
from ..metrics import higher_is_better
from ..nn.utils import clip_grad_norm_, clip_grad_value_
from .best import BestWeights, model_files
from .callbacks import Callback, CallbackList, EpochEvent
from .early_stopping import EarlyStopping
from .evaluation import Evaluation
from .settings import LoopSettings
from .state import Snapshot, TrainState, capture, load_model_arrays, restore
from .summary import build_summary
from .trainable import Trainable
from .triggers import EveryN

BATCH_STREAM = 3  # data streams 1 and 2 generate and shuffle rows (trainer.data.streams); 3 orders batches


class Trainer:
    """Trains an experiment's model on its data, firing callbacks; `fit()` returns the final state."""

    snapshot_interval = 0.25  # seconds of training a rollback may replay (0: copy the state after every epoch)

    def __init__(self, experiment: Trainable, settings: LoopSettings, callbacks: Sequence[Callback] = (),
                 info: dict[str, Any] | None = None) -> None:
        self.experiment = experiment
        self.settings = settings
        self.callbacks = CallbackList(callbacks)
        data = experiment.data
        self.has_val = data.x_val is not None and len(data.x_val) > 0
        self.metric_prefix = "val_" if self.has_val else "train_"
        self.columns = ["epoch", "train_loss", *(["val_loss"] if self.has_val else []),
                        *(self.metric_prefix + m for m in settings.metrics), *experiment.measure_columns,
                        "lr", "seconds"]
        stopping = settings.early_stopping
        default = self._column(stopping.monitor if stopping else None, "training.early_stopping.monitor")
        self.plateau_monitor = self._column(settings.scheduler_monitor or default, "scheduler.monitor")
        self.monitor = default if stopping or not settings.save_best_monitor else self._column(
            settings.save_best_monitor, "training.save_best.monitor")
        self.restore_best = stopping is not None and stopping.restore_best
        early = None
        if settings.early_stopping is not None:
            mode = "max" if higher_is_better(self.monitor) else "min"
            early = EarlyStopping(self.monitor, settings.early_stopping.patience,
                                  settings.early_stopping.min_delta, mode)
        self.state = TrainState(experiment=experiment, settings=settings, columns=self.columns,
                                shuffle_rng=data_generator(settings.seed, BATCH_STREAM), early_stopping=early,
                                info=dict(info or {}))
        if early is not None or settings.save_best:
            self.state.best = BestWeights(self.monitor)
        self.log_trigger = EveryN(settings.log_every, ends=True)
        self._clip = _clipper(settings)
        self._last_whole = (0, 0.0)  # the last whole epoch reached and the elapsed seconds then
        self._evaluation: Evaluation | None = None

    def _column(self, name: str | None, key: str) -> str:
        """A metrics column to monitor; the default is val_loss with a validation split, else train_loss."""
        if name is None:
            return "val_loss" if self.has_val else "train_loss"
        candidates = [c for c in self.columns if c not in ("epoch", "lr", "seconds")]
        if name in candidates:
            return name
        if not name.startswith(("train_", "val_")) and self.metric_prefix + name in candidates:
            return self.metric_prefix + name
        raise UserError(f"cannot monitor '{name}': this run records {', '.join(candidates)}", key=key)

    def resume(self, snapshot: Snapshot) -> None:
        """Continue from a checkpointed snapshot instead of from scratch."""
        restore(self.state, snapshot)

    # ----- the run -----------------------------------------------------------------------------
    def fit(self) -> TrainState:
        """Train until the last epoch, early stopping or divergence; interrupts and errors re-raise after finalize."""
        state = self.state
        state.started = time.perf_counter()
        if state.snapshot is None:
            state.snapshot = capture(state, self._elapsed())
        self._last_whole = (state.snapshot.epoch, state.snapshot.elapsed)
        raised: BaseException | None = None
        saved_dtype = get_default_dtype()
        set_default_dtype(self.experiment.dtype)  # new tensors made in training (constants in losses...) follow it
        try:
            self.callbacks.on_run_start(state)
            with np.errstate(all="ignore"), self._anomaly_mode():  # the NaN/inf guard reports overflow, once
                self._epochs()
        except AnomalyError as exc:  # detect_anomaly named the op: a divergence, stopped at this epoch
            state.status = state.stop_reason = "diverged"
            state.diverged_epoch = self._roll_back().epoch + 1
            state.anomaly = str(exc)
            state.history = state.snapshot.rows()
            state.epoch = state.snapshot.epoch
        except BaseException as exc:  # noqa: BLE001 - interrupts and failures still write their summary
            raised = exc
            # SystemExit: e.g. rich exits when the pipe it logs to closes (`trainer run ... | head`)
            state.status = "interrupted" if isinstance(exc, KeyboardInterrupt | SystemExit) else "failed"
            state.error = exc
            state.stop_reason = state.status
            state.history = self._roll_back().rows()  # back to the last whole epoch
            state.epoch = state.snapshot.epoch
            self.callbacks.on_error(state, exc)
        finally:
            set_default_dtype(saved_dtype)
            state.models = model_files(state.snapshot, state.status, self.restore_best)
            if state.models.restored_best:  # the live model is what model.npz holds
                load_model_arrays(self.experiment.model, state.models.model)
            state.summary = self.summary()
            self.callbacks.finalize(state, state.summary)
        if raised is not None:
            raise raised
        return state

    def _anomaly_mode(self) -> Any:
        """The engine's anomaly mode when `training.detect_anomaly` is set."""
        return detect_anomaly() if self.settings.detect_anomaly else contextlib.nullcontext()

    def summary(self) -> dict[str, Any]:
        """The summary of the run as it stands."""
        state = self.state
        model_epoch = state.snapshot.epoch if state.snapshot else 0
        extra = {**state.info, "stop_reason": state.stop_reason, "diverged_epoch": state.diverged_epoch,
                 "model_epoch": state.models.model_epoch if state.models else model_epoch,
                 "restored_best": bool(state.models and state.models.restored_best)}
        if state.error is not None and not isinstance(state.error, KeyboardInterrupt | SystemExit):
            extra["error"] = f"{type(state.error).__name__}: {state.error}"
        if state.anomaly is not None:
            extra["error"] = state.anomaly
        return build_summary(state.history, self.columns, status=state.status, epochs=self.settings.epochs,
                             monitor=self.monitor, wall_time=self._elapsed(), extra=extra,
                             unranked=self.experiment.unranked)

    def _elapsed(self) -> float:
        return self.state.elapsed_before + (time.perf_counter() - self.state.started)

    def _epochs(self) -> None:
        state, epochs = self.state, self.settings.epochs
        interval = 0.0 if self.settings.detect_anomaly else self.snapshot_interval
        for epoch in range(state.epoch + 1, epochs + 1):
            if self._last_whole[1] - state.copied.elapsed >= interval:
                state.take()
            state.leave_boundary()
            record = self._epoch(epoch)
            state.history.append(record)
            state.epoch = epoch
            if not _finite(record.get("train_loss")) or (self.has_val and not _finite(record.get("val_loss"))):
                state.status = state.stop_reason = "diverged"
                state.diverged_epoch = epoch
                self._roll_back()
                self.callbacks.on_epoch_end(state, EpochEvent(epoch, epochs, record, True, self._elapsed()))
                return
            stop = self._after_epoch(epoch, record)
            if stop:
                state.stop_reason = "early_stopping"
            self._last_whole = (epoch, self._elapsed())
            state.at_boundary(self._last_whole[1])
            log = self.log_trigger(epoch, last=stop or epoch == epochs)
            self.callbacks.on_epoch_end(state, EpochEvent(epoch, epochs, record, log, self._elapsed()))
            if state.stop_request is not None and epoch < epochs:  # a callback ended the run (a pruned trial)
                state.status = state.stop_reason = state.stop_request
                return
            if stop:
                break
        state.status = "completed"

    def _after_epoch(self, epoch: int, record: dict[str, Any]) -> bool:
        """What an epoch's row moves on: the scheduler, early stopping and the best weights; True to stop."""
        state = self.state
        self._schedule_epoch(record)
        stop = state.early_stopping is not None and state.early_stopping.update(epoch, record[self.monitor])
        if state.best is not None:
            state.best.update(epoch, record[self.monitor], self.experiment.model)
        return stop

    # ----- rolling back to the last whole epoch ------------------------------------------------
    def _roll_back(self) -> Snapshot:
        """The snapshot of the last whole epoch, replayed from the last copy when it was not copied.

        A replay that cannot reproduce the rows (a callback changed the training objects, say) or fails
        leaves the last copy, an earlier whole epoch, as the snapshot.
        """
        state = self.state
        snap = state.snapshot
        epoch, elapsed = self._last_whole
        if snap.epoch != epoch:
            replayed = self._replay(snap, epoch, elapsed)
            if replayed is not None:
                state.snapshot = snap = replayed
        return snap

    def _replay(self, base: Snapshot, target: int, elapsed: float) -> Snapshot | None:
        """Train again from `base` to epoch `target` without callbacks; its snapshot, or None if a row differs."""
        state = self.state
        kept = state.history, state.epoch, state.elapsed_before, state.stop_reason
        try:
            restore(state, base)
            with np.errstate(all="ignore"):
                for epoch in range(base.epoch + 1, target + 1):
                    record = self._epoch(epoch, quiet=True)
                    if not _same_row(record, kept[0][epoch - 1]):
                        return None
                    state.epoch = epoch
                    self._after_epoch(epoch, record)
            state.history = kept[0]
            return capture(state, elapsed)
        except BaseException:  # noqa: BLE001 - a second interrupt or a failure: keep the earlier copy
            return None
        finally:
            state.history, state.epoch, state.elapsed_before, state.stop_reason = kept

    # ----- one epoch ---------------------------------------------------------------------------
    def _epoch(self, epoch: int, quiet: bool = False) -> dict[str, Any]:
        start = time.perf_counter()
        optimizer = self.experiment.optimizer
        lr = float(optimizer.param_groups[0]["lr"])
        optimizer.train()  # schedule-free optimizers take gradients at one point...
        train_loss = self._train_epoch(quiet)
        optimizer.eval()  # ...and are evaluated, saved (model.npz) and checkpointed at their average
        record: dict[str, Any] = {"epoch": epoch, "train_loss": train_loss}
        if _finite(train_loss):
            record.update(self._evaluate())
        record.update({c: None for c in self.columns if c not in record and c not in ("lr", "seconds")})
        record["lr"] = lr
        record["seconds"] = round(time.perf_counter() - start, 6)
        return {c: record[c] for c in self.columns}

    def _train_epoch(self, quiet: bool = False) -> float:
        exp, s = self.experiment, self.settings
        exp.model.train()
        per_batch = exp.scheduler is not None and s.scheduler_interval == "batch"
        losses: list[float] = []
        data = exp.data
        listening = bool(self.callbacks.batch_listeners) and not quiet  # nobody listening: no per-batch call
        batches = math.ceil(len(data.x_train) / (s.batch_size or len(data.x_train) or 1)) if listening else 0
        for xb, yb in iterate_batches(data.x_train, data.y_train, s.batch_size, s.shuffle, self.state.shuffle_rng):
            value = self._step(from_numpy(xb), from_numpy(yb))
            losses.append(value)
            if not math.isfinite(value):
                break
            if per_batch:
                exp.scheduler.step()
            if listening:
                self.callbacks.on_batch_end(self.state, len(losses), batches)
        if len(losses) == 1:  # np.mean of one loss, bit for bit (its pairwise sum starts at 0.0: -0.0 becomes 0.0)
            return float(0.0 + losses[0])
        return float(np.mean(losses)) if losses else math.nan

    def _step(self, xb: Tensor, yb: Tensor) -> float:
        """One optimisation step on a batch; returns the loss of the forward pass before the update."""
        exp = self.experiment
        model, loss_fn, optimizer = exp.model, exp.loss_fn, exp.optimizer
        if optimizer.needs_closure:
            first: list[float] = []

            def closure() -> Tensor:
                optimizer.zero_grad()
                loss = loss_fn(model(xb), yb)
                if not first:
                    first.append(float(loss.item()))
                loss.backward()
                self._clip(model)
                return loss

            optimizer.step(closure)
            return first[0]
        loss = loss_fn(model(xb), yb)
        value = float(loss.item())
        if not math.isfinite(value):
            return value
        optimizer.zero_grad()
        loss.backward()
        self._clip(model)
        optimizer.step()
        return value

    def _evaluate(self) -> dict[str, float]:
        """The model's own measures (an objective's f, distance and point), validation loss and metrics
        (on the validation split, or on the training data without one)."""
        exp, s = self.experiment, self.settings
        out: dict[str, float] = exp.measures() if exp.measures is not None else {}
        if not self.has_val and not s.metrics:
            return out
        data = exp.data
        x, y = (data.x_val, data.y_val) if self.has_val else (data.x_train, data.y_train)
        loss_fn, ev = exp.loss_fn if self.has_val else None, self._evaluation
        if ev is None or ev.arrays[0] is not x or ev.arrays[1] is not y or ev.loss_fn is not loss_fn \
                or ev.predictions != exp.predictions:  # built once: the same rows every epoch
            ev = self._evaluation = Evaluation(x, y, metrics=s.metrics, logits=s.logits,
                                               predictions=exp.predictions, loss_fn=loss_fn)
        out.update({self.metric_prefix + name: value for name, value in ev(exp.model).items()})
        return out

    def _schedule_epoch(self, record: dict[str, Any]) -> None:
        scheduler = self.experiment.scheduler
        if scheduler is None or self.settings.scheduler_interval != "epoch":
            return
        if isinstance(scheduler, optim.lr_scheduler.ReduceLROnPlateau):  # loaded: a scheduler exists
            scheduler.step(record[self.plateau_monitor])
        else:
            scheduler.step()


def _finite(value: Any) -> bool:
    return value is not None and math.isfinite(value)


def _same_row(replayed: dict[str, Any], row: dict[str, Any]) -> bool:
    """Whether a replayed epoch's row is the recorded one (but for its time; NaN matches NaN)."""
    return all(a == b or (a != a and b != b)  # noqa: PLR0124 - NaN is the value that differs from itself
               for c, a in replayed.items() if c != "seconds" for b in (row.get(c),))


def _clipper(settings: LoopSettings) -> Any:
    """A function clipping a model's gradients as the settings ask (a no-op when they don't)."""
    norm, value = settings.grad_clip_norm, settings.grad_clip_value
    if norm is None and value is None:
        return lambda model: None
    def clip(model: Any) -> None:
        if value is not None:
            clip_grad_value_(model.parameters(), value)
        if norm is not None:
            clip_grad_norm_(model.parameters(), norm)

    return clip
