"""The run layer: one run from a config into a run directory (new or resumed); takes callbacks, never renders."""

from .predict import LoadedRun, load_run
from .run import RESUMABLE_OVERRIDES, RunResult, run
from .validate import describe, validate_run

__all__ = ["RESUMABLE_OVERRIDES", "LoadedRun", "RunResult", "describe", "load_run", "run", "validate_run"]
