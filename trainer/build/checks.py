"""Checks that the built pieces fit together, found before any training: tasks, shapes, metrics, monitors."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from ..autograd import Tensor, from_numpy, no_grad
from ..config.registry import LossFacts, lookup
from ..config.schema import RunConfig
from ..data import Dataset
from ..errors import UserError
from ..metrics import METRICS, default_metrics
from .model import BuiltModel
from .shapes import rows
from .targets import output_width

PROBE_ROWS = 2


def check_task(cfg: RunConfig, data: Dataset, facts: LossFacts) -> None:
    loss = cfg.loss.type
    if facts.classification and facts.targets != "distribution" and not data.is_classification:
        raise UserError(f"'{loss}' is a classification loss but the data ('{cfg.data.type}') is regression",
                        key="loss.type", hint="use a regression loss such as mse, l1 or huber")
    if not facts.classification and data.is_classification:
        raise UserError(f"'{loss}' is a regression loss but the data ('{cfg.data.type}') has class labels",
                        key="loss.type", hint="use cross_entropy (or bce_with_logits for two classes)")
    if facts.targets in ("binary", "sign") and data.task != "binary":
        raise UserError(f"'{loss}' needs two classes but the data has {data.n_classes}", key="loss.type",
                        hint="use cross_entropy for more than two classes")


def check_output(cfg: RunConfig, built: BuiltModel, data: Dataset, facts: LossFacts,
                  loss_fn: Callable[[Tensor, Tensor], Tensor]) -> None:
    loss, out = cfg.loss.type, built.output
    layers = cfg.model.layers
    last = len(layers) - 1
    owner = built.width_layer if built.width_layer is not None else last
    key = f"model.layers.{owner}"
    if "out_features" in type(layers[owner]).model_fields:
        key += ".out_features"
    want = output_width(facts, data)
    y = data.y_train[:PROBE_ROWS]
    target_shape = "(n,)" if y.ndim == 1 else f"(n, {y.shape[1]})"
    got = "(n, " + ", ".join(map(str, out.shape[1:])) + ")"
    if out.ndim != 2 or out.shape[1] != want:
        _check_flat_linear(built)
        what = {"index": f"one output per class ({data.n_classes} classes)", "gaussian": "a mean and a log-variance "
                f"column per target column ({want})", "binary": "1 output (a logit or probability per row)",
                "sign": "1 output per row"}.get(facts.targets, f"{want} output{'s' * (want != 1)}")
        raise UserError(f"model.layers.{owner} ('{layers[owner].type}') gives outputs of shape {got}, but '{loss}' "
                        f"against targets of shape {target_shape} needs {what}", key=key,
                        hint="put {type: flatten} before the last linear layer" if out.ndim > 2 else
                        f"make the last layer give {want} output{'s' * (want != 1)}")
    needs = facts.last_layer
    if needs and layers[last].type not in needs:
        raise UserError(f"'{loss}' expects the model to end with {needs[0]}, but the last layer is "
                        f"'{layers[last].type}'", key=f"model.layers.{last}",
                        hint="use bce_with_logits on raw outputs" if loss == "bce" else
                        "use cross_entropy on raw outputs")
    try:
        with no_grad(), np.errstate(all="ignore"), warnings.catch_warnings():
            # PyTorch's losses only warn when they broadcast a target of another shape; a run refuses it
            warnings.filterwarnings("error", message="Using a target size", category=UserWarning)
            value = loss_fn(out, from_numpy(y))
    except (ValueError, TypeError, IndexError, RuntimeError, UserWarning) as exc:
        raise UserError(f"'{loss}' cannot compare outputs of shape {got} with targets of shape {target_shape}: {exc}",
                        key="loss") from None
    if value.ndim != 0:
        raise UserError(f"reduction '{cfg.loss.reduction}' gives one loss per element; training needs one number",
                        key="loss.reduction", hint="use 'mean' or 'sum'")


def _check_flat_linear(built: BuiltModel) -> None:
    """A linear layer given (n, C, H, W) applies to the last dim only, as PyTorch's does; when the model's
    output then does not fit the loss, that layer is what the user must change."""
    for layer in built.layers:
        if lookup("layer", layer.type).name == "linear" and len(layer.input_shape) > 2:
            raise UserError(f"linear needs a flat input but gets {rows(layer.input_shape)}; it would act on the last "
                            f"dim only and give {rows(layer.output_shape)}", key=f"model.layers.{layer.index}",
                            hint="put {type: flatten} before it")


def check_batch_norm_batches(cfg: RunConfig, data: Dataset) -> None:
    """BatchNorm needs more than one row per training batch; a batch of one row is found before training."""
    norms = [i for i, layer in enumerate(cfg.model.layers) if layer.type == "batchnorm1d"]
    if not norms:
        return
    n = len(data.x_train)
    size = cfg.training.batch_size or n
    if n == 1 or size == 1 or n % size == 1:
        last = 1 if n == 1 or size == 1 else n % size
        raise UserError(f"batchnorm1d (model.layers.{norms[0]}) needs more than 1 row per training batch, but "
                        f"{n} training rows in batches of {size} leave a batch of {last}",
                        key="training.batch_size", hint="choose a batch size that does not leave a single row over")


def check_metrics(cfg: RunConfig, data: Dataset) -> tuple[str, ...]:
    names = tuple(cfg.training.metrics) if cfg.training.metrics is not None else default_metrics(data.task)
    task = "classification" if data.is_classification else "regression"
    for i, name in enumerate(names):
        if METRICS[name].task != task:
            raise UserError(f"metric '{name}' is for {METRICS[name].task}, but this is {task}",
                            key=f"training.metrics.{i}", hint=f"metrics for {task}: "
                            f"{', '.join(n for n, m in METRICS.items() if m.task == task)}")
    return names


def check_monitors(cfg: RunConfig, data: Dataset, metrics: tuple[str, ...]) -> None:
    prefix = "val_" if data.has_val else "train_"
    columns = ["train_loss", *(["val_loss"] if data.has_val else []), *(prefix + m for m in metrics)]
    accepted = set(columns) | set(metrics)
    stop = cfg.training.early_stopping
    best = getattr(cfg.training.save_best, "monitor", None)
    watched = [("training.early_stopping.monitor", stop.monitor if stop else None),
               ("scheduler.monitor", getattr(cfg.scheduler, "monitor", None)), ("training.save_best.monitor", best)]
    if stop is not None and best is not None and best != stop.monitor:
        raise UserError(f"early stopping judges the best epoch by {stop.monitor or 'its default monitor'}, so "
                        f"save_best cannot use '{best}'", key="training.save_best.monitor",
                        hint="drop save_best.monitor, or set training.early_stopping.monitor to it")
    for key, name in watched:
        if name is not None and name not in accepted:
            hint = "val_loss needs data.val_fraction > 0" if name.startswith("val_") and not data.has_val else None
            raise UserError(f"cannot monitor '{name}': this run records {', '.join(columns)}", key=key, hint=hint)


