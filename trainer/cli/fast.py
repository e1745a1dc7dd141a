"""`trainer run CONFIG --quiet` without typer: a minimal parser for the argv shapes that render nothing but the summary.

`parse` accepts exactly `run CONFIG --quiet|-q [--json] [--out|-o DIR] [--set|-s KEY=VALUE ...] [--overwrite]`
(options in any order, `--opt=value` too); anything else returns None and the typer app takes over, so help, usage
errors and every other command keep their messages. Failures are reported by `cli.errors.handle_errors` itself
(imported only then), so messages and exit codes are the typer path's. TRAINER_NO_FAST=1 turns this path off.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any, NamedTuple

_VALUED = {"--out": "out", "-o": "out", "--set": "sets", "-s": "sets"}
_FLAGS = {"--quiet": "quiet", "-q": "quiet", "--json": "as_json", "--overwrite": "overwrite"}


class FastRun(NamedTuple):
    """The arguments of one `trainer run` the fast path can serve (no dataclasses: `--help` imports this too)."""

    config: str
    quiet: bool = False
    as_json: bool = False
    overwrite: bool = False
    out: str | None = None
    sets: tuple[str, ...] = ()


def parse(argv: list[str]) -> FastRun | None:
    """The run `argv` asks for, or None when it is not a shape this path serves exactly as typer would."""
    if len(argv) < 2 or argv[0] != "run" or os.environ.get("TRAINER_NO_FAST"):
        return None
    config: str | None = None
    values: dict[str, Any] = {"sets": []}
    args = iter(argv[1:])
    for arg in args:
        name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _FLAGS and not eq:
            values[_FLAGS[name]] = True
        elif name in _VALUED:
            value = inline if eq else next(args, None)
            if value is None or (not eq and value.startswith("-")):
                return None  # a missing value or one that looks like an option: typer says which
            if _VALUED[name] == "sets":
                values["sets"].append(value)
            elif "out" in values:
                return None  # typer keeps the last --out; not worth mirroring
            else:
                values["out"] = value
        elif not arg.startswith("-") and config is None and arg:
            config = arg
        else:
            return None
    if config is None or not values.get("quiet"):
        return None  # lines and a live progress bar are rich's job
    return FastRun(config=config, **{**values, "sets": tuple(values["sets"])})


def main(argv: list[str]) -> int | None:
    """Run `argv` on the fast path and return its exit status, or None when typer must handle it."""
    request = parse(argv)
    if request is None:
        return None
    gc.disable()  # the start-up imports make thousands of objects and no garbage: no collections until training
    try:
        _run(request)
    except BaseException as exc:  # noqa: BLE001 - reported exactly as the typer command reports it
        if isinstance(exc, SystemExit):
            raise
        return _report(exc)
    finally:
        gc.enable()
    return 0


class _Summary:
    """The quiet renderer's part that matters without a console: it keeps the summary (also of a failed run)."""

    summary: dict[str, Any] | None = None


def _run(request: FastRun) -> None:
    from pathlib import Path

    from ..errors import DivergedError, Interrupted
    from ..runner.run import run as run_training
    from ..training.callbacks import Callback

    class Keep(Callback):
        def on_run_start(self, state: Any) -> None:
            gc.freeze()  # what start-up made lives to the end: the loop's collections need not walk it
            gc.enable()

        def finalize(self, state: Any, summary: dict[str, Any]) -> None:
            _Summary.summary = summary

    _Summary.summary = None
    try:
        result = run_training(Path(request.config), out=request.out, overrides=list(request.sets), resume=None,
                              overwrite=request.overwrite, callbacks=[Keep()])
    except (DivergedError, KeyboardInterrupt) as exc:
        if _Summary.summary is None:
            raise
        _show(_Summary.summary, request.as_json)
        if isinstance(exc, KeyboardInterrupt):
            where = _Summary.summary.get("run_dir")
            raise Interrupted(f"checkpoint saved; continue with: trainer run --resume {where}") from None
        raise
    _show(result.summary, request.as_json)


def _show(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        import json

        sys.stdout.write(json.dumps(summary, allow_nan=False) + "\n")
        sys.stdout.flush()
        return
    from .plain_summary import plain_summary

    text = plain_summary(summary)  # rich's own characters, where rich would add nothing to them
    if text is not None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .console import make_console
    from .render import summary_table

    make_console(highlight=False, soft_wrap=True).print(summary_table(summary))


def _report(exc: BaseException) -> int:
    """Print `exc` as `trainer run` does and return its exit status (typer is imported only here)."""
    import typer

    from .errors import handle_errors

    @handle_errors
    def reraise() -> None:
        raise exc

    try:
        reraise()
    except typer.Exit as done:
        return done.exit_code
    return 1  # pragma: no cover - handle_errors always ends in typer.Exit
