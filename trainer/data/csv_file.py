"""`csv`: the user's own table, features and target column(s) by name, every cell checked."""

from __future__ import annotations

import csv as _csv
import math
from pathlib import Path
from typing import Literal

import numpy as np

from ..errors import UserError, did_you_mean
from .files import FileSource, check_readable, encode_labels, unreadable
from .raw import Raw

Column = str | int


def _read_rows(path: Path, delimiter: str) -> list[list[str]]:
    check_readable(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = [[cell.strip() for cell in row] for row in _csv.reader(f, delimiter=delimiter)]
    except (OSError, UnicodeDecodeError) as exc:
        raise unreadable(path, exc) from None
    except _csv.Error as exc:
        raise UserError(f"{path} is not a valid csv file: {exc}", key="data.path") from None
    return rows


def _column(col: Column, names: list[str], key: str, path: Path) -> int:
    if isinstance(col, int) and not isinstance(col, bool):
        if not -len(names) <= col < len(names):
            raise UserError(f"column index {col} is out of range for {len(names)} columns in {path.name}", key=key)
        return col % len(names)
    if col in names:
        return names.index(col)
    raise UserError(f"column '{col}' not found in {path.name}{did_you_mean(str(col), names)}; "
                    f"available columns: {', '.join(names)}", key=key)


def _check_header(names: list[str], path: Path) -> None:
    """Every column name in the header row once: a name used twice would pick one of them silently."""
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            raise UserError(f"the header of {path} names column '{name}' twice (columns {seen[name] + 1} and {i + 1})",
                            key="data.path", hint="rename one of the columns so every name is unique")
        seen[name] = i


def _distinct(idx: list[int], names: list[str], key: str) -> list[int]:
    """`idx`, refused when a column is listed twice."""
    for n, j in enumerate(idx):
        if j in idx[:n]:
            raise UserError(f"column '{names[j]}' is listed twice", key=key)
    return idx


def _number(cell: str, line: int, name: str, path: Path) -> float:
    try:
        value = float(cell)
    except ValueError:
        value = math.nan
        if cell:
            raise UserError(f"row {line}, column '{name}' of {path.name}: '{cell}' is not a number",
                            key="data.path", hint="every feature cell must be a number") from None
    if not math.isfinite(value):
        what = "is empty" if not cell else f"'{cell}' is not a finite number"
        raise UserError(f"row {line}, column '{name}' of {path.name}: {what}", key="data.path",
                        hint="fill in or drop rows with missing values")
    return value


def csv(source: FileSource, path: str, target: Column | list[Column], header: bool = True, delimiter: str = ",",
        features: list[Column] | None = None,
        task: Literal["auto", "regression", "classification"] = "auto") -> Raw:
    """Read a csv file: `target` names the target column(s), `features` the inputs (default: every other column).

    Without a header row, columns are named by their index ("0", "1", ...). `task: auto` reads class labels
    when the loss is a classification loss; class labels may be numbers or strings.
    """
    if len(delimiter) != 1:
        raise UserError(f"delimiter must be one character, got {delimiter!r}", key="data.delimiter")
    targets = target if isinstance(target, list) else [target]
    if not targets:
        raise UserError("needs at least one column", key="data.target",
                        hint="name the target column(s), e.g. target: y or target: [y1, y2]")
    file = source.resolve(path)
    lines = [(i + 1, row) for i, row in enumerate(_read_rows(file, delimiter)) if any(row)]
    if header:
        if not lines:
            raise UserError(f"{file.name} is empty", key="data.path")
        names = lines.pop(0)[1]
        _check_header(names, file)
    else:
        names = [str(i) for i in range(len(lines[0][1]))] if lines else []
    if not lines:
        raise UserError(f"{file.name} has no data rows", key="data.path")
    t_idx = _distinct([_column(c, names, "data.target", file) for c in targets], names, "data.target")
    f_idx = (_distinct([_column(c, names, "data.features", file) for c in features], names, "data.features")
             if features is not None else [i for i in range(len(names)) if i not in t_idx])
    leaked = [j for j in f_idx if j in t_idx]
    if leaked:
        name = names[leaked[0]]
        raise UserError(f"column '{name}' is the target; it cannot also be a feature", key="data.features",
                        hint=f"drop '{name}' from data.features: a target among the inputs leaks the answer")
    if not f_idx:
        raise UserError(f"{file.name} has no feature columns left besides the target", key="data.features")
    for line, row in lines:
        if len(row) != len(names):
            raise UserError(f"row {line} of {file.name} has {len(row)} cells, expected {len(names)}", key="data.path")
    x = np.array([[_number(row[j], line, names[j], file) for j in f_idx] for line, row in lines], dtype=np.float64)
    feature_names = tuple(names[j] for j in f_idx)
    target_names = tuple(names[j] for j in t_idx)
    if source.classification(task):
        if len(t_idx) != 1:
            raise UserError("classification needs exactly one target column", key="data.target")
        j = t_idx[0]
        cells = [row[j] for _, row in lines]
        for (line, _), cell in zip(lines, cells):
            if not cell:
                raise UserError(f"row {line}, column '{names[j]}' of {file.name}: the class label is empty",
                                key="data.path")
        try:
            labels = np.array([float(c) for c in cells])
        except ValueError:
            labels = np.array(cells)
        y, n_classes, class_names = encode_labels(labels)
        return Raw(x, y, n_classes, class_names, feature_names, target_names)
    y = np.array([[_number(row[j], line, names[j], file) for j in t_idx] for line, row in lines], dtype=np.float64)
    return Raw(x, y, None, None, feature_names, target_names)
