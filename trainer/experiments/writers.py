"""results.csv and results.json: the same rows in two formats, each written atomically."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..training.atomic import write_text

RESULTS_CSV = "results.csv"
RESULTS_JSON = "results.json"


def columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Every key of every row, in order of first appearance."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def csv_text(rows: Sequence[dict[str, Any]]) -> str:
    """CSV with a header; None and NaN are empty cells, infinity is `inf`, lists and dicts are JSON, floats exact."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    cols = columns(rows)
    writer.writerow(cols)
    for row in rows:
        writer.writerow([_cell(row.get(col)) for col in cols])
    return buf.getvalue()


def json_text(rows: Sequence[dict[str, Any]]) -> str:
    """Strict JSON (non-finite numbers become null), one list of row objects."""
    return json.dumps([{k: _finite(v) for k, v in row.items()} for row in rows], indent=2, allow_nan=False) + "\n"


def write_csv(path: str | Path, rows: Sequence[dict[str, Any]]) -> Path:
    """Write one CSV (atomically)."""
    return write_text(Path(path), csv_text(rows))


def write_results(directory: str | Path, rows: Sequence[dict[str, Any]]) -> tuple[Path, Path]:
    """Write DIR/results.csv and DIR/results.json; return their paths."""
    directory = Path(directory)
    return (write_text(directory / RESULTS_CSV, csv_text(rows)),
            write_text(directory / RESULTS_JSON, json_text(rows)))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "" if math.isnan(value) else str(value)  # inf: never
    if isinstance(value, list | dict | tuple):
        return json.dumps(_finite(value), allow_nan=False)
    return str(value)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value
