"""The loop's state, and snapshots of it at epoch boundaries (what checkpoints store and resume restores).

A snapshot is taken when something asks for it: `TrainState.at_boundary` notes that the live objects hold
the state after an epoch, and the first read of `TrainState.snapshot` before they move on copies it.
"""

from __future__ import annotations

import copy
import ctypes
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..autograd import Tensor, from_numpy
from ..autograd import random as trainer_random
from ..errors import UserError
from ..nn import Module
from ..optim import Optimizer
from .settings import LoopSettings
from .trainable import Trainable

if TYPE_CHECKING:  # a run without a scheduler never imports the scheduler modules
    from ..optim.lr_scheduler import LRScheduler


@dataclass(eq=False, repr=False)  # arrays: == is ambiguous, a repr unreadable (and ~0.25 ms less at import)
class Snapshot:
    """Everything needed to continue training exactly after `epoch` completed epochs."""

    epoch: int
    model: dict[str, np.ndarray]
    optimizer: dict[str, Any]
    scheduler: dict[str, Any] | None
    rng: dict[str, Any]
    shuffle_rng: dict[str, Any]
    history: list[dict[str, Any]]  # may be the live, append-only history: only its first `epoch` rows count
    early_stopping: dict[str, Any] | None
    elapsed: float
    best: dict[str, Any] | None = None  # the best epoch's weights so far (training.best.BestWeights)

    def rows(self) -> list[dict[str, Any]]:
        """The history up to this snapshot (rows are never changed once appended, so they are shared)."""
        return self.history[:self.epoch]

    def as_dict(self) -> dict[str, Any]:
        """A plain nested dict (for the checkpoint codec)."""
        return {**self.__dict__, "history": self.rows()}


@dataclass(eq=False, repr=False)  # live objects, compared by identity
class TrainState:
    """What callbacks see: the objects being trained, the history so far and how the run is going."""

    experiment: Trainable
    settings: LoopSettings
    columns: list[str]
    shuffle_rng: np.random.Generator
    epoch: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    status: str = "running"
    stop_reason: str | None = None
    error: BaseException | None = None
    diverged_epoch: int | None = None
    anomaly: str | None = None  # detect_anomaly's message naming the op that made NaN/inf
    stop_request: str | None = None  # set by a callback (e.g. "pruned"): the loop ends after this epoch with it
    elapsed_before: float = 0.0
    started: float = 0.0
    early_stopping: Any = None
    best: Any = None  # training.best.BestWeights, when the best epoch's weights are kept
    models: Any = None  # training.best.ModelFiles: what the model files hold, once the run ends
    summary: dict[str, Any] = field(default_factory=dict)  # set when the run ends
    info: dict[str, Any] = field(default_factory=dict)  # name, run_dir, seed, ...: what the summary reports
    reuse: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # capture's unchanged parts (see `_unchanged`)
    _taken: Snapshot | None = field(default=None, repr=False)  # the last snapshot copied
    _boundary: float | None = field(default=None, repr=False)  # elapsed at epoch `epoch` while the live objects hold it

    @property
    def snapshot(self) -> Snapshot | None:
        """The last snapshot: the state after epoch `epoch`, copied from the live objects on first read while
        they still hold it (`at_boundary`), else the last one copied (possibly of an earlier epoch)."""
        if self._boundary is not None:
            self._taken = capture(self, self._boundary)
            self._boundary = None
        return self._taken

    @snapshot.setter
    def snapshot(self, snap: Snapshot | None) -> None:
        self._taken, self._boundary = snap, None

    @property
    def copied(self) -> Snapshot | None:
        """The last snapshot copied (read without copying one)."""
        return self._taken

    def take(self) -> Snapshot | None:
        """Copy the state after epoch `epoch` now, if the live objects still hold it and it is not copied yet."""
        return self.snapshot

    def at_boundary(self, elapsed: float) -> None:
        """The live objects hold the state after epoch `epoch` (`elapsed` seconds in): a snapshot may copy them."""
        self._boundary = elapsed

    def leave_boundary(self) -> None:
        """The live objects are about to change: from now on `snapshot` is the last one copied."""
        self._boundary = None

    @property
    def model(self) -> Module:
        return self.experiment.model

    @property
    def optimizer(self) -> Optimizer:
        return self.experiment.optimizer

    @property
    def scheduler(self) -> LRScheduler | None:
        return self.experiment.scheduler


def copy_tree(obj: Any) -> Any:
    """A deep copy of nested state (dicts, lists, tuples, tensors, arrays), much faster than `copy.deepcopy`."""
    if isinstance(obj, dict):
        return {k: copy_tree(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [copy_tree(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(copy_tree(v) for v in obj)
    if isinstance(obj, Tensor):
        return from_numpy(obj._array.copy())
    if isinstance(obj, np.ndarray):
        return obj.copy()
    if obj is None or isinstance(obj, bool | int | float | str | np.generic):
        return obj
    return copy.deepcopy(obj)


def model_arrays(model: Any) -> dict[str, np.ndarray]:
    """The model's state_dict as fresh numpy arrays."""
    return {name: np.array(_array(value), copy=True) for name, value in model.state_dict().items()}


def capture(state: TrainState, elapsed: float) -> Snapshot:
    """Copy the state at the end of `state.epoch` (nothing in it aliases live training objects).

    The generators' states are only copied when they moved since the last capture (most epochs draw
    nothing from them); the copy then is shared, as snapshots are never changed.
    """
    scheduler = state.scheduler
    shuffle = state.shuffle_rng.bit_generator.state  # a fresh dict of numbers each time
    return Snapshot(
        epoch=state.epoch,
        model=model_arrays(state.model),
        optimizer=state.optimizer.state_dict(),  # already a copy: Optimizer.state_dict() copies every tensor
        scheduler=copy_tree(scheduler.state_dict()) if scheduler is not None else None,
        rng=_unchanged(state.reuse, "rng", _generator_key(trainer_random.default_generator),
                       lambda: copy_tree(trainer_random.get_rng_state())),
        shuffle_rng=_unchanged(state.reuse, "shuffle_rng", shuffle, lambda: copy_tree(shuffle)),
        history=state.history,  # shared, not copied: copying every epoch would cost O(epochs^2)
        early_stopping=state.early_stopping.state_dict() if state.early_stopping is not None else None,
        elapsed=elapsed,
        best=state.best.state_dict() if state.best is not None else None,
    )


def _unchanged(reuse: dict[str, tuple[Any, Any]], name: str, key: Any, make: Any) -> Any:
    """`make()`, or the value it gave last time when `key` (everything the value is made of) is unchanged."""
    if key is not None:
        cached = reuse.get(name)
        if cached is not None and _same(cached[0], key):
            return cached[1]
    value = make()
    if key is not None:
        reuse[name] = (key, value)
    return value


def _generator_key(generator: Any) -> Any:
    """Everything `Generator.get_state()` is made of: the mt19937 words and position (read in place through
    numpy's documented `ctypes.state_address`: the `state` property costs ~40 us), the seed and the normal
    caches; None (always copy) for a generator built otherwise."""
    try:
        words = (ctypes.c_uint32 * _MT_WORDS).from_address(generator._bits.ctypes.state_address)
        return (bytes(words), generator._seed, generator._fresh, generator._normal, generator._normal_f)
    except (AttributeError, TypeError, ValueError):
        return None


_MT_WORDS = 625  # numpy's mt19937_state: uint32_t key[624], then int pos


def _same(a: Any, b: Any) -> bool:
    """Exact equality of nested state (dicts, lists, tuples, arrays, numbers; NaN never equals)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and bool((a == b).all())
    return bool(a == b)


def restore(state: TrainState, snap: Snapshot) -> None:
    """Put a snapshot back into live objects: weights, optimizer, scheduler, RNGs, history, early stopping."""
    load_model_arrays(state.model, snap.model)
    state.optimizer.load_state_dict(copy_tree(snap.optimizer))
    if state.scheduler is not None and snap.scheduler is not None:
        state.scheduler.load_state_dict(copy_tree(snap.scheduler))
    elif (state.scheduler is None) != (snap.scheduler is None):
        raise UserError("the checkpoint and the config disagree on whether a scheduler is used", key="scheduler")
    trainer_random.set_rng_state(copy_tree(snap.rng))
    state.shuffle_rng.bit_generator.state = copy_tree(snap.shuffle_rng)
    state.history = [dict(row) for row in snap.rows()]
    if state.early_stopping is not None and snap.early_stopping is not None:
        state.early_stopping.load_state_dict(snap.early_stopping)
    if state.best is not None and snap.best is not None:
        state.best.load_state_dict(snap.best)
    state.epoch = snap.epoch
    state.elapsed_before = snap.elapsed
    state.snapshot = snap


def load_model_arrays(model: Any, arrays: dict[str, np.ndarray]) -> None:
    """Load weights into `model`, naming the first parameter whose name or shape does not match."""
    expected = {name: _array(value).shape for name, value in model.state_dict().items()}
    missing = [name for name in expected if name not in arrays]
    extra = [name for name in arrays if name not in expected]
    if missing or extra:
        raise UserError(
            f"the checkpoint does not fit the model: missing {missing or 'nothing'}, unexpected {extra or 'nothing'}",
            key="model", hint="resume with the config the run was started with")
    for name, shape in expected.items():
        got = tuple(arrays[name].shape)
        if got != tuple(shape):
            raise UserError(f"checkpoint parameter {name!r} has shape {got} but the model's is {tuple(shape)}",
                            key="model", hint="resume with the config the run was started with")
    model.load_state_dict({name: np.asarray(arr) for name, arr in arrays.items()})


def _array(value: Any) -> np.ndarray:
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)
