"""Picklable functions for executor tests (spawned workers import them by module name)."""

from __future__ import annotations

import os
import time


def square(x: int) -> int:
    """x squared, after a short pause so several calls overlap."""
    time.sleep(0.05)
    return x * x


def fail(x: int) -> int:
    """Raise a plain exception."""
    raise ValueError(f"bad value {x}")


def die_on(x: int, bad: int) -> int:
    """Kill the worker process outright when `x == bad`, else return x."""
    if x == bad:
        os._exit(13)
    time.sleep(0.2)
    return x


def die_once(marker: str, value: int) -> int:
    """Kill the worker process the first time (leaving `marker` behind), return `value` on the retry."""
    from pathlib import Path

    path = Path(marker)
    if not path.exists():
        path.write_text("died once")
        os._exit(13)
    return value


def warm_pid() -> tuple[int, bool]:
    """This worker's pid, and whether a run's modules were imported before this call reached it."""
    import sys

    return os.getpid(), "trainer.runner" in sys.modules and "trainer.experiments.worker" in sys.modules
