"""What the tracker loggers (TensorBoard, MLflow) share: the optional import, flat params, numeric cells."""

from __future__ import annotations

import math
from typing import Any

from ..errors import require_extra

EXTRAS = {"tensorboard": ("tensorboardX", "tensorboard"), "mlflow": ("mlflow", "mlflow")}  # module, extra
LOGGERS = ("csv", "tensorboard", "mlflow")  # csv is metrics.csv, which every run writes anyway
_NOT_RANKED = ("lr", "seconds")


def require(logger: str, key: str = "training.loggers") -> Any:
    """The tracker's package (imported here, on first use), or a `MissingExtra` naming the install command."""
    module, extra = EXTRAS[logger]
    return require_extra(module, extra, feature=f"the {logger} logger", key=key)


def check_loggers(loggers: list[str] | tuple[str, ...], key: str = "training.loggers") -> None:
    """Fail before any training when a named tracker's extra is missing."""
    for logger in loggers:
        if logger in EXTRAS:
            require(logger, key)


def flatten(config: Any, prefix: str = "") -> dict[str, str | int | float | bool]:
    """A nested config as `{"optimizer.lr": 0.08, "model.layers.0.type": "linear", ...}` (None as "null")."""
    if isinstance(config, dict):
        items = config.items()
    elif isinstance(config, list | tuple):
        items = ((str(i), v) for i, v in enumerate(config))
    else:
        return {prefix: "null" if config is None else config}
    out: dict[str, str | int | float | bool] = {}
    for key, value in items:
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict | list | tuple) and not value:
            out[name] = "[]" if isinstance(value, list | tuple) else "{}"
        else:
            out.update(flatten(value, name))
    return out


def number(value: Any) -> float | None:
    """A metrics cell as a float, or None when it holds no number (empty, text)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def scalars(row: dict[str, Any]) -> dict[str, float]:
    """One metrics.csv row's finite numbers by column (a diverged epoch's NaN/inf left out), but not the epoch."""
    out = {}
    for col, value in row.items():
        x = number(value)
        if col != "epoch" and x is not None and math.isfinite(x):
            out[col] = x
    return out


def final_metrics(summary: dict[str, Any]) -> dict[str, float]:
    """The summary's finite `final_<column>` values (the learning rate left out)."""
    out = {}
    for key, value in summary.items():
        x = number(value)
        if key.startswith("final_") and key[len("final_"):] not in _NOT_RANKED and x is not None and math.isfinite(x):
            out[key] = x
    return out
