"""`trainer compare`: one config, several optimizers (and seeds), one table and one plot."""

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
  trainer compare configs/seed.yaml --optimizers adam,sgd,rmsprop,adagrad
  trainer compare configs/seed.yaml --optimizers 'adam:lr=0.08,sgd:lr=0.01:momentum=0.9' --seeds 3
  trainer compare configs/seed.yaml --optimizers adam,adamw --set training.epochs=50 --out runs/cmp --json
  trainer compare configs/spirals.yaml --optimizers adam,sgd,rmsprop --tune 'lr=1e-4:1:log' --budget 8 --seeds 3
  trainer compare configs/spirals.yaml -O sgd,adam --tune 'lr=1e-3:1:log' --tune 'momentum=0.5:0.99' --with-defaults"""


@handle_errors
def compare(
    config: Config,
    optimizers: Annotated[str | None, typer.Option(
        "--optimizers", "-O", metavar="SPECS",
        help="Comma-separated optimizers, each NAME or NAME:KEY=VALUE[:KEY=VALUE], e.g. adam,sgd:lr=0.01 "
             "[default: the config's compare: list].")] = None,
    overrides: Overrides = None,
    seeds: Annotated[int | None, typer.Option(
        "--seeds", min=1, metavar="K", help="Seeds per variant (the config's seed and the next) [default: 1].",
        show_default=False)] = None,
    jobs: Jobs = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="DIR", help="Experiment directory [default: runs/<name>/compare-<digest>].")] = None,
    tune: Annotated[list[str] | None, typer.Option(
        "--tune", metavar="ARG=LOW:HIGH[:log][:int]",
        help="Tune this optimizer argument per optimizer before comparing, e.g. --tune 'lr=1e-4:1:log'; "
             "repeatable.")] = None,
    budget: Annotated[int | None, typer.Option(
        "--budget", min=1, metavar="N", help="Tuning trials per optimizer [default: 8].", show_default=False)] = None,
    tune_seed: Annotated[int | None, typer.Option(
        "--tune-seed", min=0, metavar="SEED", help="The seed the trials run on [default: the config's seed].",
        show_default=False)] = None,
    select: Annotated[str | None, typer.Option(
        "--select", metavar="final|best", help="Pick the trial by the judged loss's final or best value "
                                               "[default: final].", show_default=False)] = None,
    with_defaults: Annotated[bool | None, typer.Option(
        "--with-defaults", help="With --tune, also show each optimizer untuned.", show_default=False)] = None,
    target: Annotated[float | None, typer.Option(
        "--target", metavar="LOSS", help="Also report the epochs and seconds the judged loss took to reach this "
                                         "value, e.g. --target 0.05.")] = None,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", metavar="LOSS", hidden=True, help="Deprecated: the old name of --target.")] = None,
    x_axis: Annotated[str, typer.Option(
        "--x", metavar="epoch|time", help="The x-axis of loss_curves.png.")] = "epoch",
    executor: Executor = "local",
    address: Address = None,
    connect_timeout: ConnectTimeout = None,
    quiet: Quiet = False,
    as_json: AsJson = False,
    logger: Loggers = None,
    plugin: Plugins = None,
) -> None:
    """Train CONFIG once per optimizer (and seed) on the same data, initial weights and batch order.

    With --tune, each optimizer first gets --budget trials on the tuning seed (a grid for one
    argument, scrambled Halton points for several), the best by the judged loss (validation loss if
    any, else training loss) is rerun on every seed. Prints a table sorted best first (mean ± std,
    and with several seeds the IQM and a bootstrap 95% CI; "tied" where it overlaps the best's) and
    writes DIR/results.csv, results.json, pairwise.csv, loss_curves.png/.csv, lr_sensitivity.png/.csv
    (on a 2-D objective also trajectories.png, .gif and .csv) and every run under DIR/runs/.
    Rerunning the same command reuses finished runs.
    Exit codes: 0 done, 1 no variant completed, 2 bad config or usage, 130 interrupted.
    """
    load_plugins(plugin)
    from ..experiments.compare import run_compare
    from .experiment_view import ExperimentProgress, output_console, print_json, results_table

    stdout = output_console()
    log = output_console(stderr=True) if as_json else stdout
    progress = ExperimentProgress(log, "compare", lines=not quiet)
    sets = [*(overrides or ()), *logger_overrides(logger)]
    try:
        outcome = run_compare(str(config), optimizers, seeds, jobs, out, sets, threshold,
                              executor=executor, address=address, progress=progress,
                              connect_timeout=connect_timeout, tune=tune or None, budget=budget,
                              tune_seed=tune_seed, select=select, with_defaults=with_defaults, target=target,
                              x=x_axis)
    finally:
        progress.close()
    shown = target if target is not None else threshold
    if as_json:
        print_json(outcome.rows)
    else:
        stdout.print(results_table(outcome.rows, title=f"compare: {config}", first="variant", threshold=shown))
        if not quiet:
            plots = [] if outcome.notes else [name for name in ("loss_curves.png", "lr_sensitivity.png")
                                              if (outcome.directory / name).exists()]
            stdout.print(f"results: {outcome.directory / 'results.csv'}  pairwise: {outcome.directory / 'pairwise.csv'}"
                         + "".join(f"  plot: {outcome.directory / p}" for p in plots), markup=False, highlight=False)
            paths = outcome.directory / "trajectories.png"
            if paths.exists():
                stdout.print(f"paths: {paths}  {paths.with_suffix('.gif')}", markup=False, highlight=False)
    for note in outcome.notes:
        error_console().print(f"note: {note}", markup=False)
    if outcome.rows and not any(row["status"] == "completed" for row in outcome.rows):
        error_console().print("no variant completed; the table says why", markup=False)
        raise typer.Exit(ExitStatus.FAILED)
