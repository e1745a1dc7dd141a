"""Result rows: one per run for a sweep, one per variant (mean ± std over seeds) for a compare.

Rows are plain dicts of JSON values, sorted best first: completed runs before the others, then by
the final value of the loss the runs are judged by (validation loss when there is a split, else
training loss; lower is better).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from typing import Any

from .records import RunRecord, epochs_to, judged, loss_column, time_to
from .stats import describe, overlaps, probability_of_improvement
from .whole import all_counts, whole

_SKIP_SUMMARY = {"final_lr", "best_epoch"}
_INF_COUNTS = {"epochs_to_target", "seconds_to_target"}  # "never" / failed is +inf, not left out


def run_row(record: RunRecord, threshold: float | None = None, *, include_overrides: bool = True) -> dict[str, Any]:
    """A sweep's row: run, status, seed, the overrides, final and best values, epochs, wall time, error."""
    row: dict[str, Any] = {"run": record.spec.key, "status": record.status, "seed": record.spec.seed}
    if include_overrides:
        row.update(record.spec.overrides)
    row.update(_metrics(record, threshold))
    row["error"] = record.error
    row["run_dir"] = record.run_dir
    row["reused"] = record.reused
    return row


def _metrics(record: RunRecord, threshold: float | None) -> dict[str, Any]:
    s = record.summary
    out: dict[str, Any] = {}
    for key, value in s.items():
        if key.startswith("final_") and key not in _SKIP_SUMMARY:
            col = key[len("final_"):]
            out[key] = value
            out[f"best_{col}"] = s.get(f"best_{col}")
            out[f"best_{col}_epoch"] = s.get(f"best_{col}_epoch")
    out["loss_column"] = loss_column(s, record.history) if s else None
    if threshold is not None:
        column = out["loss_column"] or "train_loss"
        out["epochs_to_threshold"] = epochs_to(record.history, column, threshold)  # the old name: None when never
        out["epochs_to_target"], out["seconds_to_target"] = time_to(record.history, column, threshold)
    out["epochs_run"] = s.get("epochs_run")
    out["wall_time"] = s.get("wall_time_seconds")
    return out


def variant_rows(records: Iterable[RunRecord], threshold: float | None = None) -> list[dict[str, Any]]:
    """A compare's rows: per variant, the mean (and `<col>_std` over several seeds) of every number."""
    groups: dict[str, list[RunRecord]] = {}
    for record in records:
        groups.setdefault(record.spec.group or record.spec.label, []).append(record)
    return sort_rows([_aggregate(name, runs, threshold) for name, runs in groups.items()])


def point_rows(records: Iterable[RunRecord], threshold: float | None = None) -> list[dict[str, Any]]:
    """A sweep's rows per point (its runs over seeds): the point's overrides, then mean and `<col>_std`, best first.

    Ranking points by their mean keeps one lucky seed from winning.
    """
    groups: dict[str, list[RunRecord]] = {}
    for record in records:
        groups.setdefault(record.spec.group or record.spec.label, []).append(record)
    rows = []
    for name, runs in groups.items():
        row = _aggregate(name, runs, threshold)
        del row["variant"]
        rows.append({"point": name, **runs[0].spec.overrides, **row})
    return sort_rows(rows)


def _aggregate(name: str, runs: list[RunRecord], threshold: float | None) -> dict[str, Any]:
    completed = [r for r in runs if r.ok]
    used = completed or runs
    per_run = [_metrics(r, threshold) for r in used]
    judged_all = [judged(r) for r in runs]  # a failed seed counts as +inf here, not left out
    statuses = sorted({r.status for r in runs})
    row: dict[str, Any] = {
        "variant": name,
        "status": statuses[0] if len(statuses) == 1 else "mixed",
        "runs": len(runs),
        "completed": len(completed),
        "seeds": [r.spec.seed for r in runs],
    }
    keys: list[str] = []
    for m in per_run:
        keys += [k for k in m if k not in keys]
    for key in keys:
        values = [m.get(key) for m in per_run]
        if key == "loss_column":
            row[key] = next((v for v in values if v), None)
            continue
        with_inf = key in _INF_COUNTS
        numbers = [float(v) for v in values if _is_number(v) or (with_inf and isinstance(v, float) and v == math.inf)]
        count = whole if all_counts(values) else (lambda v: v)  # epochs, runs: a whole mean stays an int
        row[key] = count(statistics.fmean(numbers) if numbers and not with_inf else _mean(numbers))
        if len(runs) > 1:
            stats = describe(numbers) if numbers else {}
            std = stats.get("std")
            row[f"{key}_std"] = std if std is not None and math.isfinite(std) else None
            for name in ("median", "iqm", "ci_low", "ci_high"):
                row[f"{key}_{name}"] = count(stats.get(name))
        if key == "epochs_to_threshold":
            row["threshold_reached"] = len(numbers)
        if key == "epochs_to_target":
            row["target_reached"] = sum(1 for v in numbers if math.isfinite(v))
    stats = describe(judged_all)
    row["judged_loss"] = stats["mean"]
    if len(runs) > 1:
        for name in ("std", "median", "iqm", "ci_low", "ci_high"):
            row[f"judged_loss_{name}"] = stats[name] if name != "std" or math.isfinite(stats[name]) else None
    row["judged_loss_values"] = judged_all
    errors = [f"seed {r.spec.seed}: {r.error}" for r in runs if r.error]
    row["error"] = "; ".join(errors) if errors else None
    row["run_dirs"] = [r.run_dir for r in runs]
    return row


def sort_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Best first: completed before anything else, then by the judged loss's final value (missing last)."""

    def key(row: dict[str, Any]) -> tuple[int, float]:
        column = row.get("loss_column") or "train_loss"
        value = row.get(f"final_{column}")
        score = float(value) if _is_number(value) else math.inf
        return (0 if row.get("status") == "completed" else 1, score)

    return sorted(rows, key=key)


def mark_ties(rows: list[dict[str, Any]]) -> None:
    """`tied`: "best" for the first row, True where a row's bootstrap interval of its judged loss overlaps the best's.

    One seed has no interval (its value stands for it), so only equal values tie there.
    """
    interval = lambda row: (row.get("judged_loss_ci_low", row.get("judged_loss")),
                            row.get("judged_loss_ci_high", row.get("judged_loss")))
    best = next((r for r in rows if _is_number(r.get("judged_loss"))), None)
    for row in rows:
        if row is best:
            row["tied"] = "best"
        else:
            low, high = interval(row)
            row["tied"] = bool(best is not None and _is_number(low) and _is_number(high)
                               and overlaps((low, high), interval(best)))


def pairwise_rows(rows: list[dict[str, Any]], first: str = "variant") -> list[dict[str, Any]]:
    """pairwise.csv: for each ordered pair, P(A beats B) over seeds on the judged loss (failed seeds are +inf)."""
    out = []
    for a in rows:
        for b in rows:
            if a is not b:
                p = probability_of_improvement(a["judged_loss_values"], b["judged_loss_values"])
                out.append({"a": a[first], "b": b[first], "p_a_beats_b": p,
                            "seeds_a": len(a["judged_loss_values"]), "seeds_b": len(b["judged_loss_values"])})
    return out


def _mean(numbers: list[float]) -> float | None:
    return (math.inf if math.inf in numbers else statistics.fmean(numbers)) if numbers else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
