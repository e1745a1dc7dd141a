"""`trainer.sweep`: a grid and/or random search over config keys, times seeds, in parallel, resumable."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from ..config import load_config
from ..errors import UserError
from ..training.trackers import check_loggers
from .base_config import base_mapping
from .check_points import Where, check_points
from .executors import check_executor, make_executor
from .experiment_dir import ExperimentDir
from .export import export_loggers
from .jobs import Progress, run_jobs
from .plan import default_dir, seed_list, sweep_jobs
from .records import Outcome
from .space import FlagValues, expand, parse_range
from .tables import run_row, sort_rows
from .writers import write_results

SWEEP_KEYS = ("grid", "random", "ranges", "seeds", "random_seed")


def run_sweep(config: Any, grid: Mapping[str, Sequence[Any]] | None = None, random: int | None = None,
              ranges: Mapping[str, Any] | None = None, seeds: int | Sequence[int] | None = None,
              jobs: int | None = None, out: str | os.PathLike[str] | None = None, fail_fast: bool = False,
              executor: str = "local", address: str | None = None, *, overrides: Sequence[str] = (),
              random_seed: int | None = None, retries: int = 2, progress: Progress | None = None,
              connect_timeout: float | None = None) -> Outcome:
    """Run the sweep; see `sweep` (this also returns the records and the directory)."""
    check_executor(executor, address, connect_timeout)
    cfg = load_config(config, list(overrides))
    check_loggers(cfg.training.loggers)
    planned = plan_sweep(cfg, grid, random, ranges, seeds, random_seed)
    factory = lambda n: make_executor(executor, jobs=min(jobs or os.cpu_count() or 1, n), address=address,
                                      retries=retries, connect_timeout=connect_timeout)
    path = out if out is not None else default_dir("sweep", cfg.name, planned)
    with ExperimentDir(path, "sweep", cfg.source).open() as directory:
        records = run_jobs(planned, directory, factory, fail_fast=fail_fast, progress=progress)
        rows = sort_rows([run_row(r) for r in records])
        write_results(directory.path, rows)
        export_loggers(directory.path, cfg.training.loggers)
    return Outcome(rows, records, directory.path)


def plan_sweep(cfg: Any, grid: Mapping[str, Sequence[Any]] | None = None, random: int | None = None,
               ranges: Mapping[str, Any] | None = None, seeds: int | Sequence[int] | None = None,
               random_seed: int | None = None) -> list[Any]:
    """The runs of a sweep (the arguments, else the config's sweep: block), every point checked by the schema."""
    block = _sweep_block(cfg.sweep)
    where = _where(grid, ranges)
    grid = grid if grid is not None else block.get("grid")
    random = random if random is not None else block.get("random")
    ranges = ranges if ranges is not None else block.get("ranges")
    seeds = seeds if seeds is not None else block.get("seeds", 1)
    random_seed = random_seed if random_seed is not None else block.get("random_seed", cfg.seed)
    if grid is not None and not isinstance(grid, Mapping):
        raise UserError(f"grid maps config keys to lists of values, got {grid!r}", key="sweep.grid")
    if ranges is not None and not isinstance(ranges, Mapping):
        raise UserError(f"ranges maps config keys to LOW:HIGH[:log], got {ranges!r}", key="sweep.ranges")
    points = expand(grid, random, ranges, random_seed=random_seed)
    base = base_mapping(cfg)
    check_points(base, {k: list(v) for k, v in (grid or {}).items()},
                 {k: parse_range(k, spec) for k, spec in (ranges or {}).items()}, where)
    return sweep_jobs(base, points, seed_list(cfg.seed, seeds))


def _where(grid: Any, ranges: Any) -> Where:
    """How errors name a grid value or range: `--grid KEY` (flags), `grid.KEY.1` (arguments), `sweep.grid.KEY.1`."""
    given = {"grid": grid, "ranges": ranges}

    def where(kind: str, key: str, index: int | None) -> str:
        source = given[kind]
        if isinstance(source, FlagValues):
            return f"{source.flag} {key}"
        path = f"{kind}.{key}" if source is not None else f"sweep.{kind}.{key}"
        return path if index is None else f"{path}.{index}"

    return where


def sweep(config: Any, grid: Mapping[str, Sequence[Any]] | None = None, random: int | None = None,
          ranges: Mapping[str, Any] | None = None, seeds: int | Sequence[int] | None = None,
          jobs: int | None = None, out: str | os.PathLike[str] | None = None, fail_fast: bool = False,
          executor: str = "local", address: str | None = None, *, overrides: Sequence[str] = (),
          random_seed: int | None = None, retries: int = 2, progress: Progress | None = None,
          connect_timeout: float | None = None) -> list[dict[str, Any]]:
    """Train every point of a search space (times `seeds`); return one row per run, best first.

    `grid`: `{"optimizer.lr": [0.01, 0.1], ...}`, every combination; `random=N` draws N points from
    `ranges` (`{"optimizer.lr": "1e-4:1e-1:log"}`, seeded by `random_seed`, default the config's seed),
    crossed with the grid. Anything not given comes from the config's `sweep:` block. Runs go to
    `executor` ("local": `jobs` processes, default one per core; "dask": the cluster at `address`,
    a dead worker's run retried `retries` times, reached within `connect_timeout` seconds, default 10).
    A failed run is recorded with its error and the others go on, unless `fail_fast` (the rest are
    then `cancelled`). Writes `out/results.csv`, `out/results.json`, `out/state.json` and
    `out/runs/<point>[-seed<k>]/` (default `runs/<name>/sweep-<digest>/`); rerunning skips finished runs.
    Prints nothing.
    """
    return run_sweep(config, grid, random, ranges, seeds, jobs, out, fail_fast, executor, address,
                     overrides=overrides, random_seed=random_seed, retries=retries, progress=progress,
                     connect_timeout=connect_timeout).rows


def _sweep_block(block: Any) -> dict[str, Any]:
    if block is None:
        return {}
    if not isinstance(block, Mapping):
        raise UserError(f"sweep: is a mapping of {', '.join(SWEEP_KEYS)}", key="sweep")
    unknown = [k for k in block if k not in SWEEP_KEYS]
    if unknown:
        raise UserError(f"unknown key {unknown[0]!r} in the sweep block", key=f"sweep.{unknown[0]}",
                        hint=f"keys of sweep: {', '.join(SWEEP_KEYS)}")
    return dict(block)
