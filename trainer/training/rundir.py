"""The run directory: where it is, refusing to clobber a finished run, and its files."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..errors import UserError
from . import atomic, lock
from .run_files import (  # noqa: F401 - the names are part of this module's interface
    CHECKPOINT,
    CONFIG,
    METRICS,
    MODEL,
    RUN_FILES,
    SUMMARY,
    metrics_csv,
    parse_metrics,
)


def default_run_dir(name: str, root: str | Path = "runs") -> Path:
    """`runs/<name>/<timestamp>-<short id>/` (the id keeps two runs started in the same second apart)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "run"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return Path(root) / safe / f"{stamp}-{os.urandom(3).hex()}"


def prepare_run_dir(path: str | Path, overwrite: bool = False) -> Path:
    """Create the directory; a directory already holding a run is an error unless `overwrite`."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UserError(f"the run directory {path} exists and is not a directory", key="--out")
    existing = [name for name in RUN_FILES if (path / name).exists()]
    if existing and not overwrite:
        raise UserError(f"{path} already holds a run ({', '.join(existing)})", key="--out",
                        hint="pass --overwrite to replace it, --resume to continue it, or choose another --out")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the run directory {path}: {exc.strerror}", key="--out") from None
    for name in existing:
        (path / name).unlink()
    remove_stale_temp_files(path)
    return path


_NOT_WRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)
_IN_USE = {"--out": "wait for that run to finish, or choose another --out",
           "--resume": "that run is still training; wait for it to finish (or stop it) before resuming"}
_READ_ONLY = {"--out": "choose an --out on a writable filesystem",
              "--resume": "a run resumes in its own directory; copy it somewhere writable and resume the copy"}


@contextlib.contextmanager
def owned(path: str | Path, key: str) -> Iterator[Path]:
    """Create `path` if needed and hold its lock for the block; a read-only or forbidden directory is a UserError.

    `key` (`--out` or `--resume`) is where errors point.
    """
    path = Path(path)
    try:
        if path.exists() and not path.is_dir():
            raise UserError(f"the run directory {path} exists and is not a directory", key=key)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create the run directory {path}: {exc.strerror}", key=key) from None
        with lock.DirLock(path, key=key, hint=_IN_USE.get(key)):
            yield path
    except OSError as exc:
        if exc.errno not in _NOT_WRITABLE or not _inside(exc.filename, path):
            raise
        raise UserError(f"cannot write to the run directory {path}: {exc.strerror}", key=key,
                        hint=_READ_ONLY.get(key)) from None


def _inside(filename: Any, path: Path) -> bool:
    """Whether an OSError's file is `path` or in it (an error naming no file is not blamed on the directory)."""
    if filename is None:
        return False
    try:
        return Path(os.fsdecode(filename)).resolve().is_relative_to(path.resolve())
    except (TypeError, ValueError, OSError):
        return False


def remove_stale_temp_files(path: Path) -> None:
    """Delete temporary files a killed process left half-written (`.metrics.csv.<random>.tmp`, ...).

    Nothing is deleted while another process holds the directory: its temporary files are live.
    """
    if lock.locked_elsewhere(path):
        return
    for name in RUN_FILES:
        for tmp in Path(path).glob(f".{name}.*.tmp"):
            tmp.unlink(missing_ok=True)


def write_config(path: Path, resolved: dict[str, Any]) -> None:
    """config.yaml: the resolved config (overrides applied, defaults filled in), in the file's key order."""
    atomic.write_text(path / CONFIG, config_text(resolved))


def config_text(resolved: dict[str, Any]) -> str:
    """`yaml.safe_dump`'s text of a config, through libyaml's emitter (~7x faster) when that gives the same text:
    for plain data whose strings are all printable ASCII (it wraps escaped strings differently)."""
    dumper = getattr(yaml, "CSafeDumper", None)
    if dumper is None or not _plain_ascii(resolved):
        dumper = yaml.SafeDumper
    return yaml.dump(resolved, Dumper=dumper, sort_keys=False, default_flow_style=None)


def _plain_ascii(value: Any) -> bool:
    """Whether `value` is dicts, lists, numbers, booleans and None with printable ASCII strings only."""
    if isinstance(value, str):
        return value.isascii() and value.isprintable()
    if isinstance(value, dict):
        return all(_plain_ascii(k) and _plain_ascii(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_ascii(v) for v in value)
    return value is None or type(value) in (bool, int, float)


def write_metrics(path: Path, columns: list[str], history: list[dict[str, Any]]) -> None:
    atomic.write_text(path / METRICS, metrics_csv(columns, history))


def read_metrics(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a metrics.csv as dicts (numbers parsed; empty cells None)."""
    return parse_metrics(Path(path).read_bytes())
