"""Command-line options that several commands share, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Config = Annotated[Path, typer.Argument(
    metavar="CONFIG", help="The YAML config file, e.g. configs/seed.yaml.", show_default=False)]
Overrides = Annotated[list[str] | None, typer.Option(
    "--set", "-s", metavar="KEY=VALUE",
    help="Override a config value (YAML-parsed), e.g. --set training.epochs=50; repeatable.", show_default=False)]
Jobs = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, metavar="N", help="Parallel runs [default: one per core].")]
Executor = Annotated[str, typer.Option(
    "--executor", metavar="local|dask", help="Where runs train: local (a process pool) or dask (a cluster, with "
                                             "--address).")]
Address = Annotated[str | None, typer.Option(
    "--address", metavar="ADDRESS", help="The Dask scheduler, e.g. tcp://HOST:8786 (with --executor dask).")]
ConnectTimeout = Annotated[float | None, typer.Option(
    "--connect-timeout", min=0.001, metavar="SECONDS",
    help="How long to wait for the Dask scheduler to answer [default: 10].", show_default=False)]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the table.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the rows as one JSON array on stdout.")]
Plugins = Annotated[list[str] | None, typer.Option(
    "--plugin", "-p", metavar="PATH.py|MODULE",
    help="Import this Python file (or module) first: its Optimizer subclasses, and what it registers, become "
         "config types; repeatable.", show_default=False)]


def load_plugins(plugins: list[str] | None) -> None:
    """Import the `--plugin` files and modules (the core does the loading; a bad one is a UserError)."""
    if plugins:
        from ..config.plugins import load_plugins as load

        load(plugins)


Loggers = Annotated[list[str] | None, typer.Option(
    "--logger", metavar="tensorboard|mlflow|csv",
    help="Feed this tracker every epoch (sets training.loggers, replacing the config's list); repeatable.",
    show_default=False)]


def logger_overrides(loggers: list[str] | None) -> list[str]:
    """`--logger` as the `--set training.loggers=[...]` it stands for (the config's schema checks the names)."""
    return [f"training.loggers=[{','.join(loggers)}]"] if loggers else []
