"""`trainer show`: a run (summary, config diff, curves) or an experiment (its table), from its directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from .errors import handle_errors
from .options import Plugins, load_plugins

EXAMPLES = """\b
Examples:
  trainer show runs/seed-regression/20260101-120000-ab12cd
  trainer show runs/seed-regression/compare-1a2b3c4d
  trainer show runs/mine --json | jq .summary.final_train_loss"""


@handle_errors
def show(
    path: Annotated[Path, typer.Argument(metavar="RUN_DIR|EXPERIMENT_DIR", help="A run or compare/sweep directory.",
                                         show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print what is shown as one JSON object on stdout.")
                       ] = False,
    plot: Annotated[bool, typer.Option("--plot/--no-plot", help="Write the run's curves.png.")] = True,
    plugin: Plugins = None,
) -> None:
    """Show a past run: its summary, its config's differences from the defaults, its curves
    (written to curves.png beside metrics.csv; as text sparklines too in a terminal). For a compare
    or sweep directory, its result table."""
    load_plugins(plugin)
    from ..experiments.show import show as gather
    from .experiment_view import output_console

    shown = gather(path, plot=plot)
    if as_json:
        typer.echo(json.dumps(shown, allow_nan=False, default=str))
        return
    console = output_console()
    if shown["kind"] == "run":
        _run(shown, console)
    else:
        _experiment(shown, console)


def _run(shown: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    from .experiment_view import fmt
    from .render import summary_table
    from .sparkline import sparkline

    console.print(f"run {shown['name']}  {shown['path']}", markup=False, highlight=False)
    console.print(summary_table(shown["summary"]))
    diff = shown["config_diff"]
    if diff is not None:
        table = Table(title="config: what differs from the defaults", header_style="bold")
        for name in ("key", "value", "default"):
            table.add_column(name)
        for row in diff:
            table.add_row(row["key"], _text(row["value"]), _text(row["default"]))
        console.print(table)
    if console.is_terminal:
        width = max(len(c) for c in shown["curves"]) if shown["curves"] else 0
        for column, values in shown["curves"].items():
            numbers = [v for v in values if isinstance(v, int | float)]
            ends = f"{fmt(numbers[0], 4)} → {fmt(numbers[-1], 4)}" if numbers else ""
            console.print(f"{column:<{width}}  {sparkline(values)}  {ends}", markup=False, highlight=False)
    if shown["plot"]:
        console.print(f"curves: {shown['plot']}", markup=False, highlight=False)
    if shown["note"]:
        console.print(f"note: {shown['note']}", markup=False, highlight=False)


def _experiment(shown: dict[str, Any], console: Any) -> None:
    from .experiment_view import results_table

    kind = shown["kind"]
    if shown["rows"]:
        first = "variant" if kind == "compare" else "run"
        console.print(results_table(shown["rows"], title=f"{kind}: {shown['path']}", first=first,
                                    extra=shown["override_keys"]))
    elif shown["markdown"]:
        console.print(shown["markdown"], markup=False, highlight=False)
    else:
        console.print(f"{kind}: {shown['path']} has no results yet", markup=False, highlight=False)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
