"""`trainer.sweep`: a grid and/or random search over config keys, times seeds, in parallel, resumable."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from .._forkserver import start_local_workers_early
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
from .search import DEFAULT_BATCH, SearchSettings, check_settings, run_search
from .space import FlagValues, expand, parse_range
from .study import SAMPLERS, prune_settings
from .tables import run_row, sort_rows
from .writers import write_results

SWEEP_KEYS = ("grid", "random", "ranges", "seeds", "random_seed", "search", "trials", "direction", "metric",
              "prune", "prune_every", "prune_options", "batch")
SEARCHES = (*SAMPLERS, "random", "grid")
_MODEL_ONLY = ("direction", "metric", "prune", "prune_every", "prune_options", "batch")  # only with tpe|cmaes|qmc


@dataclass(frozen=True)
class SearchFlags:
    """A model-based search's flags (each None: from the config's sweep: block, else the default)."""

    search: str | None = None
    trials: int | None = None
    direction: str | None = None
    metric: str | None = None
    prune: str | None = None
    prune_every: int | None = None
    prune_options: Mapping[str, Any] | None = None
    batch: int | None = None
    force: bool = False
    retry_failed: bool = False


def run_sweep(config: Any, grid: Mapping[str, Sequence[Any]] | None = None, random: int | None = None,
              ranges: Mapping[str, Any] | None = None, seeds: int | Sequence[int] | None = None,
              jobs: int | None = None, out: str | os.PathLike[str] | None = None, fail_fast: bool = False,
              executor: str = "local", address: str | None = None, *, overrides: Sequence[str] = (),
              random_seed: int | None = None, retries: int = 2, progress: Progress | None = None,
              connect_timeout: float | None = None, flags: SearchFlags | None = None) -> Outcome:
    """Run the sweep; see `sweep` (this also returns the records and the directory)."""
    check_executor(executor, address, connect_timeout)
    if executor == "local":
        start_local_workers_early()
    cfg = load_config(config, list(overrides))
    check_loggers(cfg.training.loggers)
    factory = lambda n: make_executor(executor, jobs=min(jobs or os.cpu_count() or 1, n), address=address,
                                      retries=retries, connect_timeout=connect_timeout)
    flags = flags or SearchFlags()
    settings, random = search_settings(cfg, flags, grid, random, ranges, seeds, random_seed)
    if settings is not None:
        return run_search(cfg, settings, out, factory, force=flags.force, retry_failed=flags.retry_failed,
                          progress=progress)
    planned = plan_sweep(cfg, grid, random, ranges, seeds, random_seed)
    path = out if out is not None else default_dir("sweep", cfg.name, planned)
    with ExperimentDir(path, "sweep", cfg.source).open() as directory:
        records = run_jobs(planned, directory, factory, fail_fast=fail_fast, progress=progress)
        rows = sort_rows([run_row(r) for r in records])
        write_results(directory.path, rows)
        export_loggers(directory.path, cfg.training.loggers)
    return Outcome(rows, records, directory.path)


def search_settings(cfg: Any, flags: SearchFlags, grid: Mapping[str, Sequence[Any]] | None = None,
                    random: int | None = None, ranges: Mapping[str, Any] | None = None,
                    seeds: int | Sequence[int] | None = None,
                    random_seed: int | None = None) -> tuple[SearchSettings | None, int | None]:
    """A model-based search's settings (None for grid and random sweeps), and the random draws to make."""
    block = _sweep_block(cfg.sweep)
    given = {f.name: getattr(flags, f.name) for f in fields(flags) if f.name not in ("force", "retry_failed")}
    value = {key: v if v is not None else block.get(key) for key, v in given.items()}
    search, trials = value["search"], value["trials"]
    if search is not None and search not in SEARCHES:
        raise UserError(f"unknown search {search!r}", key="sweep.search", hint=f"choose one of: {', '.join(SEARCHES)}")
    if search not in SAMPLERS:
        extra = [k for k in _MODEL_ONLY if value[k] is not None and value[k] != {}]
        if extra:
            raise UserError(f"{extra[0]} applies only to a model-based search", key=f"sweep.{extra[0]}",
                            hint="add --search tpe (or cmaes, qmc)")
        if trials is not None and search != "random":
            raise UserError("trials counts the points of a tpe, cmaes, qmc or random search", key="sweep.trials",
                            hint="add --search random (or tpe) to draw that many points")
        if search == "random" and random is None and block.get("random") is None:
            random = trials if trials is not None else None
        return None, random
    if random is not None or block.get("random") is not None:
        raise UserError(f"a {search} search chooses its own points; random draws are for --search random",
                        key="sweep.random", hint="drop --random and give the budget as --trials N")
    grid = grid if grid is not None else block.get("grid")
    ranges = ranges if ranges is not None else block.get("ranges")
    if trials is None:
        raise UserError(f"a {search} search needs a budget", key="sweep.trials", hint="add --trials N")
    options = value["prune_options"] or {}
    if not isinstance(options, Mapping):
        raise UserError(f"prune_options maps a pruner's settings to values, got {options!r}", key="sweep.prune_options")
    seeds = seeds if seeds is not None else block.get("seeds", 1)
    random_seed = random_seed if random_seed is not None else block.get("random_seed", cfg.seed)
    settings = SearchSettings(
        search, trials, {k: parse_range(k, spec) for k, spec in (ranges or {}).items()},
        {k: list(v) for k, v in (grid or {}).items()}, seed_list(cfg.seed, seeds), int(random_seed),
        value["direction"] or "minimize", value["metric"], prune_settings(value["prune"], dict(options)),
        value["prune_every"] if value["prune_every"] is not None else 1,
        value["batch"] if value["batch"] is not None else DEFAULT_BATCH)
    check_settings(settings)
    return settings, None


def plan_sweep(cfg: Any, grid: Mapping[str, Sequence[Any]] | None = None, random: int | None = None,
               ranges: Mapping[str, Any] | None = None, seeds: int | Sequence[int] | None = None,
               random_seed: int | None = None) -> list[Any]:
    """The runs of a sweep (the arguments, else the config's sweep: block), every point checked by the schema.

    For a model-based search (its points are not known in advance) the settings and both bounds of every
    range are checked, and the plan is empty.
    """
    block = _sweep_block(cfg.sweep)
    if block.get("search") in SAMPLERS:
        settings, _ = search_settings(cfg, SearchFlags(), grid, random, ranges, seeds, random_seed)
        assert settings is not None
        check_points(base_mapping(cfg), settings.choices, settings.ranges, _where(grid, ranges))
        return []
    if block.get("search") is not None or block.get("trials") is not None:
        random = search_settings(cfg, SearchFlags(), grid, random, ranges, seeds, random_seed)[1]
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
          connect_timeout: float | None = None, search: str | None = None, trials: int | None = None,
          direction: str | None = None, metric: str | None = None, prune: str | None = None,
          prune_every: int | None = None, prune_options: Mapping[str, Any] | None = None, batch: int | None = None,
          force: bool = False, retry_failed: bool = False) -> list[dict[str, Any]]:
    """Train every point of a search space (times `seeds`); return one row per run, best first.

    `grid`: `{"optimizer.lr": [0.01, 0.1], ...}`, every combination; `random=N` draws N points from
    `ranges` (`{"optimizer.lr": "1e-4:1e-1:log"}`, seeded by `random_seed`, default the config's seed),
    crossed with the grid. Anything not given comes from the config's `sweep:` block. Runs go to
    `executor` ("local": `jobs` processes, default one per core; "dask": the cluster at `address`,
    a dead worker's run retried `retries` times, reached within `connect_timeout` seconds, default 10).
    A failed run is recorded with its error and the others go on, unless `fail_fast` (the rest are
    then `cancelled`). Writes `out/results.csv`, `out/results.json`, `out/state.json` and
    `out/runs/<point>[-seed<k>]/` (default `runs/<name>/sweep-<digest>/`); rerunning skips finished runs.
    `search="tpe"` (or "cmaes", "qmc"; needs the `search` extra) lets Optuna propose `trials` points from
    `ranges` (and choices from `grid`), judged by `metric` (default the judged loss) in `direction`,
    pruned by `prune` ("median", "percentile", "asha", "hyperband"; `prune_options`) every `prune_every`
    epochs, asked `batch` at a time; one row per trial, best first. A rerun continues the study to
    `trials` in total; `force` starts a new one beside a study started differently; `retry_failed`
    runs failed trials again. `search="random"` with `trials=N` is `random=N`.
    Prints nothing.
    """
    flags = SearchFlags(search, trials, direction, metric, prune, prune_every, prune_options, batch, force,
                        retry_failed)
    return run_sweep(config, grid, random, ranges, seeds, jobs, out, fail_fast, executor, address,
                     overrides=overrides, random_seed=random_seed, retries=retries, progress=progress,
                     connect_timeout=connect_timeout, flags=flags).rows


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
