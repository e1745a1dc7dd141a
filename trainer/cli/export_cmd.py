"""`trainer export tensorboard|mlflow`: runs already made, handed to a tracker."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import UserError
from .errors import handle_errors

EXAMPLES = """\b
Examples:
  trainer export tensorboard runs/seed-regression/compare-1a2b3c4d   # then: tensorboard --logdir that dir
  trainer export tensorboard runs/mine --to /tmp/tb
  trainer export mlflow runs/mine                                     # into runs/mine/mlflow.db
  trainer export mlflow runs/seed-regression/sweep-5e6f7a8b --to sqlite:///mlruns.db"""


@handle_errors
def export(
    tracker: Annotated[str, typer.Argument(metavar="TRACKER", help="The tracker: tensorboard or mlflow.",
                                           show_default=False)],
    path: Annotated[Path, typer.Argument(metavar="RUN_OR_EXPERIMENT_DIR", help="A run or compare/sweep directory.",
                                         show_default=False)],
    to: Annotated[str | None, typer.Option(
        "--to", metavar="DIR|URI",
        help="tensorboard: the event files' folder [default: each run's tb/]; mlflow: the tracking URI "
             "[default: MLFLOW_TRACKING_URI, else sqlite:///DIR/mlflow.db].", show_default=False)] = None,
) -> None:
    """Write the runs in a run or experiment directory to TensorBoard event files (scalars per epoch,
    the config as hparams) or to an MLflow store (one MLflow run per run; a compare or sweep is one
    MLflow experiment). Needs the tensorboard or mlflow extra (.venv/bin/pip install -e '.[mlflow]')."""
    from ..experiments.export import TRACKERS, export_mlflow, export_tensorboard
    from .experiment_view import output_console

    console = output_console()
    if tracker == "tensorboard":
        written = export_tensorboard(path, to)
        for logdir in written:
            console.print(f"tensorboard: {logdir}", markup=False, highlight=False)
        top = Path(to) if to else path
        console.print(f"{len(written)} run(s) written; view with: tensorboard --logdir {top}", markup=False,
                      highlight=False)
    elif tracker == "mlflow":
        uri, name, ids = export_mlflow(path, to)
        console.print(f"{len(ids)} run(s) in MLflow experiment '{name}' at {uri}", markup=False, highlight=False)
    else:
        raise UserError(f"unknown tracker '{tracker}'", key="TRACKER", hint=f"one of: {', '.join(TRACKERS)}")
