"""An `objective:` config's pieces: the point as the model, f as the loss, one optimizer step per epoch.

The data is one empty row, so every epoch is one full batch: one forward (f at the point), one
backward, one step. The loop then records the objective's measures (f after the step, the distance
to the nearest known minimum and, in 2-D, the coordinates) as metrics columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..autograd import Tensor, get_default_dtype, manual_seed, set_default_dtype
from ..config.registry import lookup
from ..config.schema import RunConfig
from ..data import Dataset
from ..errors import UserError
from ..objectives import Objective
from .optimizer import build_optimizer, build_scheduler

BUILD_ERRORS = (ValueError, TypeError)


@dataclass
class BuiltObjective:
    """What `build_objective` made."""

    model: Objective
    data: Dataset
    optimizer: Any
    scheduler: Any
    interval: str | None
    filled: dict[str, dict[str, Any]]


def objective_value(output: Tensor, target: Tensor) -> Tensor:
    """The loss of an objective run: the objective's value itself (there are no targets)."""
    return output


def one_empty_row(dtype: np.dtype) -> Dataset:
    """The data of an objective run: one row with no features, so an epoch is exactly one step."""
    empty = np.zeros((1, 0), dtype=dtype)
    return Dataset(x_train=empty, y_train=empty.copy(), x_val=None, y_val=None, task="objective",  # type: ignore[arg-type]
                   n_classes=None, in_features=0, out_features=0)


def make_objective(cfg: RunConfig) -> Objective:
    """The config's objective at its start point, in the run's dtype (for the builder, and for plots)."""
    spec = cfg.objective
    entry = lookup("objective", spec.type, "objective")
    kwargs = {k: v for k, v in spec.model_dump().items() if k != "type"}
    saved = get_default_dtype()
    set_default_dtype(np.dtype(cfg.training.dtype))
    try:
        return entry.load()(**kwargs)
    except BUILD_ERRORS as exc:
        text = str(exc)
        key = next((f"objective.{k}" for k in ("start", "center") if text.startswith(k)), "objective")
        if "rotation of dimension" in text:
            key = "objective.rotate"
        raise UserError(f"cannot build objective '{spec.type}': {text}", key=key) from None
    finally:
        set_default_dtype(saved)


def check_objective_training(cfg: RunConfig, columns: tuple[str, ...]) -> None:
    """Settings that mean nothing for an objective, and monitors it cannot record."""
    t = cfg.training
    if t.metrics:
        raise UserError(f"an objective records {', '.join(columns)}; training.metrics does not apply",
                        key="training.metrics", hint="remove training.metrics")
    if t.batch_size is not None:
        raise UserError("an objective has no data to batch: every epoch is one optimizer step",
                        key="training.batch_size", hint="remove training.batch_size")
    accepted = ("train_loss", *columns)
    watched = [("training.early_stopping.monitor", t.early_stopping.monitor if t.early_stopping else None),
               ("scheduler.monitor", getattr(cfg.scheduler, "monitor", None))]
    for key, name in watched:
        if name is not None and name not in accepted:
            raise UserError(f"cannot monitor '{name}': this run records {', '.join(accepted)}", key=key)


def build_objective(cfg: RunConfig) -> BuiltObjective:
    """The objective (seeded like a model, under the run's default dtype), its optimizer and scheduler."""
    dtype = np.dtype(cfg.training.dtype)
    manual_seed(cfg.seed)  # the gradient noise draws from the global generator, as a model's dropout would
    model = make_objective(cfg)
    check_objective_training(cfg, model.measure_columns())
    optimizer = build_optimizer(cfg.optimizer, model, 0)
    scheduler, interval, filled = None, None, {}
    if cfg.scheduler is not None:
        scheduler, interval, filled = build_scheduler(cfg.scheduler, optimizer, cfg.training.epochs, 1)
    return BuiltObjective(model, one_empty_row(dtype), optimizer, scheduler, interval, filled)
