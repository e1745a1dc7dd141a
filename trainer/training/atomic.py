"""Atomic file writes: a temporary file in the same directory, fsync, then `os.replace`.

A crash or a kill at any moment leaves either the old file or the new one, never half of one.
Inside `one_dir_sync(directory)` the files written there skip their directory fsync and share one when
the block ends, before anything that says they exist (summary.json) is written.
Files get the usual mode, 0666 less the umask (not the 0600 of a bare temporary file).
`write_npz` also fixes the zip timestamps, so the same arrays always give the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import threading
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # a fixed timestamp: npz bytes depend on the arrays only
_deferred = threading.local()  # .dirs: the directories whose fsync `one_dir_sync` blocks put off, per thread


def write_bytes(path: str | os.PathLike[str], data: bytes, *, durable: bool = True) -> Path:
    """Write `data` to `path` atomically and, unless `durable` is false, durably (file and directory fsync).

    Without `durable` a crash can leave the old file, never half of the new one: for notes that are
    rebuilt or dropped on restart anyway (a sweep's in-flight marks).
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        name_file(exc, path)
        raise
    if durable and path.parent not in getattr(_deferred, "dirs", ()):
        _fsync_dir(path.parent)
    return path


@contextlib.contextmanager
def one_dir_sync(directory: str | os.PathLike[str]) -> Iterator[None]:
    """Files written in `directory` during the block share one directory fsync at its end (also on errors).

    Each file's data is still fsynced before its rename; only making the renames durable is grouped.
    """
    directory = Path(directory)
    dirs: list[Path] = _deferred.__dict__.setdefault("dirs", [])
    dirs.append(directory)
    try:
        yield
    finally:
        dirs.remove(directory)
        _fsync_dir(directory)


def write_text(path: str | os.PathLike[str], text: str, *, durable: bool = True) -> Path:
    """Write UTF-8 text atomically (`write_bytes`)."""
    return write_bytes(path, text.encode("utf-8"), durable=durable)


def write_json(path: str | os.PathLike[str], obj: Any, *, durable: bool = True) -> Path:
    """Write strict JSON (no NaN/Infinity) atomically, indented, with a final newline (`write_bytes`)."""
    return write_text(path, json.dumps(obj, indent=2, allow_nan=False) + "\n", durable=durable)


def npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """The bytes of an uncompressed .npz holding `arrays`, loadable with `allow_pickle=False`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, mode="w", compression=zipfile.ZIP_STORED) as zf:
        for key, value in arrays.items():
            arr = np.asarray(value)
            if arr.dtype.hasobject:
                raise TypeError(f"array {key!r} has dtype object; npz files here never hold pickles")
            member = io.BytesIO()
            np.lib.format.write_array(member, arr, allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=_ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            zf.writestr(info, member.getvalue())
    return buf.getvalue()


def write_npz(path: str | os.PathLike[str], arrays: Mapping[str, np.ndarray]) -> Path:
    """Write `arrays` as an .npz file atomically; the same arrays always give the same bytes."""
    return write_bytes(path, npz_bytes(arrays))


def name_file(exc: BaseException, path: Path) -> None:
    """Give an OSError from writing (a full disk on `write`, say) the file it was for, if it names none."""
    if isinstance(exc, OSError) and exc.filename is None:
        exc.filename = str(path)


def current_umask() -> int:
    """The process's umask, read without changing it where the OS allows (Linux), so threads never race."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
