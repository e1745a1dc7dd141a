"""The tracker callbacks a config's `training.loggers` asks for (csv needs none: metrics.csv is always written)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import training  # its trackers load on first access
from ..training.callbacks import Callback
from ..training.run_files import TENSORBOARD


def logger_callbacks(loggers: Sequence[str], run_dir: Path, resolved: dict[str, Any], name: str) -> list[Callback]:
    """One callback per tracker, built (and its package checked) before training starts."""
    out: list[Callback] = []
    if "tensorboard" in loggers:
        out.append(training.TensorBoardLogger(run_dir / TENSORBOARD, resolved))
    if "mlflow" in loggers:
        out.append(training.MlflowLogger(run_dir, resolved, name))
    return out
