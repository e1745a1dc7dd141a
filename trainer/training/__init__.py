"""The training loop, its callbacks, metrics, checkpoints and resume, and the run directory."""

from .callbacks import Callback, EpochEvent
from .early_stopping import EarlyStopping
from .loop import Trainer
from .metrics import METRICS, compute_metrics, default_metrics
from .settings import EarlyStoppingSettings, LoopSettings

__all__ = [
    "METRICS", "Callback", "EarlyStopping", "EarlyStoppingSettings", "EpochEvent", "LoopSettings", "Trainer",
    "compute_metrics", "default_metrics",
]
