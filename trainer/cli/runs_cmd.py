"""`trainer runs`: past runs and experiments under a directory, newest first (reads files only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .errors import handle_errors

EXAMPLES = """\b
Examples:
  trainer runs
  trainer runs runs/seed-regression --limit 5
  trainer runs --json | jq '.[0].path'"""


@handle_errors
def runs(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Where to look [default: runs].",
                                              show_default=False)] = Path("runs"),
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="Show the newest N only.",
                                              show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as one JSON array on stdout.")] = False,
) -> None:
    """List past runs (and compares and sweeps) found under DIR, newest first: name, date, status,
    final judged loss (validation if any, else training) and main metric, path."""
    from rich.table import Table

    from ..experiments.past_runs import past_runs
    from .experiment_view import fmt, output_console

    rows = past_runs(directory, limit)
    if as_json:
        typer.echo(json.dumps(rows, allow_nan=False))
        return
    console = output_console()
    if not rows:
        console.print(f"no runs under {directory}", markup=False, highlight=False)
        return
    table = Table(title=f"runs under {directory}", header_style="bold")
    for name, justify in (("name", "left"), ("kind", "left"), ("date", "left"), ("status", "left"),
                          ("loss", "right"), ("metric", "right"), ("path", "left")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        loss = f"{row['loss_column']} {fmt(row['loss'], 4)}" if row["loss"] is not None else "-"
        metric = f"{row['metric_column']} {fmt(row['metric'], 4)}" if row["metric"] is not None else "-"
        table.add_row(str(row["name"]), row["kind"], row["date"], str(row["status"]), loss, metric, row["path"])
    console.print(table)
