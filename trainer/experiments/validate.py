"""`trainer validate` for a config with `compare:` / `sweep:` blocks: the run's checks, then the blocks' own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..build import LayerShape
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


@dataclass(frozen=True)
class Validation:
    """What `trainer validate` reports: a one-line description, and each layer's probed shape and parameters."""

    description: str
    input_shape: tuple[int, ...] | None  # one row of the data, the row count first (None: an objective)
    layers: tuple[LayerShape, ...]


def validate_report(source: Any, overrides: Sequence[str] = ()) -> Validation:
    """Check a config as far as possible without training; what it builds, layer by layer."""
    exp = validate_run(source, overrides)
    check_experiment_blocks(exp.config)
    if exp.config.objective is not None:
        return Validation(describe(exp), None, ())
    return Validation(describe(exp), exp.layers[0].input_shape if exp.layers else None, exp.layers)


def validate(source: Any, overrides: Sequence[str] = ()) -> str:
    """Check a config as far as possible without training; a one-line description of what it builds."""
    return validate_report(source, overrides).description
