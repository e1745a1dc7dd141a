"""The `trainer` command: parses arguments, calls the core, renders results."""

from __future__ import annotations

import typer

from .. import __version__

app = typer.Typer(
    name="trainer",
    help="Train neural networks described in YAML on trainer's numpy autograd engine.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"trainer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Train neural networks described in YAML on trainer's numpy autograd engine."""


def main() -> None:
    """Console-script entry point."""
    app()
