"""`trainer benchmark`: a suite of problems × optimizers, each tuned, scored by performance profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .errors import error_console, handle_errors
from .options import Address, AsJson, ConnectTimeout, Executor, Jobs, Quiet

EXAMPLES = """\b
Examples:
  trainer benchmark configs/suites/small.yaml
  trainer benchmark configs/suites/small.yaml -j 2 --out runs/bench
  trainer benchmark configs/suites/small.yaml --executor dask --address tcp://HOST:8786
Run the same command again to resume: finished runs are reused."""


@handle_errors
def benchmark(
    suite: Annotated[Path, typer.Argument(
        metavar="SUITE", help="The suite YAML file, e.g. configs/suites/small.yaml.", show_default=False)],
    jobs: Jobs = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="DIR", help="Benchmark directory [default: runs/<suite>/benchmark-<digest>].")
                   ] = None,
    executor: Executor = "local",
    address: Address = None,
    connect_timeout: ConnectTimeout = None,
    quiet: Quiet = False,
    as_json: AsJson = False,
) -> None:
    """Tune every optimizer of SUITE on every problem (as compare --tune does), then score them AlgoPerf-style.

    Writes DIR/scores.csv (score = ∫ρ(τ) over τ in [1, 4] / 3, by time to target and by final loss),
    DIR/ratios.csv, DIR/profile.png with profile.csv, DIR/summary.md, DIR/problems/<name>/results.csv
    and every run under DIR/runs/. Exit codes: 0 done, 2 bad suite or usage, 130 interrupted.
    """
    from ..experiments.benchmark import run_benchmark
    from .experiment_view import ExperimentProgress, output_console, print_json, scores_table

    stdout = output_console()
    log = output_console(stderr=True) if as_json else stdout
    progress = ExperimentProgress(log, "benchmark", lines=not quiet)
    try:
        outcome = run_benchmark(str(suite), jobs, out, executor=executor, address=address, progress=progress,
                                connect_timeout=connect_timeout)
    finally:
        progress.close()
    if as_json:
        print_json(outcome.scores)
    else:
        stdout.print(scores_table(outcome.scores, title=f"benchmark: {suite}"))
        if not quiet:
            shown = [n for n in ("summary.md", "scores.csv", "profile.png") if (outcome.directory / n).exists()]
            stdout.print("  ".join(f"{n}: {outcome.directory / n}" for n in shown), markup=False, highlight=False)
    for note in outcome.notes:
        error_console().print(f"note: {note}", markup=False)
