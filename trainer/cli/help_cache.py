"""`trainer --help` from a cache: the text typer printed last time, for the same CLI files, width and environment.

Importing typer and every command module costs more than the 0.1 s a help screen should take, and the top-level
help only changes when the CLI's files do. The text is kept in `cli/__pycache__/` (beside the bytecode), keyed by
the trainer version, the newest mtime of the CLI's files, typer's, the terminal width and the environment variables that
change click's or typer's output; where that folder cannot be written, help is simply rendered every time.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import shutil
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

HELP_ARGS = (["--help"], ["-h"])
_CLI = Path(__file__).resolve().parent
_ENV_PREFIXES = ("TYPER", "_TYPER", "CLICK", "COLUMNS", "LINES", "TERM", "NO_COLOR", "FORCE_COLOR", "LANG", "LC_")


def cache_key() -> str:
    """What the help text depends on: version, program name, the CLI's and typer's files, width, environment."""
    newest = max((p.stat().st_mtime_ns for p in _CLI.glob("*.py")), default=0)
    package = (_CLI.parent / "__init__.py").stat().st_mtime_ns
    typer = importlib.util.find_spec("typer")  # an upgraded typer may format help differently
    typer_files = os.stat(typer.origin).st_mtime_ns if typer is not None and typer.origin else None
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES))
    main_spec = getattr(sys.modules.get("__main__"), "__spec__", None)  # `python -m trainer` is named so in usage
    program = (sys.argv[0], getattr(main_spec, "name", None))
    return repr((sys.version, program, newest, package, typer_files, shutil.get_terminal_size().columns, env))


def cache_path(key: str) -> Path:
    """Where the help text for `key` is kept (the file's first line repeats the key, so a clash is a miss)."""
    return _CLI / "__pycache__" / f"help-{zlib.crc32(key.encode()):08x}.txt"


def cached_help() -> str | None:
    """The cached help text, or None when there is none for this CLI, terminal and environment."""
    key = cache_key()
    try:
        stored = cache_path(key).read_text(encoding="utf-8")
    except OSError:
        return None
    first, _, text = stored.partition("\n")
    return text if first == key else None


def render_and_cache(app: Callable[[], None]) -> int:
    """Run the typer `app` for `--help`, print what it printed, and keep it when it succeeded; the exit code."""
    out = io.StringIO()
    code: int | str | None = 0
    with contextlib.redirect_stdout(out):
        try:
            app()
        except SystemExit as exc:
            code = exc.code
    text = out.getvalue()
    sys.stdout.write(text)
    if code in (0, None) and text:
        _store(text)
    return 0 if code is None else code if isinstance(code, int) else 1


def _store(text: str) -> None:
    key = cache_key()
    path = cache_path(key)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        tmp.write_text(f"{key}\n{text}", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a read-only install: no cache, help is rendered each time
        with contextlib.suppress(OSError):
            tmp.unlink()
