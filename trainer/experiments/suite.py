"""A benchmark suite file: problems (config paths with a target) × optimizers, and the tuning protocol they share.

    name: small
    optimizers: [adam, sgd, rmsprop, adagrad]
    tune: {lr: 1e-4:1:log}        # or a list of 'ARG=LOW:HIGH[:log]'
    budget: 4                     # trials per optimizer and problem
    seeds: 2                      # the chosen setting is rerun on this many seeds
    select: final                 # or best
    time: epochs                  # time to target in epochs (deterministic) or seconds (wall clock)
    problems:
      - {name: regression, config: ../csv_regression.yaml, target: 0.3, set: [training.epochs=30]}

Config paths are relative to the suite file. Nothing here runs code: it is plain YAML data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import UserError
from .variants import slug

SUITE_KEYS = ("name", "optimizers", "tune", "budget", "seeds", "tune_seed", "select", "time", "problems")
PROBLEM_KEYS = ("name", "config", "target", "set")
TIMES = ("epochs", "seconds")


@dataclass(frozen=True)
class Problem:
    """One problem of a suite: its name, config file, the judged loss to reach, and `--set` overrides."""

    name: str
    config: Path
    target: float
    overrides: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suite:
    """A benchmark suite as read from its file."""

    name: str
    optimizers: Any
    tune: Any
    budget: int
    seeds: int
    problems: list[Problem]
    source: Path
    tune_seed: int | None = None
    select: str = "final"
    time: str = "epochs"


def load_suite(path: str | Path) -> Suite:
    """Read and check a suite file; every mistake is a UserError naming the file and the key."""
    path = Path(path)
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise UserError(f"cannot read the suite {path}: {exc.strerror}", file=where) from None
    except yaml.YAMLError as exc:
        raise UserError(f"the suite is not valid YAML: {exc}", file=where) from None
    if not isinstance(data, dict):
        raise UserError("a suite is a mapping with problems: and optimizers:", file=where,
                        hint="see configs/suites/small.yaml")
    fail = lambda message, key, hint=None: UserError(message, file=where, key=key, hint=hint)
    unknown = [k for k in data if k not in SUITE_KEYS]
    if unknown:
        raise fail(f"unknown key {unknown[0]!r}", str(unknown[0]), f"the keys are {', '.join(SUITE_KEYS)}")
    for key in ("optimizers", "tune", "problems"):
        if data.get(key) in (None, [], {}):
            raise fail(f"the suite needs {key}:", key, "see configs/suites/small.yaml")
    for key, default in (("budget", 8), ("seeds", 1)):
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise fail(f"{key} must be a positive integer, got {value!r}", key)
    if data.get("time", "epochs") not in TIMES:
        raise fail(f"time is 'epochs' or 'seconds', got {data.get('time')!r}", "time")
    if not isinstance(data["problems"], list):
        raise fail("problems is a list of {name, config, target}", "problems")
    problems = [_problem(item, i, path, fail) for i, item in enumerate(data["problems"])]
    names = [p.name for p in problems]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate is not None:
        raise fail(f"two problems are named {duplicate!r}", "problems", "give each problem its own name:")
    return Suite(str(data.get("name", path.stem)), data["optimizers"], data["tune"], data.get("budget", 8),
                 data.get("seeds", 1), problems, path.resolve(), data.get("tune_seed"),
                 data.get("select", "final"), data.get("time", "epochs"))


def _problem(item: Any, i: int, suite: Path, fail: Any) -> Problem:
    key = f"problems.{i}"
    if isinstance(item, str):
        raise fail("a problem needs a target as well as its config", key,
                   "write {config: PATH, target: LOSS}")
    if not isinstance(item, dict):
        raise fail(f"a problem is a mapping {{name, config, target, set}}, got {item!r}", key)
    unknown = [k for k in item if k not in PROBLEM_KEYS]
    if unknown:
        raise fail(f"unknown key {unknown[0]!r} in a problem", f"{key}.{unknown[0]}",
                   f"the keys are {', '.join(PROBLEM_KEYS)}")
    if not isinstance(item.get("config"), str):
        raise fail("a problem needs config: the path of its config file", f"{key}.config")
    config = (suite.parent / item["config"]).resolve()
    if not config.is_file():
        raise fail(f"no config file {config}", f"{key}.config", "paths are relative to the suite file")
    target = item.get("target")
    if isinstance(target, bool) or not isinstance(target, int | float) or not math.isfinite(target):
        raise fail(f"a problem's target is the judged loss to reach, a finite number; got {target!r}",
                   f"{key}.target", "for example target: 0.3")
    overrides = item.get("set", [])
    if isinstance(overrides, str):
        overrides = [overrides]
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        raise fail("set is a list of KEY=VALUE overrides", f"{key}.set")
    name = str(item.get("name") or config.stem)
    if slug(name) != name:
        raise fail(f"a problem's name is used as a directory name; {name!r} is not one", f"{key}.name",
                   f"for example {slug(name)!r}")
    return Problem(name, config, float(target), tuple(overrides))
