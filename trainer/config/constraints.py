"""Ranges and choices for arguments whose signatures say only `float` or `str`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

NONLINEARITIES = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                  "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu")


@dataclass(frozen=True)
class Range:
    """A closed or half-open interval a number (or each number of a list) must lie in."""

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False

    def describe(self) -> str:
        if self.high == math.inf:
            return f"{'>' if self.low_open else '>='} {self.low:g}"
        left, right = "(" if self.low_open else "[", ")" if self.high_open else "]"
        return f"in {left}{self.low:g}, {self.high:g}{right}"

    def contains(self, x: float) -> bool:
        above = x > self.low if self.low_open else x >= self.low
        below = x < self.high if self.high_open else x <= self.high
        return above and below

    def check(self, value: Any) -> Any:
        """`value` unchanged, or ValueError naming the offending number."""
        for x in value if isinstance(value, list | tuple) else (value,):
            if isinstance(x, bool) or not isinstance(x, int | float):
                continue
            if not math.isfinite(x) or not self.contains(x):
                raise ValueError(f"must be {self.describe()}, got {x:g}")
        return value


NON_NEGATIVE = Range(0.0)
POSITIVE = Range(0.0, low_open=True)
AT_LEAST_1 = Range(1)
FRACTION = Range(0.0, 1.0, high_open=True)

# (kind, argument) -> range, and (kind, entry, argument) for entry-specific ones (checked first).
RANGES: dict[tuple[str, ...], Range] = {
    ("optimizer", "lr"): NON_NEGATIVE, ("optimizer", "weight_decay"): NON_NEGATIVE,
    ("optimizer", "eps"): NON_NEGATIVE, ("optimizer", "momentum"): NON_NEGATIVE,
    ("optimizer", "betas"): FRACTION, ("optimizer", "rho"): Range(0.0, 1.0),
    ("optimizer", "lr_decay"): NON_NEGATIVE, ("optimizer", "momentum_decay"): NON_NEGATIVE,
    ("optimizer", "initial_accumulator_value"): NON_NEGATIVE, ("optimizer", "alpha"): NON_NEGATIVE,
    ("optimizer", "max_iter"): AT_LEAST_1, ("optimizer", "history_size"): AT_LEAST_1,
    ("optimizer", "ns_steps"): AT_LEAST_1, ("optimizer", "dampening"): NON_NEGATIVE,
    ("layer", "out_features"): AT_LEAST_1, ("layer", "in_features"): AT_LEAST_1,
    ("layer", "num_embeddings"): AT_LEAST_1, ("layer", "embedding_dim"): AT_LEAST_1,
    ("layer", "dropout", "p"): FRACTION, ("layer", "eps"): POSITIVE, ("layer", "beta"): POSITIVE,
    ("layer", "softshrink", "lambd"): NON_NEGATIVE, ("layer", "rrelu", "lower"): NON_NEGATIVE,
    ("layer", "rrelu", "upper"): NON_NEGATIVE, ("layer", "prelu", "num_parameters"): AT_LEAST_1,
    ("data", "n"): AT_LEAST_1, ("data", "d_in"): AT_LEAST_1, ("data", "d_out"): AT_LEAST_1,
    ("data", "n_classes"): Range(2), ("data", "noise"): NON_NEGATIVE,
    ("scheduler", "step_size"): AT_LEAST_1, ("scheduler", "T_max"): AT_LEAST_1, ("scheduler", "T_0"): AT_LEAST_1,
    ("scheduler", "T_mult"): AT_LEAST_1, ("scheduler", "gamma"): POSITIVE, ("scheduler", "total_iters"): NON_NEGATIVE,
    ("scheduler", "base_lr"): NON_NEGATIVE, ("scheduler", "max_lr"): NON_NEGATIVE,
    ("scheduler", "eta_min"): NON_NEGATIVE, ("scheduler", "patience"): NON_NEGATIVE,
    ("scheduler", "cooldown"): NON_NEGATIVE, ("scheduler", "min_lr"): NON_NEGATIVE,
    ("scheduler", "total_steps"): AT_LEAST_1, ("scheduler", "epochs"): AT_LEAST_1,
    ("scheduler", "steps_per_epoch"): AT_LEAST_1, ("scheduler", "pct_start"): Range(0.0, 1.0),
    ("init", "std"): NON_NEGATIVE,
    ("objective", "noise"): NON_NEGATIVE, ("objective", "dimension"): AT_LEAST_1,
    ("objective", "condition_number"): Range(1.0), ("objective", "rotation_seed"): NON_NEGATIVE,
}

# A loss's reductions are a fact of its catalogue entry (`Entry.choices`), not listed here.
CHOICES: dict[tuple[str, ...], Any] = {
    ("init", "mode"): Literal["fan_in", "fan_out"],
    ("init", "nonlinearity"): Literal[NONLINEARITIES],
    ("layer", "gelu", "approximate"): Literal["none", "tanh"],
    ("scheduler", "plateau", "mode"): Literal["min", "max"],
    ("scheduler", "plateau", "threshold_mode"): Literal["rel", "abs"],
    ("scheduler", "cyclic", "mode"): Literal["triangular", "triangular2", "exp_range"],
    ("scheduler", "cyclic", "scale_mode"): Literal["cycle", "iterations"] | None,
    ("scheduler", "onecycle", "anneal_strategy"): Literal["cos", "linear"],
    ("optimizer", "lbfgs", "line_search_fn"): Literal["strong_wolfe"] | None,
    ("optimizer", "muon", "adjust_lr_fn"): Literal["original", "match_rms_adamw"] | None,
}


def range_for(kind: str, entry: str, arg: str) -> Range | None:
    """The range an argument must lie in, if any."""
    return RANGES.get((kind, entry, arg), RANGES.get((kind, arg)))


def choices_for(entry: Any, arg: str) -> Any:
    """A Literal type listing an argument's allowed strings, if any (the entry's own facts first)."""
    own = entry.choices(arg)
    if own is not None:
        return own
    return CHOICES.get((entry.kind, entry.name, arg), CHOICES.get((entry.kind, arg)))
