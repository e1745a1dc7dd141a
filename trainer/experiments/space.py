"""The search space of a sweep: a grid (every combination) times N seeded random draws from ranges.

A point is an ordered dict of dotted config keys to values. The random draws come from their own
generator seeded by `random_seed`, so the same command always plans the same points (which is what
lets a rerun recognise its finished runs).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config.values import parse_value, split_assignment, split_top_level
from ..errors import UserError

Point = dict[str, Any]


@dataclass(frozen=True)
class Range:
    """Where a random search draws one key from: [low, high], linear or log scale, floats or integers."""

    low: float
    high: float
    log: bool = False
    integer: bool = False

    def draw(self, rng: np.random.Generator) -> float | int:
        """One value, uniform on the chosen scale."""
        if self.log:
            value = math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        else:
            value = rng.uniform(self.low, self.high)
        return self._cast(value)

    def bound(self, which: str) -> float | int:
        """The `low` or `high` end as a draw would give it (an int for an integer range)."""
        return self._cast(self.low if which == "low" else self.high)

    def _cast(self, value: float) -> float | int:
        if self.integer:
            return int(min(max(round(value), self.low), self.high))
        return float(value)


class FlagValues(dict):
    """A grid or ranges mapping read from command-line flags: errors name the flag (`--grid KEY`), not a key path."""

    def __init__(self, flag: str, values: Mapping[str, Any] | None = None) -> None:
        super().__init__(values or {})
        self.flag = flag


def parse_range(key: str, spec: Any) -> Range:
    """`"1e-4:1e-1:log"`, `"16:128"` (integers), `"0:1"` (floats), `"LOW:HIGH[:log][:int|:float]"`,
    `[low, high]` or `{low, high, log, integer}` → `Range`."""
    where = f"ranges.{key}"
    if isinstance(spec, Range):
        return spec
    if isinstance(spec, Mapping):
        unknown = set(spec) - {"low", "high", "log", "integer"}
        if unknown or not {"low", "high"} <= set(spec):
            raise UserError(f"a range needs low and high (and optionally log, integer), got {dict(spec)}", key=where)
        low, high, log, integer = spec["low"], spec["high"], bool(spec.get("log")), spec.get("integer")
    elif isinstance(spec, list | tuple) and len(spec) in (2, 3):
        low, high = spec[0], spec[1]
        log = len(spec) == 3 and spec[2] == "log"
        if len(spec) == 3 and spec[2] not in ("log", "linear"):
            raise UserError(f"a range's scale is 'log' or 'linear', got {spec[2]!r}", key=where)
        integer = None
    elif isinstance(spec, str):
        parts = spec.split(":")
        flags = parts[2:]
        if len(parts) < 2 or len(set(flags)) != len(flags) or not set(flags) <= {"log", "linear", "int", "float"} \
                or {"log", "linear"} <= set(flags) or {"int", "float"} <= set(flags):
            raise UserError(f"cannot read the range {spec!r}", key=where,
                            hint="write LOW:HIGH, then :log for a log scale and :int or :float to say which, "
                                 "for example 1e-4:1e-1:log or 8:64:int")
        low, high = (parse_value(p, f"--range {key}") for p in parts[:2])
        log = "log" in flags
        integer = True if "int" in flags else False if "float" in flags else None
    else:
        raise UserError(f"cannot read the range {spec!r}", key=where, hint="write LOW:HIGH or LOW:HIGH:log")
    for name, bound in (("low", low), ("high", high)):
        if isinstance(bound, bool) or not isinstance(bound, int | float):
            raise UserError(f"the range's {name} bound {bound!r} is not a number; it must be a finite number",
                            key=where)
        if not math.isfinite(bound):
            raise UserError(f"the range's {name} bound must be a finite number, got {bound!r}", key=where)
    if integer is None:  # integer bounds at least 2 apart draw integers (8:64); 0:1 is a float range
        integer = isinstance(low, int) and isinstance(high, int) and high - low >= 2
    if low > high:
        raise UserError(f"the range's low bound {low} is above its high bound {high}", key=where)
    if log and low <= 0:
        raise UserError(f"a log range needs a positive low bound, got {low}", key=where)
    return Range(float(low), float(high), log, bool(integer))


def parse_grid_flags(flags: Iterable[str]) -> dict[str, list[Any]]:
    """`--grid optimizer.lr=0.001,0.01` flags → `{"optimizer.lr": [0.001, 0.01]}` (values parsed as YAML)."""
    grid = FlagValues("--grid")
    for flag in flags:
        key, values = split_assignment(flag, "--grid")
        grid[key] = [parse_value(v, f"--grid {key}") for v in split_top_level(values)]
    return grid


def parse_range_flags(flags: Iterable[str]) -> dict[str, Range]:
    """`--range optimizer.lr=1e-4:1e-1:log` flags → `{"optimizer.lr": Range(...)}`."""
    ranges = FlagValues("--range")
    for flag in flags:
        key, spec = split_assignment(flag, "--range")
        ranges[key] = parse_range(key, spec)
    return ranges


def expand(grid: Mapping[str, Iterable[Any]] | None = None, random: int | None = None,
           ranges: Mapping[str, Any] | None = None, random_seed: int = 0) -> list[Point]:
    """Every grid combination, each crossed with `random` draws from `ranges` (all seeded by `random_seed`)."""
    grid = {key: _values(key, values) for key, values in (grid or {}).items()}
    parsed = {key: parse_range(key, spec) for key, spec in (ranges or {}).items()}
    if random is not None and (isinstance(random, bool) or not isinstance(random, int) or random < 1):
        raise UserError(f"random must be a positive number of draws, got {random!r}", key="random")
    if parsed and random is None:
        raise UserError("ranges are drawn from only in a random search", key="ranges",
                        hint="add --random N to draw N points from the ranges")
    if random is not None and not parsed:
        raise UserError("a random search needs at least one range to draw from", key="random",
                        hint="add --range KEY=LOW:HIGH[:log]")
    overlap = set(grid) & set(parsed)
    if overlap:
        raise UserError(f"{sorted(overlap)[0]} is both in the grid and in the ranges", key="ranges")
    combos = [dict(zip(grid, combo)) for combo in itertools.product(*grid.values())] if grid else [{}]
    if random is None:
        return combos
    rng = np.random.default_rng(random_seed)
    draws = [{key: r.draw(rng) for key, r in parsed.items()} for _ in range(random)]
    return [{**combo, **draw} for combo in combos for draw in draws]


def _values(key: str, values: Iterable[Any]) -> list[Any]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise UserError(f"a grid entry is a list of values, got {values!r}", key=f"grid.{key}")
    values = list(values)
    if not values:
        raise UserError("a grid entry needs at least one value", key=f"grid.{key}")
    return values
