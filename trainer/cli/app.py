"""The `trainer` command's entry point: `trainer run CONFIG --quiet` takes the fast path (`cli.fast`, no typer or
rich), `trainer --help` the text typer printed last time (`cli.help_cache`), everything else the typer app
(`cli.commands.app`, also reachable as `trainer.cli.app.app`)."""

from __future__ import annotations

import gc
import os
import signal
import sys
from typing import Any

from .help_cache import HELP_ARGS, cached_help, render_and_cache


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


# pydantic scans every installed distribution's entry points for its plugins (observability hooks) when it
# builds the first model: 9-11 ms of every command in a venv of ~100 packages, for plugins that have nothing
# to observe in this process. The `trainer` command (not `import trainer`) skips them unless the user set it.
_NO_PYDANTIC_PLUGINS = ("PYDANTIC_DISABLE_PLUGINS", "__all__")
_EXPERIMENTS = (["sweep"], ["compare"], ["benchmark"])  # the commands that run their runs on local workers


def main() -> None:
    """Console-script entry point. SIGTERM is an interruption from the start (exit 130, like Ctrl-C),
    also before a run installs its own handlers, which save a checkpoint."""
    signal.signal(signal.SIGTERM, _terminate)
    os.environ.setdefault(*_NO_PYDANTIC_PLUGINS)
    try:
        code = None
        if sys.argv[1:2] in _EXPERIMENTS and _local_workers(sys.argv[2:]):
            # What the server shares with this process, imported first so the server inherits it: the worker
            # module, and through it numpy, pydantic and the config schema (~0.17 s of a fresh server's ~0.19 s).
            from .._forkserver import fork_server
            from ..experiments import worker  # noqa: F401

            fork_server()
        if sys.argv[1:2] == ["run"]:  # `trainer --help` and the other commands do not even import the fast path
            from .fast import main as fast_main

            code = fast_main(sys.argv[1:])
        elif sys.argv[1:] in HELP_ARGS and os.environ.get("TRAINER_HELP_CACHE", "1") != "0":
            text = cached_help()
            if text is None:
                from .commands import app

                code = render_and_cache(app)
            else:
                sys.stdout.write(text)
                code = 0
        if code is None:
            from .commands import app

            app()  # exits through SystemExit with click's status
        else:
            raise SystemExit(code)
    except KeyboardInterrupt:  # before a command's own handler is in place: during start-up's imports
        from ..errors import ExitStatus

        sys.stderr.write("interrupted\n")
        raise SystemExit(ExitStatus.INTERRUPTED) from None
    finally:
        _freeze()


def _local_workers(args: list[str]) -> bool:
    """Whether these arguments of `trainer sweep` (compare, benchmark) run on local workers (not `--executor dask`,
    not help)."""
    if "--help" in args or "-h" in args:
        return False
    for i, arg in enumerate(args):
        if arg == "--executor":
            return args[i + 1 : i + 2] == ["local"]
        if arg.startswith("--executor="):
            return arg == "--executor=local"
    return True


def _freeze() -> None:
    """Flush the streams, then move every object to the permanent generation so that interpreter shutdown does not
    walk them all (files were already written and renamed by the run)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: the exit status still says what happened
            pass
    gc.freeze()


def __getattr__(name: str) -> Any:
    if name == "app":
        from .commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
