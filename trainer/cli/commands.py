"""The typer app behind `trainer`: parses arguments, calls the core, renders results.

Commands live in their own modules and import the heavy parts (nn, optim, config) only when they run,
so `trainer --help` stays fast.
"""

from __future__ import annotations

import typer

from .. import __version__
from . import benchmark, compare, export_cmd, info_cmds, run_cmd, runs_cmd, show_cmd, sweep
from . import predict as predict_cmd
from . import status as status_cmd
from .usage import use_one_style

app = typer.Typer(
    name="trainer",
    help="Train neural networks described in YAML on trainer's numpy autograd engine.\n\n"
         "Example: trainer run configs/seed.yaml --set optimizer.lr=0.01",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"trainer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Train neural networks described in YAML on trainer's numpy autograd engine.

    Example: trainer run configs/seed.yaml --set optimizer.lr=0.01
    """


app.command("run", epilog=run_cmd.EXAMPLES)(run_cmd.run)
app.command("validate", epilog=info_cmds.VALIDATE_EXAMPLES)(info_cmds.validate)
app.command("schema", epilog=info_cmds.SCHEMA_EXAMPLES)(info_cmds.schema)
app.command("list", epilog=info_cmds.LIST_EXAMPLES)(info_cmds.list_types)
app.command("compare", epilog=compare.EXAMPLES)(compare.compare)
app.command("sweep", epilog=sweep.EXAMPLES)(sweep.sweep)
app.command("benchmark", epilog=benchmark.EXAMPLES)(benchmark.benchmark)
app.command("status", epilog=status_cmd.EXAMPLES)(status_cmd.status)
app.command("show", epilog=show_cmd.EXAMPLES)(show_cmd.show)
app.command("runs", epilog=runs_cmd.EXAMPLES)(runs_cmd.runs)
app.command("export", epilog=export_cmd.EXAMPLES)(export_cmd.export)
app.command("predict", epilog=predict_cmd.PREDICT_EXAMPLES)(predict_cmd.predict)
app.command("evaluate", epilog=predict_cmd.EVALUATE_EXAMPLES)(predict_cmd.evaluate)
use_one_style(app)  # after every command: CONFIG / [CONFIG] in each one's usage and help

