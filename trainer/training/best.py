"""The best epoch's weights (by the run's monitor), and which weights go to which model file at the end.

`model.npz` is always what predict, evaluate and `load_run` use. It holds the best epoch's weights once a
run with early stopping and `restore_best` has finished (completed or diverged), else the last epoch's.
`best_model.npz` holds the best epoch's weights when a best is tracked and model.npz is not it;
`last_model.npz` the last epoch's when model.npz is not them. A file not needed is removed.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ..metrics import higher_is_better
from .run_files import BEST_MODEL, LAST_MODEL, MODEL
from .state import Snapshot, model_arrays


class BestWeights:
    """Tracks the epoch with the best finite value of `monitor`, the earliest on ties (summary.json's best_epoch)."""

    def __init__(self, monitor: str) -> None:
        self.monitor = monitor
        self.sign = -1.0 if higher_is_better(monitor) else 1.0
        self.epoch: int | None = None
        self.value: float | None = None
        self.model: dict[str, np.ndarray] | None = None

    def update(self, epoch: int, value: Any, model: Any) -> None:
        """Keep a copy of `model`'s weights if this epoch's value is the best so far."""
        if not isinstance(value, float | int) or not math.isfinite(value):
            return
        if self.value is None or self.sign * value < self.sign * self.value:
            self.epoch, self.value, self.model = epoch, float(value), model_arrays(model)

    def state_dict(self) -> dict[str, Any]:
        """The tracked best (its arrays are shared: they are never changed once copied)."""
        return {"epoch": self.epoch, "value": self.value, "model": self.model}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.epoch, self.value, self.model = state["epoch"], state["value"], state["model"]


class ModelFiles(NamedTuple):  # a NamedTuple: ~0.6 ms less at import than a frozen dataclass
    """What the run directory's model files hold at the end."""

    files: dict[str, dict[str, np.ndarray]]  # file name -> state_dict arrays
    model_epoch: int  # the epoch whose weights model.npz holds
    restored_best: bool

    @property
    def model(self) -> dict[str, np.ndarray]:
        return self.files[MODEL]


def model_files(snap: Snapshot, status: str, restore_best: bool) -> ModelFiles:
    """Model files for a run that ended with `status` at snapshot `snap` (the last whole epoch)."""
    best = snap.best if snap.best is not None and snap.best.get("epoch") is not None else None
    if best is None or best["epoch"] == snap.epoch:
        return ModelFiles({MODEL: snap.model}, snap.epoch, False)
    if restore_best and status in ("completed", "diverged"):
        return ModelFiles({MODEL: best["model"], LAST_MODEL: snap.model}, best["epoch"], True)
    return ModelFiles({MODEL: snap.model, BEST_MODEL: best["model"]}, snap.epoch, False)
