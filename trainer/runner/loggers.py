"""The tracker callbacks a config's `training.loggers` asks for (csv needs none: metrics.csv is always written)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..training.callbacks import Callback
from ..training.mlflow_log import MlflowLogger
from ..training.run_files import TENSORBOARD
from ..training.tensorboard_log import TensorBoardLogger


def logger_callbacks(loggers: Sequence[str], run_dir: Path, resolved: dict[str, Any], name: str) -> list[Callback]:
    """One callback per tracker, built (and its package checked) before training starts."""
    out: list[Callback] = []
    if "tensorboard" in loggers:
        out.append(TensorBoardLogger(run_dir / TENSORBOARD, resolved))
    if "mlflow" in loggers:
        out.append(MlflowLogger(run_dir, resolved, name))
    return out
