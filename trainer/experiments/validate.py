"""`trainer validate` for a config with `compare:` / `sweep:` blocks: the run's checks, then the blocks' own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..config import RunConfig
from ..errors import UserError
from ..runner import describe, validate_run
from .compare import plan_compare
from .sweep import plan_sweep


def check_experiment_blocks(cfg: RunConfig) -> None:
    """A config's compare: list and sweep: block get the checks `trainer compare` / `trainer sweep` make."""
    for block, plan in (("compare", plan_compare), ("sweep", plan_sweep)):
        if getattr(cfg, block) is None:
            continue
        try:
            plan(cfg)
        except UserError as exc:
            if exc.file is None and cfg.source is not None:
                exc.file = str(cfg.source)
            key = (exc.key or "").removeprefix("optimizers.")
            exc.key = key if key.startswith(block) else f"{block}.{key}" if key else block
            raise


def validate(source: Any, overrides: Sequence[str] = ()) -> str:
    """Check a config as far as possible without training; a one-line description of what it builds."""
    exp = validate_run(source, overrides)
    check_experiment_blocks(exp.config)
    return describe(exp)
