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

from ..build import make_objective
from ..config import load_config
from ..config.values import format_value
from ..errors import UserError
from .base_config import base_mapping, check_config
from .executors import check_executor, make_executor
from .experiment_dir import ExperimentDir
from .jobs import Event, Progress, run_jobs
from .plan import compare_jobs, default_dir, seed_list
from .plot import LOSS_CURVES, write_plot
from .records import Outcome, RunRecord
from .tables import variant_rows
from .trajectories import write_trajectories
from .variants import Variant, parse_optimizers
from .writers import write_results


def run_compare(config: Any, optimizers: str | Sequence[Any] | None = None, seeds: int | Sequence[int] = 1,
                jobs: int | None = None, out: str | os.PathLike[str] | None = None, overrides: Sequence[str] = (),
                threshold: float | None = None, *, executor: str = "local", address: str | None = None,
                progress: Progress | None = None, plot: bool = True, connect_timeout: float | None = None) -> Outcome:
    """Run the comparison; see `compare` (this also returns the records and the directory)."""
    check_executor(executor, address, connect_timeout)
    cfg = load_config(config, list(overrides))
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int | float)
                                  or not math.isfinite(threshold)):
        raise UserError(f"threshold must be a finite number, got {threshold!r}", key="threshold")
    planned = plan_compare(cfg, optimizers, seeds)
    factory = lambda n: make_executor(executor, jobs=min(jobs or os.cpu_count() or 1, n), address=address,
                                      connect_timeout=connect_timeout)
    path = out if out is not None else default_dir("compare", cfg.name, planned)
    variants = {v.label: v for v in parse_optimizers(optimizers if optimizers is not None else cfg.compare)}
    relay = _naming_variants(variants, progress)
    with ExperimentDir(path, "compare").open() as directory:
        records = run_jobs(planned, directory, factory, progress=relay)
        for record in records:
            _name_variant(record, variants)
        rows = variant_rows(records, threshold)
        write_results(directory.path, rows)
        if plot:
            _plot(directory.path / LOSS_CURVES, records, rows, title=f"{cfg.name}: loss by optimizer")
            if cfg.objective is not None:
                _trajectories(directory.path, cfg, records)
    return Outcome(rows, records, directory.path)


def plan_compare(cfg: Any, optimizers: str | Sequence[Any] | None = None,
                 seeds: int | Sequence[int] = 1) -> list[Any]:
    """The runs of a comparison (`optimizers`, else the config's compare: list), each variant's config checked."""
    spec = optimizers if optimizers is not None else cfg.compare
    if spec is None:
        raise UserError("no optimizers to compare", key="optimizers",
                        hint="pass --optimizers adam,sgd or add a compare: list of optimizer: blocks to the config")
    variants = parse_optimizers(spec)
    base = base_mapping(cfg)
    planned = compare_jobs(base, variants, seed_list(cfg.seed, seeds))
    for job in {job.spec.group: job for job in planned}.values():
        check_config(job.config, f"optimizer variant {job.spec.group!r}")
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


def _plot(path: Path, records: list[RunRecord], rows: list[dict[str, Any]], title: str) -> None:
    """loss_curves.png: one curve (and band over seeds) per variant; all-bad variants labelled with their status."""
    groups: dict[str, list[list[dict[str, Any]]]] = {}
    for record in records:
        groups.setdefault(record.spec.group, []).append(record.history)
    failed = {row["variant"]: row["status"] for row in rows if row["completed"] == 0}
    write_plot(path, groups, title=title, failed=failed)


def _trajectories(path: Path, cfg: Any, records: list[RunRecord]) -> None:
    """trajectories.png/.gif/.csv for a 2-D objective: every variant's path from the shared start."""
    objective = make_objective(cfg)
    if objective.dimension == 2:
        kind = cfg.objective.type
        name = kind if cfg.name == kind else f"{cfg.name} ({kind})"
        write_trajectories(path, objective, records, title=f"{name}: paths by optimizer")


def compare(config: Any, optimizers: str | Sequence[Any] | None = None, seeds: int | Sequence[int] = 1,
            jobs: int | None = None, out: str | os.PathLike[str] | None = None, overrides: Sequence[str] = (),
            threshold: float | None = None, *, executor: str = "local", address: str | None = None,
            progress: Progress | None = None, connect_timeout: float | None = None) -> list[dict[str, Any]]:
    """Train `config` once per optimizer variant and seed; return one row per variant, best first.

    `optimizers`: names (`"adam"`), specs (`"adam:lr=0.08"`, or one comma-separated string), optimizer
    blocks (`{"type": "sgd", "lr": 0.01}`), or None for the config's `compare:` list. A variant of the
    config's optimizer type keeps the config's settings; another type inherits only `lr`.
    `seeds`: a count (the config's seed and the next ones) or a list. Rows hold the mean of each
    number over seeds and `<column>_std` when there are several; `threshold` adds the epochs the
    judged loss (validation loss if any, else training loss) took to reach it.
    Writes `out/results.csv`, `out/results.json`, `out/loss_curves.png` (and for a 2-D objective
    `trajectories.png`, `trajectories.gif` and `trajectories.csv`) and every run under
    `out/runs/<variant>[-seed<k>]/` (default `runs/<name>/compare-<digest>/`); a rerun reuses
    finished runs. Prints nothing; `progress` receives an `Event` per run. With `executor="dask"` the
    scheduler at `address` must answer within `connect_timeout` seconds (default 10).
    """
    return run_compare(config, optimizers, seeds, jobs, out, overrides, threshold, executor=executor,
                       address=address, progress=progress, connect_timeout=connect_timeout).rows
