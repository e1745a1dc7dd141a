"""Experiments: `compare` optimizers, `sweep` search spaces, `benchmark` suites; one executor interface."""

from .benchmark import benchmark
from .compare import compare
from .executors import Executor, LocalExecutor, make_executor
from .jobs import Event
from .sweep import sweep

__all__ = ["Event", "benchmark", "Executor", "LocalExecutor", "compare", "make_executor", "sweep"]
