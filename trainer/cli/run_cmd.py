"""`trainer run`: train from a YAML config (or resume a run) and render the log and summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import DivergedError
from .errors import Interrupted, error_console, handle_errors
from .options import Loggers, Overrides, Plugins, load_plugins, logger_overrides

EXAMPLES = """\b
Examples:
  trainer run configs/seed.yaml
  trainer run configs/seed.yaml --set optimizer.lr=0.01 --set training.epochs=50 --out runs/try
  trainer run configs/seed.yaml --quiet --json > summary.json
  trainer run --resume runs/try"""


@handle_errors
def run(
    config: Annotated[Path | None, typer.Argument(
        metavar="CONFIG", help="The YAML config file, e.g. configs/seed.yaml (omit with --resume).",
        show_default=False)] = None,
    overrides: Overrides = None,
    out: Annotated[str | None, typer.Option(
        "--out", "-o", metavar="DIR", help="Run directory, e.g. --out runs/try [default: runs/<name>/<time>-<id>].")
                   ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the final summary.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object on stdout.")] = False,
    resume: Annotated[Path | None, typer.Option(
        "--resume", metavar="RUN_DIR", help="Continue the run in RUN_DIR from its checkpoint, e.g. --resume runs/try.")
                          ] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace a run already in the --out directory.")
                         ] = False,
    logger: Loggers = None,
    plugin: Plugins = None,
) -> None:
    """Train the model described by CONFIG and write a run directory.

    Logs train/validation loss and metrics every training.log_every epochs; writes config.yaml,
    metrics.csv, summary.json, model.npz (and checkpoint.npz) into the run directory.
    Exit codes: 0 done, 2 bad config or usage, 3 training diverged, 130 interrupted.
    """
    load_plugins(plugin)
    from ..runner.run import run as run_training
    from .console import make_console
    from .render import ConsoleRenderer

    stdout = make_console(highlight=False, soft_wrap=True)
    log_console = error_console() if as_json else stdout
    sets = [*(overrides or ()), *logger_overrides(logger)]
    renderer = ConsoleRenderer(log_console, lines=not quiet, progress=False if quiet else None)
    try:
        result = run_training(config, out=out, overrides=sets, resume=resume, overwrite=overwrite,
                              callbacks=[renderer])
    except (DivergedError, KeyboardInterrupt) as exc:
        if renderer.summary is None:
            raise
        _show(renderer.summary, stdout, as_json)
        if isinstance(exc, KeyboardInterrupt):
            where = renderer.summary.get("run_dir")
            raise Interrupted(f"checkpoint saved; continue with: trainer run --resume {where}") from None
        raise
    _show(result.summary, stdout, as_json)


def _show(summary: dict[str, Any], console: Any, as_json: bool) -> None:
    from .render import summary_table

    if as_json:
        typer.echo(json.dumps(summary, allow_nan=False))
    else:
        console.print(summary_table(summary))
