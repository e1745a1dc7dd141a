"""`trainer.compare`: the same config trained with several optimizers (and seeds), side by side.

Fairness: for a given seed every variant gets the same data, the same initial weights and the same
batch order, because the config's seed drives all three and only the `optimizer:` block differs.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._forkserver import start_local_workers_early
from .._lazy import LazyTable
from ..config import load_config
from ..config.values import format_value
from ..errors import UserError
from ..training.trackers import check_loggers
from .base_config import base_mapping, check_config
from .executors import check_executor, make_executor
from .experiment_dir import ExperimentDir
from .export import export_loggers
from .jobs import Event, Progress, run_jobs
from .plan import compare_jobs, default_dir, seed_list
from .plot import LOSS_CURVES, SENSITIVITY, curve_rows, sensitivity_bytes, write_plot, write_png
from .plot import available as plot_available
from .records import Outcome, RunRecord
from .tables import mark_ties, pairwise_rows, variant_rows
from .trajectories import write_trajectories
from .tuning import TunePlan, Tuning, parse_tuning
from .variants import Variant, parse_optimizers
from .writers import write_csv, write_results

_BUILD = LazyTable("trainer", {"make_objective": "build.objective:make_objective"})  # for objectives only

BLOCK_KEYS = ("optimizers", "tune", "budget", "tune_seed", "select", "with_defaults", "target", "seeds")
PAIRWISE = "pairwise.csv"
CURVES_CSV = "loss_curves.csv"
SENSITIVITY_CSV = "lr_sensitivity.csv"
PLOT_NOTE = "plots need matplotlib (pip install 'trainer[plot]' or matplotlib); the CSV files hold their data"


def run_compare(config: Any, optimizers: str | Sequence[Any] | None = None, seeds: int | Sequence[int] | None = None,
                jobs: int | None = None, out: str | os.PathLike[str] | None = None, overrides: Sequence[str] = (),
                threshold: float | None = None, *, executor: str = "local", address: str | None = None,
                progress: Progress | None = None, plot: bool = True, connect_timeout: float | None = None,
                tune: Any = None, budget: int | None = None, tune_seed: int | None = None,
                select: str | None = None, with_defaults: bool | None = None, target: float | None = None,
                x: str = "epoch") -> Outcome:
    """Run the comparison; see `compare` (this also returns the records and the directory)."""
    check_executor(executor, address, connect_timeout)
    if executor == "local":
        start_local_workers_early()  # its imports overlap the checks and the plan below
    cfg = load_config(config, list(overrides))
    check_loggers(cfg.training.loggers)
    block = compare_block(cfg)
    optimizers = optimizers if optimizers is not None else block.get("optimizers")
    seeds = seeds if seeds is not None else block.get("seeds", 1)
    target = target if target is not None else threshold if threshold is not None else block.get("target")
    _check_number(target, "target")
    if x not in ("epoch", "time"):
        raise UserError(f"x is 'epoch' or 'time', got {x!r}", key="x")
    tuning = _tuning(cfg, block, tune, budget, tune_seed, select, with_defaults)
    factory = lambda n: make_executor(executor, jobs=min(jobs or os.cpu_count() or 1, n), address=address,
                                      connect_timeout=connect_timeout)
    variants = {v.label: v for v in _variants(optimizers)}
    relay = _naming_variants(variants, progress)
    if tuning is None:
        planned = plan_compare(cfg, optimizers, seeds)
        path = out if out is not None else default_dir("compare", cfg.name, planned)
        with ExperimentDir(path, "compare", cfg.source).open() as directory:
            records = run_jobs(planned, directory, factory, progress=relay)
            plan = None
            return _finish(cfg, directory.path, records, variants, plan, target, plot, x)
    plan = TunePlan(base_mapping(cfg), list(variants.values()), seed_list(cfg.seed, seeds), tuning)
    trials = plan.trial_jobs()
    _check_jobs(trials)
    path = out if out is not None else default_dir("compare", cfg.name, trials)
    with ExperimentDir(path, "compare", cfg.source).open() as directory:
        directory.plan({}, expected=len(trials) + plan.final_count())
        done = {r.spec.key: r for r in run_jobs(trials, directory, factory, progress=relay)}
        plan.choose(done)
        finals = plan.final_jobs()
        _check_jobs(finals)
        done.update({r.spec.key: r for r in run_jobs(finals, directory, factory, progress=relay)})
        return _finish(cfg, directory.path, plan.final_records(done), variants, plan, target, plot, x)


def _finish(cfg: Any, path: Path, records: list[RunRecord], variants: dict[str, Variant], plan: TunePlan | None,
            target: float | None, plot: bool, x: str) -> Outcome:
    """Rows, ties, pairwise.csv, results.csv/json, and the plots with their CSV data."""
    for record in records:
        _name_variant(record, variants)
    rows = variant_rows(records, target)
    if plan is not None:
        plan.annotate(rows)
    mark_ties(rows)
    write_results(path, rows)
    write_csv(path / PAIRWISE, pairwise_rows(rows))
    groups: dict[str, list[list[dict[str, Any]]]] = {}
    for record in records:
        groups.setdefault(record.spec.group, []).append(record.history)
    write_csv(path / CURVES_CSV, curve_rows(groups))
    sensitivity = sensitivity_rows(plan, rows) if plan is not None else []
    if sensitivity:
        write_csv(path / SENSITIVITY_CSV, sensitivity)
    notes = []
    if plot and not plot_available():
        notes.append(PLOT_NOTE)
    elif plot:
        failed = {row["variant"]: row["status"] for row in rows if row["completed"] == 0}
        write_plot(path / LOSS_CURVES, groups, title=f"{cfg.name}: loss by optimizer", failed=failed, x=x)
        if sensitivity:
            write_png(path / SENSITIVITY, sensitivity_bytes(sensitivity, title=f"{cfg.name}: tuning trials"))
        if cfg.objective is not None:
            _trajectories(path, cfg, records)
    export_loggers(path, cfg.training.loggers)
    return Outcome(rows, records, path, notes)


def _trajectories(path: Path, cfg: Any, records: list[RunRecord]) -> None:
    """trajectories.png/.gif/.csv for a 2-D objective: every variant's path from the shared start."""
    objective = _BUILD["make_objective"](cfg)
    if objective.dimension == 2:
        kind = cfg.objective.type
        name = kind if cfg.name == kind else f"{cfg.name} ({kind})"
        write_trajectories(path, objective, records, title=f"{name}: paths by optimizer")


def sensitivity_rows(plan: TunePlan, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """lr_sensitivity.csv: every trial's judged loss per tuned argument; at the chosen point, min/max over seeds."""
    by_label = {row["variant"]: row for row in rows}
    out = []
    for v in plan.variants:
        row = by_label.get(v.variant.label, {})
        values = [val for val in row.get("judged_loss_values", []) if math.isfinite(val)]
        for i, trial in enumerate(v.trials):
            for argument, value in trial.point.items():
                chosen = i == v.chosen
                out.append({"variant": v.variant.label, "argument": argument, "value": value,
                            "log": plan.tuning.ranges[argument].log, "trial": i,
                            "loss": trial.value if math.isfinite(trial.value) else None,
                            "status": trial.record.status if trial.record else None, "chosen": chosen,
                            "seed_min": min(values) if chosen and values else None,
                            "seed_max": max(values) if chosen and values else None,
                            "seed_mean": sum(values) / len(values) if chosen and values else None})
    return out


def compare_block(cfg: Any) -> dict[str, Any]:
    """The config's compare: block as a mapping (a list is the optimizers); unknown keys are a UserError."""
    block = cfg.compare
    if block is None:
        return {}
    if isinstance(block, list):
        return {"optimizers": block}
    unknown = [k for k in block if k not in BLOCK_KEYS]
    if unknown:
        raise UserError(f"unknown key {unknown[0]!r} in the compare: block", key=f"compare.{unknown[0]}",
                        file=str(cfg.source) if cfg.source else None, hint=f"the keys are {', '.join(BLOCK_KEYS)}")
    return dict(block)


def _tuning(cfg: Any, block: dict[str, Any], tune: Any, budget: int | None, tune_seed: int | None,
            select: str | None, with_defaults: bool | None) -> Tuning | None:
    tune = tune if tune is not None else block.get("tune")
    if tune is None or (isinstance(tune, list | tuple) and not tune):
        for name, value in (("budget", budget), ("tune_seed", tune_seed), ("with_defaults", with_defaults)):
            if value not in (None, False):
                raise UserError(f"{name} only applies to a tuned comparison", key=name,
                                hint="add --tune ARG=LOW:HIGH[:log], e.g. --tune 'lr=1e-4:1:log'")
        return None
    budget = budget if budget is not None else block.get("budget", 8)
    seed = tune_seed if tune_seed is not None else block.get("tune_seed", cfg.seed)
    _check_number(seed, "tune_seed")
    return parse_tuning(tune, budget, int(seed), select or block.get("select", "final"),
                        bool(with_defaults if with_defaults is not None else block.get("with_defaults", False)))


def _variants(optimizers: Any) -> list[Variant]:
    if optimizers is None:
        raise UserError("no optimizers to compare", key="optimizers",
                        hint="pass --optimizers adam,sgd or add a compare: list of optimizer: blocks to the config")
    return parse_optimizers(optimizers)


def _check_jobs(jobs: list[Any]) -> None:
    for job in {job.fingerprint: job for job in jobs}.values():
        check_config(job.config, f"optimizer variant {job.spec.label!r}")


def _check_number(value: Any, key: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                              or not math.isfinite(value)):
        raise UserError(f"{key} must be a finite number, got {value!r}", key=key)


def plan_compare(cfg: Any, optimizers: str | Sequence[Any] | None = None,
                 seeds: int | Sequence[int] | None = 1) -> list[Any]:
    """The runs of a comparison (`optimizers`, else the config's compare: list), each variant's config checked."""
    block = compare_block(cfg)
    variants = _variants(optimizers if optimizers is not None else block.get("optimizers"))
    base = base_mapping(cfg)
    planned = compare_jobs(base, variants, seed_list(cfg.seed, seeds if seeds is not None else block.get("seeds", 1)))
    for job in {job.spec.group: job for job in planned}.values():
        check_config(job.config, f"optimizer variant {job.spec.group!r}")
    tuning = _tuning(cfg, block, None, None, None, None, None)
    if tuning is not None:
        _check_jobs(TunePlan(base, variants, [cfg.seed], tuning).trial_jobs())
    return planned


_LR_HINT = re.compile(r"--set optimizer\.lr=(\S+)")


def _variant_spec(variant: Variant, lr: str) -> str:
    """`--optimizers` text for `variant` with its learning rate set to `lr` (`sgd:lr=0.008:momentum=0.9`)."""
    settings = {k: v for k, v in variant.settings.items() if k != "type"}
    parts = [variant.type, f"lr={lr}"] + [f"{k}={format_value(v)}" for k, v in settings.items() if k != "lr"]
    return ":".join(parts)


def _name_variant(record: RunRecord, variants: dict[str, Variant]) -> None:
    """A divergence hint `--set optimizer.lr=X` would change every variant: name this one instead."""
    variant = variants.get(record.spec.group)
    if record.error and variant is not None:
        record.error = _LR_HINT.sub(lambda m: f"--optimizers {_variant_spec(variant, m.group(1))}", record.error)


def _naming_variants(variants: dict[str, Variant], progress: Progress | None) -> Progress | None:
    """`progress`, seeing each record's error with the divergence hint naming its variant."""
    if progress is None:
        return None

    def relay(event: Event) -> None:
        if event.record is not None:
            _name_variant(event.record, variants)
        progress(event)

    return relay


def compare(config: Any, optimizers: str | Sequence[Any] | None = None, seeds: int | Sequence[int] | None = None,
            jobs: int | None = None, out: str | os.PathLike[str] | None = None, overrides: Sequence[str] = (),
            threshold: float | None = None, *, executor: str = "local", address: str | None = None,
            progress: Progress | None = None, connect_timeout: float | None = None, tune: Any = None,
            budget: int | None = None, tune_seed: int | None = None, select: str | None = None,
            with_defaults: bool | None = None, target: float | None = None, x: str = "epoch") -> list[dict[str, Any]]:
    """Train `config` once per optimizer variant and seed; return one row per variant, best first.

    `optimizers`: names (`"adam"`), specs (`"adam:lr=0.08"`, or one comma-separated string), optimizer
    blocks (`{"type": "sgd", "lr": 0.01}`), or None for the config's `compare:` list (or its
    `compare: {optimizers: ...}` block, which may also set tune, budget, tune_seed, select,
    with_defaults, target and seeds). A variant of the config's optimizer type keeps the config's
    settings; another type inherits only `lr`. `seeds`: a count (the config's seed and the next
    ones) or a list.
    `tune` (`"lr=1e-4:1:log"`, a list of them, or `{"lr": "1e-4:1:log"}`) tunes each optimizer first:
    `budget` trials (default 8) on `tune_seed` (default: the config's seed), a grid for one argument
    and scrambled Halton points for several, the winner picked by the judged loss's `select` value
    ("final" or "best"), then rerun on every seed; `with_defaults` adds each untuned variant's row.
    Rows hold the mean of each number over seeds and, with several seeds, `_std`, `_median`, `_iqm`
    and a seeded bootstrap 95 % interval (`_ci_low`, `_ci_high`); `judged_loss` counts a failed
    seed as inf, and `tied` marks rows whose interval overlaps the best's. `target` (`threshold` is
    its old name) adds epochs and seconds to reach it (`inf`: never).
    Writes `out/results.csv`, `results.json`, `pairwise.csv` (P(A beats B) over seeds),
    `loss_curves.png` (x in epochs or, with `x="time"`, seconds) with `loss_curves.csv`, after tuning
    `lr_sensitivity.png` with `lr_sensitivity.csv`, and every run under `out/runs/` (default
    `runs/<name>/compare-<digest>/`); a rerun reuses finished runs. Prints nothing; `progress`
    receives an `Event` per run. With `executor="dask"` the scheduler at `address` must answer
    within `connect_timeout` seconds (default 10).
    """
    return run_compare(config, optimizers, seeds, jobs, out, overrides, threshold, executor=executor,
                       address=address, progress=progress, connect_timeout=connect_timeout, tune=tune,
                       budget=budget, tune_seed=tune_seed, select=select, with_defaults=with_defaults,
                       target=target, x=x).rows
