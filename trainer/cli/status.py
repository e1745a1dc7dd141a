"""`trainer status DIR`: a compare's, sweep's or benchmark's progress, or one run's state, read-only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .errors import handle_errors

EXAMPLES = """\b
Examples:
  trainer status runs/seed-regression/sweep-1a2b3c4d
  trainer status runs/cmp --json | jq .counts
  trainer status runs/mine                 # one run directory: completed, interrupted at epoch k of N, ...
Safe while the experiment runs: it takes no lock and writes nothing."""


@handle_errors
def status(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="A compare, sweep, benchmark or run directory.",
                                              show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as one JSON object on stdout.")] = False,
    runs: Annotated[int, typer.Option(
        "--runs", min=0, metavar="N", help="List at most N runs that are not done (0: none).")] = 10,
) -> None:
    """Print the progress of the experiment in DIR (or the state of one run) without touching it.

    For a compare, sweep or benchmark: runs done, running, stale (their experiment's process is gone),
    failed, diverged, pruned, interrupted and waiting; the best run so far; the time spent (wall clock since
    the first run started, and summed run time); a rough time left (runs left × mean run time ÷ workers);
    the command it was started with. For a run directory: completed, interrupted at epoch k of N,
    diverged, running, ... with its final and best values. --json prints one JSON object instead.
    Exit codes: 0 shown, 2 not an experiment or run directory.
    """
    from ..experiments.status import RunDirStatus, read_status
    from .experiment_view import output_console
    from .status_view import experiment_lines, run_lines

    found = read_status(directory)
    if as_json:
        typer.echo(json.dumps(found.as_dict(), indent=2, allow_nan=False))
        return
    console = output_console()
    lines = run_lines(found) if isinstance(found, RunDirStatus) else experiment_lines(found, runs)
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True)
