"""The training layer: the loop, its callbacks, checkpoints and resume, and the run directory's files.

The trackers (`TensorBoardLogger`, `MlflowLogger`) are imported on first access: most runs use neither.
"""

from .._lazy import lazy_exports
from .callbacks import Callback, EpochEvent
from .early_stopping import EarlyStopping
from .loop import Trainer
from .report import PrintReport
from .settings import EarlyStoppingSettings, LoopSettings
from .trainable import Trainable

__getattr__, __dir__ = lazy_exports(__name__, {"MlflowLogger": "mlflow_log", "TensorBoardLogger": "tensorboard_log"})

__all__ = [
    "Callback", "EarlyStopping", "EarlyStoppingSettings", "EpochEvent", "LoopSettings", "MlflowLogger", "PrintReport",
    "TensorBoardLogger", "Trainable", "Trainer",
]
