"""A RunConfig as the plain dict written to a run's `config.yaml`: every default the builders would use filled in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..data import CLASSIFICATION_TYPES, LOADERS, REGRESSION_SETS
from ..data.files import resolve_data_path
from ..metrics import default_metrics
from .registry import lookup

if TYPE_CHECKING:  # the schema imports this module; a run config is only read here
    from .schema import RunConfig


def default_interval(scheduler: Any) -> str:
    """Per batch for cyclic and onecycle (and composites holding one), per epoch otherwise."""
    kinds = {scheduler.type, *(s.type for s in getattr(scheduler, "schedulers", []))}
    return "batch" if any(lookup("scheduler", kind).interval == "batch" for kind in kinds) else "epoch"


def config_task(cfg: RunConfig) -> str:
    """'classification', 'regression' or 'objective', as far as the config alone tells (files: by the loss)."""
    if cfg.objective is not None:
        return "objective"
    if cfg.data.type in CLASSIFICATION_TYPES:
        return "classification"
    if cfg.data.type == "dataset":  # a bundled set's task is its own
        return "regression" if cfg.data.name in REGRESSION_SETS else "classification"
    if cfg.data.type in LOADERS:
        task = cfg.data.task
        if task == "auto":
            return "classification" if lookup("loss", cfg.loss.type).loss.classification else "regression"
        return task
    return "regression"


def resolved(cfg: RunConfig) -> dict[str, Any]:
    """Every key with its value or default: metrics by task, the scheduler's interval, absolute data paths."""
    out = cfg.model_dump(mode="json", by_alias=True)
    for key in ("compare", "sweep", "objective", "data", "model", "loss"):
        if out.get(key) is None:
            out.pop(key, None)
    if out["training"]["metrics"] is None:
        task = config_task(cfg)
        out["training"]["metrics"] = [] if task == "objective" else list(default_metrics(task))
    if cfg.scheduler is not None and out["scheduler"]["interval"] is None:
        out["scheduler"]["interval"] = default_interval(cfg.scheduler)
    for key in ("path", "data_home"):
        if out.get("data", {}).get(key) is not None:
            out["data"][key] = str(resolve_data_path(out["data"][key], cfg.base_dir))
    return out
