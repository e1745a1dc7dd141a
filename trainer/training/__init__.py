"""The training layer: the loop, its callbacks, checkpoints and resume, and the run directory's files."""

from .callbacks import Callback, EpochEvent
from .early_stopping import EarlyStopping
from .loop import Trainer
from .report import PrintReport
from .settings import EarlyStoppingSettings, LoopSettings
from .trainable import Trainable

__all__ = [
    "Callback", "EarlyStopping", "EarlyStoppingSettings", "EpochEvent", "LoopSettings", "PrintReport", "Trainable",
    "Trainer",
]
