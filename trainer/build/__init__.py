"""The build layer: a validated config -> a typed `Experiment` (data, model, loss, optimizer, scheduler, metrics).

Everything is checked to fit together here (tasks, shapes, metrics, monitors) before any training.
"""

from .experiment import Experiment, build_experiment, validate_experiment
from .model import LayerShape
from .objective import make_objective
from .optimizer import ScheduleTooShort
from .settings import loop_settings

__all__ = ["Experiment", "LayerShape", "ScheduleTooShort", "build_experiment", "loop_settings", "make_objective",
           "validate_experiment"]
