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
  trainer sweep configs/spirals.yaml --search tpe --trials 30 --range optimizer.lr=1e-4:1e-1:log --prune median
Run the same command again to resume: finished runs are skipped (a search continues to --trials in total)."""


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
    search: Annotated[str | None, typer.Option(
        "--search", metavar="tpe|cmaes|qmc|random|grid",
        help="How points are chosen: Optuna's tpe, cmaes or qmc (the search extra), or random/grid.")] = None,
    trials: Annotated[int | None, typer.Option(
        "--trials", "-n", min=1, metavar="N", help="Points to try in total (a rerun continues to N).")] = None,
    direction: Annotated[str | None, typer.Option(
        "--direction", metavar="minimize|maximize", help="Whether a lower or higher --metric is better.")] = None,
    metric: Annotated[str | None, typer.Option(
        "--metric", metavar="COLUMN", help="The metrics.csv column judged, final value, mean over seeds "
                                           "[default: the judged loss, val_loss with a split].")] = None,
    prune: Annotated[str | None, typer.Option(
        "--prune", metavar="median|percentile|asha|hyperband", help="Stop unpromising trials early.")] = None,
    prune_every: Annotated[int | None, typer.Option(
        "--prune-every", min=1, metavar="N", help="Report to the pruner every N epochs [default: 1].")] = None,
    prune_option: Annotated[list[str] | None, typer.Option(
        "--prune-option", metavar="KEY=VALUE",
        help="A pruner setting (n_startup_trials, n_warmup_steps, percentile, min_resource, reduction_factor, ...); "
             "repeatable.")] = None,
    batch: Annotated[int | None, typer.Option(
        "--batch", min=1, metavar="B", help="Trials asked at a time, before any of them is told [default: 4].")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Start a new study beside one started with another config or space (DIR-2, ...).")] = False,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Run failed trials again (same points).")] = False,
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
    --search tpe|cmaes|qmc (the search extra) lets Optuna propose --trials points, --prune stops poor
    trials early (status pruned); DIR/study.json records the study, and the same command continues it
    to --trials in total.
    Exit codes: 0 done, 1 stopped by --fail-fast or no run completed, 2 bad config or usage, 130 interrupted.
    """
    load_plugins(plugin)
    from ..config.values import parse_value, split_assignment
    from ..experiments.space import parse_grid_flags, parse_range_flags
    from ..experiments.sweep import SearchFlags, run_sweep
    from ..experiments.tables import point_rows
    from .experiment_view import ExperimentProgress, output_console, print_json, results_table

    stdout = output_console()
    log = output_console(stderr=True) if as_json else stdout
    grid_values = parse_grid_flags(grid) if grid else None
    range_specs = parse_range_flags(ranges) if ranges else None
    options = {}
    for text in prune_option or ():
        key, value = split_assignment(text, "--prune-option")
        options[key] = parse_value(value, f"--prune-option {key}")
    flags = SearchFlags(search, trials, direction, metric, prune, prune_every, options or None, batch, force,
                        retry_failed)
    progress = ExperimentProgress(log, "sweep", lines=not quiet)
    try:
        outcome = run_sweep(str(config), grid_values, random, range_specs, seeds, jobs, out, fail_fast, executor,
                            address, overrides=[*(overrides or ()), *logger_overrides(logger)], progress=progress,
                            connect_timeout=connect_timeout, flags=flags)
    finally:
        progress.close()
    by_point = len({record.spec.group for record in outcome.records}) < len(outcome.records)  # several seeds
    ranked = outcome.rows if outcome.ranked else point_rows(outcome.records) if by_point else outcome.rows
    rows = ranked[:top] if top else ranked
    # --fail-fast exits 1 whenever a run failed, even the last one (nothing left to cancel)
    stopped = fail_fast and any(row["status"] not in ("completed", "cancelled", "pruned") for row in outcome.rows)
    stopped = stopped or any(row["status"] == "cancelled" for row in outcome.rows)
    if as_json:
        print_json(rows)
    else:
        keys = list(dict.fromkeys(k for record in outcome.records for k in record.spec.overrides))
        what = " points, mean ± std over seeds" if by_point else ""
        title = f"sweep: {config}" + (f" (top {len(rows)} of {len(ranked)}{what})" if top else "")
        first = "trial" if outcome.ranked else "point" if by_point else "run"
        extra = [*keys, "objective", *(["objective_std"] if by_point else []), "pruned_at"] if outcome.ranked else keys
        stdout.print(results_table(rows, title=title, first=first, extra=extra))
        for note in outcome.notes:
            error_console().print(note, markup=False, highlight=False)
        if not quiet:
            stdout.print(f"results: {outcome.directory / 'results.csv'}", markup=False, highlight=False)
    if stopped:
        error_console().print("stopped at the first failure (--fail-fast); rerun without it to finish the rest",
                              markup=False)
        raise typer.Exit(ExitStatus.FAILED)
    if outcome.rows and not any(row["status"] in ("completed", "pruned") for row in outcome.rows):
        error_console().print("no run completed; the table says why", markup=False)
        raise typer.Exit(ExitStatus.FAILED)

