"""New inputs to score: a csv table (columns matched by name) or an .npz archive's `x`, as float64 rows.

A csv must have a header naming every feature the run was trained on, in any order; the target
column(s) may be there too and are ignored (or returned, for evaluation); any other column is refused.
"""

from __future__ import annotations

import csv as _csv
import io
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UserError
from .files import check_readable, unreadable
from .npz_file import _load
from .preprocessing import Preprocessing

STDIN = "-"


def _text(source: str | Path) -> tuple[str, str]:
    """(the file's text, its name for messages); `-` is stdin."""
    if str(source) == STDIN:
        return sys.stdin.read(), "<stdin>"
    path = Path(source)
    check_readable(path)
    try:
        return path.read_text(encoding="utf-8-sig"), str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise unreadable(path, exc) from None


def _cell(cell: str, line: int, name: str, where: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        value = math.nan
        if cell:
            raise UserError(f"row {line}, column '{name}': '{cell}' is not a number", file=where,
                            hint="every feature cell must be a number") from None
    if not math.isfinite(value):
        what = "is empty" if not cell else f"'{cell}' is not a finite number"
        raise UserError(f"row {line}, column '{name}' {what}", file=where,
                        hint="fill in or drop rows with missing values")
    return value


def _columns(header: list[str], pre: Preprocessing, where: str) -> list[int]:
    """The header position of each feature; missing or unknown columns are refused, naming them."""
    for i, name in enumerate(header):
        if name in header[:i]:
            raise UserError(f"the header names column '{name}' twice", file=where, hint="every name must be unique")
    missing = [f for f in pre.features if f not in header]
    unknown = [h for h in header if h not in pre.features and h not in pre.targets]
    if missing or unknown:
        parts = ([f"missing column{'s' * (len(missing) > 1)} {', '.join(missing)}"] if missing else []) + (
            [f"unknown column{'s' * (len(unknown) > 1)} {', '.join(unknown)}"] if unknown else [])
        raise UserError(f"the columns do not match the run's features: {'; '.join(parts)}", file=where,
                        hint=f"the run was trained on {', '.join(pre.features)} (any order; the target "
                             f"{', '.join(pre.targets)} may be there too and is ignored)")
    return [header.index(f) for f in pre.features]


def _rows(text: str, where: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        table = [[c.strip() for c in row] for row in _csv.reader(io.StringIO(text))]
    except _csv.Error as exc:
        raise UserError(f"not a valid csv file: {exc}", file=where) from None
    lines = [(i + 1, row) for i, row in enumerate(table) if any(row)]
    if not lines:
        raise UserError("the csv file is empty", file=where, hint="give a header row naming the features, then rows")
    header = lines.pop(0)[1]
    for line, row in lines:
        if len(row) != len(header):
            raise UserError(f"row {line} has {len(row)} cells, expected {len(header)}", file=where)
    return header, lines


def read_csv(source: str | Path, pre: Preprocessing) -> tuple[np.ndarray, dict[str, list[str]]]:
    """(features as float64 `(n, width)` in the run's order, the target columns present as text by name)."""
    text, where = _text(source)
    header, lines = _rows(text, where)
    idx = _columns(header, pre, where)
    if not lines:
        raise UserError("the csv file has a header but no rows", file=where)
    x = np.array([[_cell(row[j], line, header[j], where) for j in idx] for line, row in lines], dtype=np.float64)
    targets = {t: [row[header.index(t)] for _, row in lines] for t in pre.targets if t in header}
    return x.reshape(len(lines), -1), targets


def read_npz(source: str | Path) -> tuple[np.ndarray, np.ndarray | None]:
    """(`x` as float64 rows of any shape, `y` if the archive has it), loaded without pickle."""
    path = Path(source)
    try:
        arrays = _load(path)
    except UserError as err:  # the loader's messages point at data.path, a config key
        err.key, err.file = None, str(path)
        raise
    if "x" not in arrays:
        raise UserError(f"{path.name} has no array 'x'; it holds: {', '.join(sorted(arrays)) or 'nothing'}",
                        file=str(path), hint="save with numpy.savez(path, x=...)")
    x = arrays["x"]
    if x.dtype.kind not in "biuf" or x.size == 0:
        raise UserError(f"array 'x' has dtype {x.dtype} and shape {x.shape}; expected numbers, at least one row",
                        file=str(path))
    return x.astype(np.float64), arrays.get("y")


def is_npz(source: str | Path) -> bool:
    """Whether DATA names an .npz archive (anything else, stdin included, is read as csv)."""
    return str(source) != STDIN and Path(source).suffix.lower() == ".npz"


@dataclass
class Table:
    """Rows read from DATA: raw float64 inputs, and the targets when asked for."""

    x: np.ndarray
    y: Any = None


def _where(data: str | Path) -> str:
    return "<stdin>" if str(data) == STDIN else str(data)


def read_table(data: str | Path, pre: Preprocessing, *, targets: bool = False) -> Table:
    """DATA (.csv, .npz, or `-` for csv on stdin) as raw inputs, and its target columns with `targets`."""
    if is_npz(data):
        x, y = read_npz(data)
        if targets and y is None:
            raise UserError("the archive has no array 'y' to evaluate against", file=str(data),
                            hint="save with numpy.savez(path, x=..., y=...)")
        return Table(x, y)
    x, columns = read_csv(data, pre)
    if not targets:
        return Table(x)
    missing = [t for t in pre.targets if t not in columns]
    if missing:
        raise UserError(f"no target column {', '.join(map(repr, missing))} to evaluate against", file=_where(data),
                        hint=f"evaluation needs the targets: add the column(s) {', '.join(pre.targets)}")
    return Table(x, [columns[t] for t in pre.targets])


def _label(value: Any) -> str:
    """A label as the loaders name classes (`encode_labels`): numbers as `%g`, text as it is."""
    if isinstance(value, float | np.floating):
        return f"{value:g}"
    if isinstance(value, str):
        try:
            return f"{float(value):g}"
        except ValueError:
            return value
    return str(value)


def encode_classes(y: Any, classes: tuple[str, ...], where: str) -> np.ndarray:
    """Labels (a csv column's text, or an npz array) as int64 indices into `classes`; unknown ones refused."""
    cells = y[0] if isinstance(y, list) else np.asarray(y).reshape(-1).tolist()
    if isinstance(y, np.ndarray) and y.dtype.kind == "f":
        cells = [float(c) for c in cells]
    index = {c: i for i, c in enumerate(classes)}
    out = []
    for i, cell in enumerate(cells):
        name = cell if isinstance(cell, str) and cell in index else _label(cell)
        if name not in index:
            raise UserError(f"row {i + 1}: class label '{cell}' is not one the run was trained on", file=where,
                            hint=f"its classes: {', '.join(classes)}")
        out.append(index[name])
    return np.asarray(out, dtype=np.int64)


def encode_values(y: Any, width: int, where: str) -> np.ndarray:
    """Regression targets (csv columns' text, or an npz array) as float64 `(n, width)`."""
    if isinstance(y, list):
        a = np.array([[_cell(cell, i + 2, f"target {j}", where) for j, cell in enumerate(row)]
                      for i, row in enumerate(zip(*y))], dtype=np.float64)
    else:
        if y.dtype.kind not in "biuf":
            raise UserError(f"array 'y' has dtype {y.dtype}, expected numbers", file=where)
        a = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
    if a.shape[1] != width or not np.isfinite(a).all():
        raise UserError(f"targets of shape {a.shape} (finite numbers expected) do not fit the model's {width} "
                        "output(s)", file=where)
    return a
