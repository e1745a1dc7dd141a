"""The files of a run directory, named once, and the text format of metrics.csv (written and read here only)."""

from __future__ import annotations

import csv
import io
from typing import Any

CONFIG = "config.yaml"  # the resolved config
METRICS = "metrics.csv"  # one row per epoch
SUMMARY = "summary.json"  # status, final and best values
MODEL = "model.npz"  # the state_dict users load (the best epoch's with restore_best)
CHECKPOINT = "checkpoint.npz"  # what a resume continues from
PREPROCESSING = "preprocessing.json"  # what raw inputs go through, and the names of features, targets, classes
BEST_MODEL = "best_model.npz"  # the best epoch's weights, when model.npz holds others
LAST_MODEL = "last_model.npz"  # the last epoch's weights, when model.npz holds the best epoch's
RUN_FILES = (CONFIG, METRICS, SUMMARY, MODEL, CHECKPOINT, PREPROCESSING, BEST_MODEL, LAST_MODEL)
TENSORBOARD = "tb"  # the tensorboard logger's event files (a folder)
MLFLOW_DB = "mlflow.db"  # the mlflow logger's default sqlite store, beside a run's or an experiment's files


def cell(value: Any) -> str:
    """One metrics.csv cell: floats exactly (shortest round-trip repr), missing values empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def parse_cell(text: str | None) -> Any:
    """A metrics.csv cell back to its value: int, float, None for empty (text kept when it is neither)."""
    if text is None or text == "":
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def metrics_rows(columns: list[str], rows: list[dict[str, Any]]) -> str:
    """The csv lines of `rows` (no header)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        writer.writerow([cell(row.get(col)) for col in columns])
    return buf.getvalue()


def metrics_csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    """metrics.csv text: the header, then one row per epoch."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(columns)
    return buf.getvalue() + metrics_rows(columns, rows)


def parse_metrics(data: bytes | str) -> list[dict[str, Any]]:
    """metrics.csv rows as dicts: integers and floats parsed, empty cells None."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header, body = rows[0], [row for row in rows[1:] if row]  # blank lines are skipped, as DictReader does
    if any(len(row) != len(header) for row in body):  # a short or long row: csv.DictReader's rules for them
        return [{k: parse_cell(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]
    return [dict(zip(header, map(_parse_written, row), strict=True)) for row in body]


_NOT_INT = frozenset(".eEn")  # int() refuses any text holding one of these (floats, inf, nan): try float first


def _parse_written(text: str) -> Any:
    """`parse_cell` without its ValueError for the common float cell: a sweep's parent reads every run's rows."""
    if text and not _NOT_INT.isdisjoint(text):
        try:
            return float(text)
        except ValueError:
            return text
    return parse_cell(text)
