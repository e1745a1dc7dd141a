"""summary.json: status, final and best values of every metrics column, epochs, wall time, seed, version."""

from __future__ import annotations

import math
from typing import Any

from ..metrics import higher_is_better

_NOT_METRICS = ("epoch", "lr", "seconds")


def finite_or_none(value: Any) -> Any:
    """JSON has no NaN or infinity: non-finite floats become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def build_summary(history: list[dict[str, Any]], columns: list[str], *, status: str, epochs: int,
                  monitor: str, wall_time: float, extra: dict[str, Any], unranked: tuple[str, ...] = ()
                  ) -> dict[str, Any]:
    """Flat summary: `final_<col>`, `best_<col>` and `best_<col>_epoch` for each metrics column.

    Columns in `unranked` (an objective's coordinates) have no best, only their final value.
    `best_epoch` is the epoch of the best `monitor` value (the early-stopping monitor, or the
    validation loss when there is one, else the training loss).
    """
    summary: dict[str, Any] = {"status": status, **extra, "epochs": epochs, "epochs_run": len(history)}
    last = history[-1] if history else {}
    for col in columns:
        if col in _NOT_METRICS:
            continue
        summary[f"final_{col}"] = finite_or_none(last.get(col))
        if col in unranked:
            continue
        value, epoch = best_of(history, col)
        summary[f"best_{col}"] = value
        summary[f"best_{col}_epoch"] = epoch
    summary["final_lr"] = finite_or_none(last.get("lr"))
    summary["monitor"] = monitor
    summary["best_epoch"] = summary.get(f"best_{monitor}_epoch")
    summary["wall_time_seconds"] = round(wall_time, 6)
    return summary


def best_of(history: list[dict[str, Any]], column: str) -> tuple[float | None, int | None]:
    """The best finite value of `column` and its epoch (the earliest on ties)."""
    sign = -1.0 if higher_is_better(column) else 1.0
    best: tuple[float, int] | None = None
    for row in history:
        value = row.get(column)
        if isinstance(value, float | int) and math.isfinite(value) and (best is None or sign * value < sign * best[0]):
            best = (float(value), int(row["epoch"]))
    return best if best is not None else (None, None)
