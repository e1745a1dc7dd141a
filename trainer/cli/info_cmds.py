"""`trainer validate`, `trainer schema`, `trainer list`: everything about configs short of training."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from .errors import handle_errors
from .options import Config, Overrides, Plugins, load_plugins

VALIDATE_EXAMPLES = """\b
Examples:
  trainer validate configs/seed.yaml
  trainer validate configs/seed.yaml --set model.layers.0.out_features=64"""

SCHEMA_EXAMPLES = """\b
Example (editor completion for configs):
  trainer schema > trainer.schema.json"""

LIST_EXAMPLES = """\b
Examples:
  trainer list
  trainer list optimizers
  trainer list optimizer --plugin configs/plugins/sign_descent.py"""


def complete_kind(incomplete: str) -> list[str]:
    """Shell completion for `trainer list KIND`: the kinds' plural names."""
    from ..config.registry import KINDS
    from .listing import plural

    return [name for name in (plural(k) for k in (*KINDS, "metric")) if name.startswith(incomplete.lower())]


@handle_errors
def validate(
    config: Config,
    overrides: Overrides = None,
    plugin: Plugins = None,
) -> None:
    """Check CONFIG without training: keys, types, ranges, data files and model/data/loss shapes; print each
    layer's output shape and parameter count."""
    load_plugins(plugin)
    from ..experiments.validate import validate_report
    from .console import make_console
    from .layer_table import layer_table

    report = validate_report(config, overrides or ())
    console = make_console(highlight=False, soft_wrap=True)
    if report.input_shape is not None:
        console.print(layer_table(report.input_shape, report.layers))
    console.print(f"ok: {config} is valid ({report.description})", markup=False)


@handle_errors
def schema(plugin: Plugins = None) -> None:
    """Print the JSON Schema of config files (for editors' YAML language servers)."""
    load_plugins(plugin)
    from ..config import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


@handle_errors
def list_types(
    kind: Annotated[str | None, typer.Argument(
        metavar="KIND", help="Only this kind, singular or plural: data, layers, inits, losses, optimizers, "
                             "schedulers, objectives, metrics.", show_default=False,
        autocompletion=complete_kind)] = None,
    plugin: Plugins = None,
) -> None:
    """Show every data type, layer, loss, optimizer, scheduler and metric with its arguments and defaults."""
    load_plugins(plugin)
    from .console import make_console
    from .listing import render_listing

    render_listing(make_console(highlight=False, soft_wrap=True), kind)
