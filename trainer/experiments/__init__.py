"""Experiments: `compare` optimizers and `sweep` search spaces, fanned out through one executor interface."""

from .compare import compare
from .executors import Executor, LocalExecutor, make_executor
from .jobs import Event
from .sweep import sweep

__all__ = ["Event", "Executor", "LocalExecutor", "compare", "make_executor", "sweep"]
