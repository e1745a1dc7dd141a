"""The tuning protocol of a comparison: a budget of trials per optimizer on one seed, then the winner on every seed.

For each optimizer variant: `budget` trials on the tuning seed, at a log- (or linearly-) spaced grid
for one tuned argument or at scrambled Halton points for several; the trial with the lowest judged
loss (validation loss if any, else training loss; its final or best value) wins, a diverged or
failed trial counting as +inf (ties: the earlier trial). The winner is then trained on every seed;
on the tuning seed the winning trial itself is that run (same config, so it is reused, not rerun).
An argument the optimizer does not take (momentum for adam) is left out of its trials and named
in the row's `not_tuned`. Trials and final runs are ordinary jobs, so they resume and are reused.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config.introspect import arguments
from ..config.registry import lookup
from ..config.values import split_assignment
from ..errors import UserError
from .base_config import fingerprint, plain
from .jobs import Job
from .quasirandom import grid, halton
from .records import RunRecord, RunSpec, judged
from .space import Range, parse_range
from .variants import Variant, slug

SELECT = ("final", "best")


@dataclass(frozen=True)
class Tuning:
    """What to tune (optimizer argument → range), how many trials, on which seed, and how the winner is picked."""

    ranges: dict[str, Range]
    budget: int
    seed: int
    select: str = "final"
    with_defaults: bool = False


def parse_tuning(tune: Any, budget: Any, seed: int, select: str = "final", with_defaults: bool = False,
                 where: str = "tune") -> Tuning:
    """`tune`: `'lr=1e-5:1:log'`, a list of them, or `{lr: '1e-5:1:log'}`; `budget`: trials per optimizer."""
    if isinstance(tune, str):
        tune = [tune]
    if isinstance(tune, Mapping):
        items = [(str(k), v) for k, v in tune.items()]
    elif isinstance(tune, Sequence):
        items = [split_assignment(str(t), "--tune") for t in tune]
    else:
        raise UserError(f"tune is 'ARG=LOW:HIGH[:log]' or a mapping of arguments to ranges, got {tune!r}", key=where)
    if not items:
        raise UserError("tune names no argument", key=where, hint="for example --tune 'lr=1e-4:1:log'")
    ranges: dict[str, Range] = {}
    for key, spec in items:
        name = key.removeprefix("optimizer.")
        if not name.isidentifier() or name == "type":
            raise UserError(f"{key!r} is not an optimizer argument to tune", key=f"{where}.{key}",
                            hint="name an argument of the optimizer, e.g. lr or momentum")
        try:
            ranges[name] = parse_range(name, spec)
        except UserError as exc:
            raise UserError(exc.message, key=f"{where}.{name}", hint=exc.hint) from None
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise UserError(f"budget must be a positive number of trials, got {budget!r}", key="budget",
                        hint="for example --budget 8")
    if select not in SELECT:
        raise UserError(f"select is 'final' or 'best', got {select!r}", key="select")
    return Tuning(ranges, budget, int(seed), select, bool(with_defaults))


def points(ranges: Mapping[str, Range], budget: int, seed: int) -> list[dict[str, Any]]:
    """The trial points: a grid on each range's scale for one argument, scrambled Halton points for several.

    Values are rounded to 4 significant digits (readable labels, stable directory names); integer
    ranges give integers, and repeated points (a small integer range) are kept once.
    """
    keys = list(ranges)
    if not keys:
        return []
    unit = grid(budget)[:, None] if len(keys) == 1 else halton(budget, len(keys), seed)
    out: list[dict[str, Any]] = []
    for row in unit:
        point = {key: _scale(ranges[key], u) for key, u in zip(keys, row)}
        if point not in out:
            out.append(point)
    return out


def _scale(r: Range, u: float) -> float | int:
    if r.log:
        value = math.exp(math.log(r.low) + u * (math.log(r.high) - math.log(r.low)))
    else:
        value = r.low + u * (r.high - r.low)
    if r.integer:
        return int(min(max(round(value), r.low), r.high))
    return float(f"{value:.4g}")


def optimizer_arguments(kind: str) -> set[str] | None:
    """The arguments optimizer `kind` takes (None when the name is unknown: the config check says so later)."""
    try:
        return {a.name for a in arguments(lookup("optimizer", kind))}
    except (UserError, KeyError, TypeError, ValueError):
        return None


@dataclass
class Trial:
    """One tuning trial: its point, the job, and (after it ran) its judged value and record."""

    point: dict[str, Any]
    job: Job
    value: float = math.inf
    record: RunRecord | None = None


@dataclass
class TunedVariant:
    """One optimizer's tuning: the arguments tuned and left out, its trials, and the winner's index."""

    variant: Variant
    tuned: list[str]
    skipped: list[str]
    trials: list[Trial] = field(default_factory=list)
    chosen: int | None = None

    @property
    def point(self) -> dict[str, Any]:
        """The chosen setting (empty when nothing was tuned)."""
        return self.trials[self.chosen].point if self.chosen is not None else {}


class TunePlan:
    """The runs of a tuned comparison of `variants` on `base`: trial jobs first, then the final jobs."""

    def __init__(self, base: dict[str, Any], variants: Sequence[Variant], seeds: Sequence[int], tuning: Tuning,
                 prefix: str = "") -> None:
        self.base, self.seeds, self.tuning, self.prefix = base, list(seeds), tuning, prefix
        self.variants: list[TunedVariant] = []
        for variant in variants:
            block = variant.block(base.get("optimizer"))
            known = optimizer_arguments(str(block.get("type")))
            tuned = [k for k in tuning.ranges if known is None or k in known]
            skipped = [k for k in tuning.ranges if k not in tuned]
            entry = TunedVariant(variant, tuned, skipped)
            for i, point in enumerate(points({k: tuning.ranges[k] for k in tuned}, tuning.budget, tuning.seed)):
                key = f"{prefix}{slug(variant.label)}-trial{i:02d}"
                label = f"{variant.label} " + " ".join(f"{k}={v}" for k, v in point.items())
                job = self._job(block, point, tuning.seed, key, label, group=f"{variant.label} (trial)")
                entry.trials.append(Trial(point, job))
            self.variants.append(entry)

    def _job(self, block: dict[str, Any], point: dict[str, Any], seed: int, key: str, label: str,
             group: str) -> Job:
        config = copy.deepcopy(self.base)
        config["optimizer"] = plain({**block, **point})
        config["seed"] = seed
        spec = RunSpec(key, label, seed, {"optimizer": config["optimizer"]}, group=group)
        return Job(spec, config, (), fingerprint(config, ()))

    def trial_jobs(self) -> list[Job]:
        """Every trial of every variant, plus the untuned runs when `with_defaults`."""
        jobs = [t.job for v in self.variants for t in v.trials]
        return jobs + (self.default_jobs() if self.tuning.with_defaults else [])

    def default_jobs(self) -> list[Job]:
        """Each variant at its own (untuned) settings on every seed, labelled `<variant> (defaults)`."""
        jobs = []
        for v in self.variants:
            block = v.variant.block(self.base.get("optimizer"))
            for seed in self.seeds:
                key = f"{self.prefix}{slug(v.variant.label)}-defaults-seed{seed}"
                label = f"{v.variant.label} (defaults)"
                jobs.append(self._job(block, {}, seed, key, label, group=label))
        return jobs

    def choose(self, records: Mapping[str, RunRecord]) -> None:
        """Judge every trial from `records` (by job key) and pick each variant's winner."""
        for v in self.variants:
            for trial in v.trials:
                trial.record = records.get(trial.job.spec.key)
                trial.value = judged(trial.record, self.tuning.select) if trial.record else math.inf
            if v.trials:
                v.chosen = min(range(len(v.trials)), key=lambda i: v.trials[i].value)

    def final_jobs(self) -> list[Job]:
        """The chosen setting of each variant on every seed except the tuning seed (its trial is reused)."""
        jobs = []
        for v in self.variants:
            block = v.variant.block(self.base.get("optimizer"))
            for seed in self.seeds:
                if seed == self.tuning.seed and v.chosen is not None:
                    continue
                key = f"{self.prefix}{slug(v.variant.label)}-seed{seed}"
                jobs.append(self._job(block, v.point, seed, key, v.variant.label, group=v.variant.label))
        return jobs

    def final_count(self) -> int:
        """How many final jobs there will be, known before the trials ran (for the planned total)."""
        return sum(len(self.seeds) - (self.tuning.seed in self.seeds and bool(v.trials)) for v in self.variants)

    def final_records(self, records: Mapping[str, RunRecord]) -> list[RunRecord]:
        """Each variant's runs on every seed (the winning trial standing for the tuning seed), then the defaults."""
        out: list[RunRecord] = []
        for v in self.variants:
            for seed in self.seeds:
                if seed == self.tuning.seed and v.chosen is not None:
                    trial = v.trials[v.chosen].record
                    assert trial is not None
                    spec = trial.spec
                    out.append(copy.copy(trial))
                    out[-1].spec = RunSpec(spec.key, v.variant.label, seed, spec.overrides, group=v.variant.label)
                else:
                    out.append(records[f"{self.prefix}{slug(v.variant.label)}-seed{seed}"])
        if self.tuning.with_defaults:
            out += [records[job.spec.key] for job in self.default_jobs()]
        return out

    def annotate(self, rows: list[dict[str, Any]]) -> None:
        """Add each tuned variant's chosen values, trial count and left-out arguments to its row."""
        by_label = {v.variant.label: v for v in self.variants}
        for row in rows:
            v = by_label.get(row.get("variant"))
            if v is None:
                row["tuned"] = "defaults"
                continue
            row["tuned"] = ",".join(f"{k}={val}" for k, val in v.point.items()) or "-"
            for key in self.tuning.ranges:
                row[f"tuned_{key}"] = v.point.get(key)
            row["trials"] = len(v.trials)
            row["trials_failed"] = sum(1 for t in v.trials if not math.isfinite(t.value))
            row["not_tuned"] = ",".join(v.skipped) or None
