"""`build_experiment`: a validated config -> data, model, loss, optimizer and scheduler, checked to fit together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..autograd import Tensor, get_default_dtype, manual_seed, set_default_dtype
from ..config.loading import load_config
from ..config.registry import LossFacts, lookup
from ..config.resolve import resolved
from ..config.schema import RunConfig
from ..data import Dataset, make_dataset
from ..data.preprocessing import Preprocessing, preprocessing_of
from ..errors import UserError
from ..training.trainable import Trainable
from .checks import PROBE_ROWS, check_batch_norm_batches, check_metrics, check_monitors, check_output, check_task
from .memory import Limit, check_model_memory, memory_limit
from .model import BuiltModel, LayerShape, build_model, component_kwargs
from .objective import build_objective, objective_value
from .optimizer import build_optimizer, build_scheduler, steps_per_epoch
from .targets import convert_targets, point_prediction

COMMON_DATA_KEYS = ("type", "val_fraction", "shuffle", "standardize")


@dataclass(kw_only=True)
class Experiment(Trainable):
    """What a config builds: the loop's `Trainable` plus the config and what the builders decided."""

    config: RunConfig
    scheduler_interval: str  # "epoch" or "batch"
    scheduler_monitor: str | None  # plateau's metrics column (None: the loop's default)
    metrics: tuple[str, ...]
    task: str  # "regression", "binary" or "multiclass"
    target_kind: str  # see config.registry.LossFacts.targets
    logits: bool  # binary outputs are thresholded at 0 (True) or at 0.5 (probabilities)
    resolved: dict[str, Any] = field(default_factory=dict)  # the config with every builder default filled in
    layers: tuple[LayerShape, ...] = ()  # each layer's probed output shape and parameter count (trainer validate)
    preprocessing: Preprocessing | None = None  # what raw inputs go through (None for an objective)


def _data(cfg: RunConfig, dtype: np.dtype, facts: LossFacts, limit: Limit) -> Dataset:
    spec = cfg.data
    args = {k: v for k, v in spec.model_dump().items() if k not in COMMON_DATA_KEYS}
    return make_dataset(spec.type, args, seed=cfg.seed, dtype=dtype, val_fraction=spec.val_fraction,
                        shuffle=spec.shuffle, standardize=spec.standardize, base_dir=cfg.base_dir,
                        classification=facts.classification, max_bytes=limit.bytes)


def build_loss(cfg: RunConfig, dtype: np.dtype) -> Callable[[Tensor, Tensor], Tensor]:
    spec = cfg.loss
    entry = lookup("loss", spec.type, "loss")
    try:
        module = entry.load()(**component_kwargs(spec, entry, dtype))
    except (ValueError, TypeError) as exc:
        raise UserError(f"cannot build loss '{spec.type}': {exc}", key="loss") from None
    if spec.type != "gaussian_nll":
        return module

    def gaussian_nll(output: Tensor, target: Tensor) -> Tensor:
        """The first half of the output columns is the mean, the second half the log-variance."""
        k = output.shape[1] // 2
        return module(output[:, :k], target, output[:, k:].exp())

    return gaussian_nll


def _resolved(cfg: RunConfig, built: BuiltModel | None, metrics: tuple[str, ...], interval: str | None,
              filled: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out = resolved(cfg)
    for i, values in (built.inferred.items() if built is not None else ()):
        out["model"]["layers"][i].update(values)
    out["training"]["metrics"] = list(metrics)
    if out.get("scheduler") is not None:
        out["scheduler"]["interval"] = interval
        for key, values in filled.items():
            node = out
            for part in key.split("."):
                node = node[int(part)] if isinstance(node, list) else node[part]
            node.update(values)
    return out


def build_experiment(cfg: RunConfig) -> Experiment:
    """Build a run's objects in the seeding contract's order, checking that they fit together.

    1. data from its own generators (derived from `seed`); 2. `manual_seed(seed)`, then the model
    (so every optimizer of a comparison starts from the same weights); 3. the optimizer; 4. the scheduler.
    Shapes, tasks and losses are checked with a forward pass on two rows under no_grad.
    """
    try:
        return _build(cfg)
    except UserError as err:
        if err.file is None and cfg.source is not None:
            err.file = str(cfg.source)
        raise


def _build_objective(cfg: RunConfig) -> Experiment:
    dtype = np.dtype(cfg.training.dtype)
    saved_dtype = get_default_dtype()
    set_default_dtype(dtype)
    try:
        built = build_objective(cfg)
    finally:
        set_default_dtype(saved_dtype)
    return Experiment(
        config=cfg, data=built.data, model=built.model, loss_fn=objective_value, optimizer=built.optimizer,
        scheduler=built.scheduler, scheduler_interval=built.interval or "epoch",
        scheduler_monitor=getattr(cfg.scheduler, "monitor", None), metrics=(), task="objective", dtype=dtype,
        target_kind="none", logits=True, measures=built.model.measures, measure_columns=built.model.measure_columns(),
        unranked=built.model.COORDINATES,
        resolved=_resolved(cfg, None, (), built.interval, built.filled),
    )


def _build(cfg: RunConfig) -> Experiment:
    if cfg.objective is not None:
        return _build_objective(cfg)
    dtype = np.dtype(cfg.training.dtype)
    facts = lookup("loss", cfg.loss.type).loss
    limit = memory_limit(cfg)
    data = _data(cfg, dtype, facts, limit)
    check_task(cfg, data, facts)
    data = convert_targets(facts, data)
    check_model_memory(cfg, data, dtype, limit)  # before the model (or its probe) allocates anything
    saved_dtype = get_default_dtype()
    set_default_dtype(dtype)
    try:
        manual_seed(cfg.seed)
        built = build_model(cfg.model.layers, data.x_train[:PROBE_ROWS], dtype)
        loss_fn = build_loss(cfg, dtype)
        check_output(cfg, built, data, facts, loss_fn)
        optimizer = build_optimizer(cfg.optimizer, built.model, len(cfg.model.layers))
        scheduler, interval, filled = None, None, {}
        if cfg.scheduler is not None:
            batches = steps_per_epoch(data.n_train, cfg.training.batch_size)
            scheduler, interval, filled = build_scheduler(cfg.scheduler, optimizer, cfg.training.epochs, batches)
    finally:
        set_default_dtype(saved_dtype)
    check_batch_norm_batches(cfg, data)
    metrics = check_metrics(cfg, data)
    check_monitors(cfg, data, metrics)
    return Experiment(
        config=cfg, data=data, model=built.model, loss_fn=loss_fn, optimizer=optimizer, scheduler=scheduler,
        scheduler_interval=interval or "epoch", scheduler_monitor=getattr(cfg.scheduler, "monitor", None),
        metrics=metrics, task=data.task, dtype=dtype, target_kind=facts.targets, logits=facts.logits,
        predict=point_prediction(cfg.loss.type, cfg.loss.model_dump()),
        resolved=_resolved(cfg, built, metrics, interval, filled), layers=built.layers,
        preprocessing=preprocessing_of(data, dtype),
    )


def validate_experiment(source: Any, overrides: Any = ()) -> Experiment:
    """Everything short of training: load and validate the config, build every object, check they fit.

    Takes what `load_config` takes; returns the built Experiment (its model is freshly initialised).
    """
    return build_experiment(load_config(source, overrides))
