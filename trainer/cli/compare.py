"""`trainer compare`: one config, several optimizers (and seeds), one table and one plot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import ExitStatus
from .errors import error_console, handle_errors
from .options import Address, AsJson, ConnectTimeout, Executor, Jobs, Quiet

EXAMPLES = """\b
Examples:
  trainer compare configs/seed.yaml --optimizers adam,sgd,rmsprop,adagrad
  trainer compare configs/seed.yaml --optimizers 'adam:lr=0.08,sgd:lr=0.01:momentum=0.9' --seeds 3
  trainer compare configs/seed.yaml --optimizers adam,adamw --set training.epochs=50 --out runs/cmp --json"""


@handle_errors
def compare(
    config: Annotated[Path, typer.Argument(help="The YAML config file.", show_default=False)],
    optimizers: Annotated[str | None, typer.Option(
        "--optimizers", "-O", metavar="SPECS",
        help="Comma-separated optimizers, each NAME or NAME:KEY=VALUE[:KEY=VALUE] "
             "[default: the config's compare: list].")] = None,
    overrides: Annotated[list[str] | None, typer.Option(
        "--set", "-s", metavar="KEY=VALUE", help="Override a config value for every variant; repeatable.")] = None,
    seeds: Annotated[int, typer.Option(
        "--seeds", min=1, metavar="K", help="Seeds per variant (the config's seed and the next).")] = 1,
    jobs: Jobs = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Experiment directory [default: runs/<name>/compare-<digest>].")] = None,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", help="Also report the epochs each variant took to bring the loss to this value.")] = None,
    executor: Executor = "local",
    address: Address = None,
    connect_timeout: ConnectTimeout = None,
    quiet: Quiet = False,
    as_json: AsJson = False,
) -> None:
    """Train CONFIG once per optimizer (and seed) on the same data, initial weights and batch order.

    Prints a table sorted best first (mean ± std over seeds) and writes DIR/results.csv,
    DIR/results.json, DIR/loss_curves.png (on a 2-D objective also DIR/trajectories.png, .gif and
    .csv) and every run under DIR/runs/. Rerunning the same command reuses finished runs. Exit codes:
    0 done, 1 no variant completed, 2 bad config or usage, 130 interrupted.
    """
    from ..experiments.compare import run_compare
    from .experiment_view import ExperimentProgress, output_console, print_json, results_table

    stdout = output_console()
    log = output_console(stderr=True) if as_json else stdout
    progress = ExperimentProgress(log, "compare", lines=not quiet)
    try:
        outcome = run_compare(str(config), optimizers, seeds, jobs, out, overrides or (), threshold,
                              executor=executor, address=address, progress=progress,
                              connect_timeout=connect_timeout)
    finally:
        progress.close()
    if as_json:
        print_json(outcome.rows)
    else:
        stdout.print(results_table(outcome.rows, title=f"compare: {config}", first="variant", threshold=threshold))
        if not quiet:
            stdout.print(f"results: {outcome.directory / 'results.csv'}  plot: {outcome.directory / 'loss_curves.png'}",
                         markup=False, highlight=False)
            paths = outcome.directory / "trajectories.png"
            if paths.exists():
                stdout.print(f"paths: {paths}  {paths.with_suffix('.gif')}", markup=False, highlight=False)
    if outcome.rows and not any(row["status"] == "completed" for row in outcome.rows):
        error_console().print("no variant completed; the table says why", markup=False)
        raise typer.Exit(ExitStatus.FAILED)
