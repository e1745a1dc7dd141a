"""`trainer predict` and `trainer evaluate`: use a trained run directory on new or held-out data."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer

from .errors import handle_errors
from .options import Plugins, load_plugins

PREDICT_EXAMPLES = """\b
Examples:
  trainer predict runs/spirals new.csv
  trainer predict runs/spirals new.csv --proba --out probabilities.csv
  trainer predict runs/images x.npz
  cat new.csv | trainer predict runs/spirals -"""

EVALUATE_EXAMPLES = """\b
Examples:
  trainer evaluate runs/spirals
  trainer evaluate runs/spirals labelled.csv --json"""

RunDir = Annotated[Path, typer.Argument(metavar="RUN_DIR", help="A run directory (trainer run's --out).",
                                         show_default=False)]


@handle_errors
def predict(
    run_dir: RunDir,
    data: Annotated[str, typer.Argument(
        metavar="DATA", help="A .csv with a header naming the run's features (any order; the target column is "
        "ignored), an .npz with an array x, or - for csv on stdin.", show_default=False)],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FILE", help="Write the predictions as csv (with a header) to FILE.")] = None,
    proba: Annotated[bool, typer.Option(
        "--proba", help="One column of probabilities per class, named by the class labels.")] = False,
    plugin: Plugins = None,
) -> None:
    """Predict with the model in RUN_DIR: one line per row of DATA, raw inputs preprocessed as in training.

    Prints the class label (classification) or the value(s) (regression) of each row; several columns
    (--proba, several targets) come as csv with a header row.
    """
    load_plugins(plugin)
    from ..runner.predict import load_run, prediction_table, predictions_csv, write_predictions

    header, rows = prediction_table(load_run(run_dir), data, proba=proba)
    if out is not None:
        write_predictions(out, header, rows)
        return
    typer.echo(predictions_csv(header, rows, with_header=len(header) > 1), nl=False)


@handle_errors
def evaluate(
    run_dir: RunDir,
    data: Annotated[str | None, typer.Argument(
        metavar="[DATA]", help="A .csv or .npz with inputs and targets (- for csv on stdin) [default: the run's "
        "validation split, rebuilt from its config and seed].", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as one JSON object.")] = False,
    plugin: Plugins = None,
) -> None:
    """The loss and metrics of the model in RUN_DIR on DATA, or on its own validation split.

    Without DATA the numbers equal the metrics.csv row of the epoch model.npz holds, bit for bit.
    """
    load_plugins(plugin)
    from ..runner.predict import load_run

    results = load_run(run_dir).evaluate(data)
    if as_json:
        finite = {k: v if not isinstance(v, float) or math.isfinite(v) else None for k, v in results.items()}
        typer.echo(json.dumps(finite, allow_nan=False))
        return
    width = max(map(len, results))
    for key, value in results.items():
        typer.echo(f"{key:<{width}}  {value!r}" if isinstance(value, float) else f"{key:<{width}}  {value}")
