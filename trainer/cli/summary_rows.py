"""What the end-of-run summary shows, without rich: its title, rows and caption (`render.summary_table` draws them
with rich; `plain_summary` writes the same characters itself where rich would add nothing)."""

from __future__ import annotations

from typing import Any

from ..training.report import fmt

HEADERS = ("", "final", "best", "best epoch")
COLOURS = {"completed": "green", "diverged": "red", "interrupted": "yellow", "failed": "red"}


def summary_status(summary: dict[str, Any]) -> str:
    return str(summary.get("status", "?"))


def summary_rows(summary: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """One row per final metric (name, final, best, best epoch), then the last learning rate."""
    rows = []
    for key in summary:
        if key.startswith("final_") and key != "final_lr":
            col = key[len("final_"):]
            rows.append((col, fmt(summary[key]), fmt(summary.get(f"best_{col}")),
                         fmt(summary.get(f"best_{col}_epoch"))))
    rows.append(("lr", fmt(summary.get("final_lr")), "", ""))
    return rows


def summary_caption(summary: dict[str, Any]) -> str:
    parts = [f"epochs {summary.get('epochs_run')}/{summary.get('epochs')}"]
    if summary.get("stop_reason") == "early_stopping":
        parts.append(f"stopped early (best {summary.get('monitor')} at epoch {summary.get('best_epoch')})")
    parts.append(f"wall time {summary.get('wall_time_seconds', 0.0):.2f}s")
    if summary.get("run_dir"):
        parts.append(f"run dir {summary['run_dir']}")
    return "  ·  ".join(parts)
