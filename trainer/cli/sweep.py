"""`trainer sweep`: a grid or random search, in parallel (locally or on Dask), resumable."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import ExitStatus
from .errors import error_console, handle_errors
from .options import (
    Address,
    AsJson,
    Config,
    ConnectTimeout,
    Executor,
    Jobs,
    Loggers,
    Overrides,
    Plugins,
    Quiet,
    load_plugins,
    logger_overrides,
)

EXAMPLES = """\b
Examples:
  trainer sweep configs/seed.yaml --grid optimizer.lr=0.001,0.01,0.1 --grid optimizer.type=adam,sgd
  trainer sweep configs/seed.yaml --random 20 --range optimizer.lr=1e-4:1e-1:log --seeds 3 --top 5
  trainer sweep configs/seed.yaml --grid optimizer.lr=0.01,0.1 --executor dask --address tcp://HOST:8786
Run the same command again to resume: finished runs are skipped."""


@handle_errors
def sweep(
    config: Config,
    grid: Annotated[list[str] | None, typer.Option(
        "--grid", "-g", metavar="KEY=V1,V2",
        help="Values to try for a config key (YAML-parsed), e.g. --grid optimizer.lr=0.01,0.1; repeatable.")] = None,
    random: Annotated[int | None, typer.Option(
        "--random", min=1, metavar="N", help="Draw N random points from the --range keys.")] = None,
    ranges: Annotated[list[str] | None, typer.Option(
        "--range", "-r", metavar="KEY=LOW:HIGH[:log][:int]",
        help="Where --random draws a key from, e.g. --range optimizer.lr=1e-4:1e-1:log (integers for whole bounds "
             "at least 2 apart, e.g. 8:64); repeatable.")] = None,
    seeds: Annotated[int | None, typer.Option(
        "--seeds", min=1, metavar="K", help="Seeds per point [default: 1].", show_default=False)] = None,
    overrides: Overrides = None,
    jobs: Jobs = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="DIR", help="Sweep directory [default: runs/<name>/sweep-<digest>].")] = None,
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="Stop at the first failed run.")] = False,
    top: Annotated[int | None, typer.Option("--top", min=1, metavar="N", help="Print only the N best rows.")] = None,
    executor: Executor = "local",
    address: Address = None,
    connect_timeout: ConnectTimeout = None,
    quiet: Quiet = False,
    as_json: AsJson = False,
    logger: Loggers = None,
    plugin: Plugins = None,
) -> None:
    """Train CONFIG at every point of a grid and/or random search (times seeds), in parallel.

    The search space comes from the flags or the config's sweep: block. Writes DIR/results.csv,
    DIR/results.json (one row per run, best first), DIR/state.json and DIR/runs/. A failed run is
    recorded with its error and the others go on. Rerunning the same command skips finished runs.
    With several seeds the table ranks points by their mean over seeds (± std).
    Exit codes: 0 done, 1 stopped by --fail-fast or no run completed, 2 bad config or usage, 130 interrupted.
    """
    load_plugins(plugin)
    from ..experiments.space import parse_grid_flags, parse_range_flags
    from ..experiments.sweep import run_sweep
    from ..experiments.tables import point_rows
    from .experiment_view import ExperimentProgress, output_console, print_json, results_table

    stdout = output_console()
    log = output_console(stderr=True) if as_json else stdout
    grid_values = parse_grid_flags(grid) if grid else None
    range_specs = parse_range_flags(ranges) if ranges else None
    progress = ExperimentProgress(log, "sweep", lines=not quiet)
    try:
        outcome = run_sweep(str(config), grid_values, random, range_specs, seeds, jobs, out, fail_fast, executor,
                            address, overrides=[*(overrides or ()), *logger_overrides(logger)], progress=progress,
                            connect_timeout=connect_timeout)
    finally:
        progress.close()
    by_point = len({record.spec.group for record in outcome.records}) < len(outcome.records)  # several seeds
    ranked = point_rows(outcome.records) if by_point else outcome.rows
    rows = ranked[:top] if top else ranked
    # --fail-fast exits 1 whenever a run failed, even the last one (nothing left to cancel)
    stopped = fail_fast and any(row["status"] not in ("completed", "cancelled") for row in outcome.rows)
    stopped = stopped or any(row["status"] == "cancelled" for row in outcome.rows)
    if as_json:
        print_json(rows)
    else:
        keys = list(dict.fromkeys(k for record in outcome.records for k in record.spec.overrides))
        what = " points, mean ± std over seeds" if by_point else ""
        title = f"sweep: {config}" + (f" (top {len(rows)} of {len(ranked)}{what})" if top else "")
        stdout.print(results_table(rows, title=title, first="point" if by_point else "run", extra=keys))
        if not quiet:
            stdout.print(f"results: {outcome.directory / 'results.csv'}", markup=False, highlight=False)
    if stopped:
        error_console().print("stopped at the first failure (--fail-fast); rerun without it to finish the rest",
                              markup=False)
        raise typer.Exit(ExitStatus.FAILED)
    if outcome.rows and not any(row["status"] == "completed" for row in outcome.rows):
        error_console().print("no run completed; the table says why", markup=False)
        raise typer.Exit(ExitStatus.FAILED)

