"""metrics.csv as an append-only log: new rows are appended and fsynced, never the whole file rewritten.

A checkpoint stores no history: the rows up to its epoch are read back from metrics.csv on resume.
Rows a killed run appended after its last checkpoint are cut off when the run resumes.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from ..errors import UserError
from . import atomic
from .run_files import metrics_csv, metrics_rows, parse_cell


def append_rows(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> int:
    """Append `rows` durably (write, flush, fsync); a failed write is cut back off. Returns the bytes written."""
    data = metrics_rows(columns, rows).encode("utf-8")
    if not data:
        return 0
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        start = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except BaseException as exc:
            _cut(fd, start)
            atomic.name_file(exc, path)
            raise
    finally:
        os.close(fd)
    return len(data)


def reset(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """Make the file hold the header and exactly `rows`: cut it back when it already starts with them."""
    keep = _prefix_length(path, columns, len(rows))
    if keep is None:  # a new run's header needs no fsync of its own: the first rows' append and the next
        # directory fsync (a checkpoint's, the final files') make it durable before anything relies on it
        atomic.write_text(path, metrics_csv(columns, rows), durable=bool(rows))
        return
    with open(path, "r+b") as f:
        f.truncate(keep)
        f.flush()
        os.fsync(f.fileno())


def settle(path: Path) -> int:
    """The number of whole rows on disk, after cutting off a row an interrupt left half-written (0 if no file)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    whole = data.rfind(b"\n") + 1
    if whole < len(data):
        with open(path, "r+b") as f:
            f.truncate(whole)
    return max(data.count(b"\n", 0, whole) - 1, 0)


def read_rows(path: Path, epochs: int) -> list[dict[str, Any]]:
    """The first `epochs` rows (epochs 1..N) of metrics.csv, as a checkpoint's history."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path.name} to resume: {exc.strerror}", file=str(path),
                        hint="the checkpoint keeps no history; metrics.csv beside it holds the rows") from None
    lines = data.split(b"\n")
    complete = lines[1:-1]  # the last piece is '' or a row cut off by a kill
    if not lines[0] or len(complete) < epochs:
        raise UserError(f"{path.name} holds {len(complete)} whole rows but the checkpoint is at epoch {epochs}",
                        file=str(path), hint="the run directory is damaged; start the run again")
    header = next(csv.reader([lines[0].decode("utf-8")]))
    rows = []
    for i, values in enumerate(csv.reader(line.decode("utf-8") for line in complete[:epochs])):
        row = {col: parse_cell(text) for col, text in zip(header, values, strict=True)}
        if row.get("epoch") != i + 1:
            raise UserError(f"{path.name} row {i + 1} is for epoch {row.get('epoch')}", file=str(path),
                            hint="the run directory is damaged; start the run again")
        rows.append(row)
    return rows


def _prefix_length(path: Path, columns: list[str], n_rows: int) -> int | None:
    """Bytes of the header plus the first `n_rows` whole rows, or None if the file does not start that way."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = metrics_csv(columns, []).encode("utf-8")
    if not data.startswith(header):
        return None
    end = len(header)
    for _ in range(n_rows):
        nl = data.find(b"\n", end)
        if nl < 0:
            return None
        end = nl + 1
    return end


def _cut(fd: int, size: int) -> None:
    """Best effort: drop a partly written append so the file ends with a whole row."""
    try:
        os.ftruncate(fd, size)
    except OSError:
        pass
