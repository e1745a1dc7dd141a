"""The training layer: the loop, its callbacks, checkpoints and resume, and the run directory's files.

Every public name is imported on first access: the experiment process of a sweep writes files with `atomic` and
reads them with `run_files` without importing the loop (and with it nn, optim and autograd); most runs use neither
tracker (`TensorBoardLogger`, `MlflowLogger`).
"""

from .._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "Callback": "callbacks", "EpochEvent": "callbacks", "EarlyStopping": "early_stopping", "Trainer": "loop",
    "PrintReport": "report", "EarlyStoppingSettings": "settings", "LoopSettings": "settings", "Trainable": "trainable",
    "MlflowLogger": "mlflow_log", "TensorBoardLogger": "tensorboard_log",
})

__all__ = [
    "Callback", "EarlyStopping", "EarlyStoppingSettings", "EpochEvent", "LoopSettings", "MlflowLogger", "PrintReport",
    "TensorBoardLogger", "Trainable", "Trainer",
]
