"""The run layer: one run from a config into a run directory (new or resumed); takes callbacks, never renders.

`load_run`/`LoadedRun` (reading a finished run back) are imported on first access, so a training run does not
import them.
"""

from .._lazy import lazy_exports
from .run import RESUMABLE_OVERRIDES, RunResult, run
from .validate import describe, validate_run

__getattr__, __dir__ = lazy_exports(__name__, {"LoadedRun": "predict", "load_run": "predict"})

__all__ = ["RESUMABLE_OVERRIDES", "LoadedRun", "RunResult", "describe", "load_run", "run", "validate_run"]
