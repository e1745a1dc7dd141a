"""Medians and ratios of interleaved samples."""

from __future__ import annotations

from typing import Any

from .timing import median

UNIT_SCALE = {"us/epoch": 1e6, "us/step": 1e6, "ms/step": 1e3, "s": 1.0, "MB": 1e-6}
# engine/<other> ratios a row carries when <other> was measured
OTHERS = ("floor", "floor_pt", "soft", "torch", "baseline", "numpy")


def ratio_row(name: str, unit: str, samples: dict[str, list[float]]) -> dict[str, Any]:
    """Medians of each implementation's repeats, and each ratio as the median of per-repeat ratios.

    The implementations of one repeat ran next to each other, so a per-repeat ratio cancels load that
    comes and goes on a shared machine, which the ratio of two medians would not.
    """
    scale = UNIT_SCALE[unit]
    row: dict[str, Any] = {"workload": name, "unit": unit, "repeats": len(samples["engine"])}
    for impl, s in samples.items():
        row[impl] = median(s) * scale
        row[f"{impl}_range"] = [min(s) * scale, max(s) * scale]
    for other in OTHERS:
        if other in samples:
            row[f"engine/{other}"] = median([e / o for e, o in zip(samples["engine"], samples[other])])
    return row
