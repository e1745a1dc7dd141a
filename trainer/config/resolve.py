"""A RunConfig as the plain dict written to a run's `config.yaml`, and the JSON Schema for editors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .schema import RunConfig, default_interval
from .targets import loss_target


def config_task(cfg: RunConfig) -> str:
    """'classification' or 'regression', as far as the config alone tells (files: by the loss)."""
    from ..data import CLASSIFICATION_TYPES, LOADERS

    if cfg.data.type in CLASSIFICATION_TYPES:
        return "classification"
    if cfg.data.type in LOADERS:
        task = cfg.data.task
        if task == "auto":
            return "classification" if loss_target(cfg.loss.type).classification else "regression"
        return task
    return "regression"


def resolved(cfg: RunConfig) -> dict[str, Any]:
    """Every key with its value or default: metrics by task, the scheduler's interval, absolute data paths."""
    from ..training.metrics import default_metrics

    out = cfg.model_dump(mode="json", by_alias=True)
    for key in ("compare", "sweep"):
        if out.get(key) is None:
            out.pop(key, None)
    if out["training"]["metrics"] is None:
        out["training"]["metrics"] = list(default_metrics(config_task(cfg)))
    if cfg.scheduler is not None and out["scheduler"]["interval"] is None:
        out["scheduler"]["interval"] = default_interval(cfg.scheduler)
    if "path" in out["data"]:
        path = Path(out["data"]["path"]).expanduser()
        out["data"]["path"] = str(path if path.is_absolute() else (cfg.base_dir / path).resolve())
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a run config (for `trainer schema` and YAML language servers)."""
    schema = RunConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema.setdefault("title", "trainer run config")
    return schema
