"""Issue 19's targets, judged against the rows of one bench run."""

from __future__ import annotations

import json
import operator
from pathlib import Path
from typing import Any

# (row key, measured figure, comparison, bound, what the target says)
TARGETS: list[tuple[str, str, str, float, str]] = [
    ("seed", "engine/baseline", "<=", 0.65, "seed <= 0.65x today's engine (72a4059)"),
    ("seed", "engine/floor", "<=", 1.1, "seed <= 1.1x the tight floor"),
    ("seed", "torch/engine", ">=", 5.0, "seed: PyTorch >= 5x slower"),
    ("mlp", "engine/torch", "<=", 0.9, "MLP <= 0.9x PyTorch at the same threads"),
    ("deep", "engine/floor", "<=", 1.2, "deep 16x64 <= 1.2x the tight floor"),
    ("memory", "engine/floor", "<=", 1.2, "peak memory (MLP) <= 1.2x the floor"),
    ("process", "engine/numpy", "<=", 2.5, "trainer run <= 2.5x the numpy script (cached)"),
    ("process_nocache", "engine", "<=", 0.55, "trainer run <= 0.55 s without bytecode caches"),
    ("help", "engine", "<=", 0.1, "trainer --help <= 0.1 s"),
    ("sweep16", "speed-up", ">=", 1.5, "sweep of 16: --jobs 2 >= 1.5x --jobs 1"),
    ("sweep64", "speed-up", ">=", 1.8, "sweep of 64: --jobs 2 >= 1.8x --jobs 1"),
    ("conv", "engine/floor", "<=", 1.5, "CNN <= 1.5x its floor"),
]
COMPARE = {"<=": operator.le, ">=": operator.ge}


def recorded_baseline(path: Path) -> dict[str, float]:
    """Today's engine as recorded in `path` (wall medians in each workload's unit), {} when absent."""
    try:
        return {k: r["wall_median"] for k, r in json.loads(path.read_text())["rows"].items()}
    except (OSError, KeyError, ValueError):
        return {}


def _measured(row: dict[str, Any], figure: str, recorded: dict[str, float], key: str) -> tuple[float | None, str]:
    if figure == "torch/engine":
        value = row.get("engine/torch")
        return (1 / value if value else None), ("" if value else "no PyTorch here")
    if figure == "engine/baseline" and figure not in row and key in recorded:
        return row["engine"] / recorded[key], "against the recorded JSON (other time, other load)"
    value = row.get(figure)
    return value, "" if value is not None else "not measured in this run"


def judge(rows: dict[str, dict[str, Any]], recorded: dict[str, float]) -> list[dict[str, Any]]:
    """One line per target: the figure measured (None when it was not), the bound, met (None: unknown)."""
    out = []
    for key, figure, cmp, bound, text in TARGETS:
        row = rows.get(key)
        value, note = _measured(row, figure, recorded, key) if row else (None, "row not run")
        met = COMPARE[cmp](value, bound) if value is not None else None
        out.append({"target": text, "row": key, "figure": figure, "value": value, "bound": f"{cmp} {bound:g}",
                    "met": met, "note": note})
    return out
