"""The layer table of `trainer validate`: each layer's output shape (rows as n) and parameter count, and the total."""

from __future__ import annotations

from typing import Any

from rich.table import Table


def _shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(["n", *map(str, shape[1:])]) + (",)" if len(shape) == 1 else ")")


def layer_table(input_shape: tuple[int, ...], layers: tuple[Any, ...]) -> Table:
    """A rich Table: the data's row shape first, then one row per layer, then the total parameter count."""
    table = Table(show_header=True, header_style="bold", show_footer=True, footer_style="bold")
    table.add_column("#", justify="right")
    table.add_column("layer", footer="total")
    table.add_column("output shape")
    table.add_column("params", justify="right", footer=f"{sum(layer.params for layer in layers):,}")
    table.add_row("", "input", _shape(input_shape), "")
    for layer in layers:
        table.add_row(str(layer.index), layer.type, _shape(layer.output_shape), f"{layer.params:,}")
    return table
