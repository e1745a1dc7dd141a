"""Scaling curves: µs per step of engine, tight floor and PyTorch as the batch and the width grow.

Batch 32 ... 16k on the seed shape (3-32-1, Adam, mse sum) and width 32 ... 2048 on 784-W-W-10 (batch 256,
Adam, cross-entropy). Each point gets about the same wall time (calls per block chosen from one timed
call, repeats until a budget is spent), so the whole curve costs seconds, not minutes. Writes a CSV and
a PNG and finds the crossovers: where PyTorch becomes faster.
"""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .engine import EngineRun
from .floor import NumpyFloor
from .stats import ratio_row
from .timing import interleaved_blocks, step_block
from .workloads import MLP, SEED, Workload

BATCHES = (32, 128, 512, 2048, 8192, 16384)
WIDTHS = (32, 64, 128, 256, 512, 1024, 2048)


def curves(quick: bool = False) -> dict[str, list[tuple[int, Workload]]]:
    """The points of both curves: (x, workload)."""
    batches = BATCHES[::2] + BATCHES[-1:] if quick else BATCHES
    widths = WIDTHS[::3] if quick else WIDTHS
    return {"batch": [(b, replace(SEED, name=f"seed batch {b}", batch=b, unit="us/step")) for b in batches],
            "width": [(w, replace(MLP, name=f"784-{w}-{w}-10", sizes=(784, w, w, 10), unit="us/step"))
                      for w in widths]}


def _calls_for(step: Callable[[], object], block_seconds: float) -> int:
    step()
    start = time.perf_counter()
    step()
    return max(1, min(200, int(block_seconds / max(time.perf_counter() - start, 1e-6))))


def time_point(w: Workload, with_torch: bool, point_seconds: float) -> dict[str, Any]:
    """One point: interleaved blocks of the implementations, about `point_seconds` in all."""
    steps: dict[str, Callable[[], object]] = {"engine": EngineRun(w).step, "floor": NumpyFloor(w).step}
    if with_torch:
        from .torch_impl import TorchRun

        steps["torch"] = TorchRun(w).step
    calls = _calls_for(steps["engine"], point_seconds / (5 * len(steps)))
    samples = interleaved_blocks({k: step_block(s) for k, s in steps.items()}, calls, repeats=5, settle=0.1,
                                 budget=point_seconds)
    return ratio_row(w.name, w.unit, samples)


def crossover(xs: list[int], ratios: list[float]) -> float | None:
    """The x (log-interpolated) where engine/torch first rises through 1: PyTorch faster from there on.

    None when PyTorch is never faster in range; xs[0] when it is faster from the start.
    """
    if ratios and ratios[0] > 1:
        return float(xs[0])
    for (x0, r0), (x1, r1) in zip(zip(xs, ratios), zip(xs[1:], ratios[1:])):
        if r0 <= 1 < r1:
            f = math.log(r0) / (math.log(r0) - math.log(r1))
            return math.exp(math.log(x0) + f * (math.log(x1) - math.log(x0)))
    return None


def run_scaling(with_torch: bool, quick: bool, point_seconds: float, log: Callable[[str], None]) -> dict[str, Any]:
    """Every point of both curves, and the crossovers of engine and floor against PyTorch."""
    points: list[dict[str, Any]] = []
    for curve, todo in curves(quick).items():
        for x, w in todo:
            log(f"  {curve} {x} ...")
            points.append({"curve": curve, "x": x, **time_point(w, with_torch, point_seconds)})
    crossings: dict[str, Any] = {}
    if with_torch:
        for curve in ("batch", "width"):
            pts = [p for p in points if p["curve"] == curve]
            xs = [p["x"] for p in pts]
            crossings[curve] = {"engine": crossover(xs, [p["engine/torch"] for p in pts]),
                                "floor": crossover(xs, [p["floor"] / p["torch"] for p in pts])}
    return {"points": points, "crossovers": crossings}


def write_csv(points: list[dict[str, Any]], path: Path) -> None:
    cols = ["curve", "x", "engine", "floor", "torch", "engine/floor", "engine/torch", "repeats"]
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow([c.replace("/", "_per_") if "/" in c else (c + "_us" if c in cols[2:5] else c) for c in cols])
        for p in points:
            out.writerow([f"{p[c]:.4g}" if isinstance(p.get(c), float) else p.get(c, "") for c in cols])


def write_png(result: dict[str, Any], path: Path) -> None:
    """Two log-log panels (batch, width), one line per implementation, crossovers marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    labels = {"batch": "batch (seed 3-32-1, Adam)", "width": "width W (784-W-W-10, batch 256, Adam)"}
    for ax, curve in zip(axes, ("batch", "width")):
        pts = [p for p in result["points"] if p["curve"] == curve]
        for impl, style in (("engine", "o-"), ("floor", "s--"), ("torch", "^:")):
            if all(impl in p for p in pts):
                ax.plot([p["x"] for p in pts], [p[impl] for p in pts], style, label=impl)
        x = result["crossovers"].get(curve, {}).get("engine")
        if x is not None:
            ax.axvline(x, color="grey", lw=0.8)
            ax.text(x, 0.03, f" PyTorch faster from ~{x:.0f}", rotation=90, fontsize=8, va="bottom", ha="right",
                    transform=ax.get_xaxis_transform())
        ax.set(xscale="log", yscale="log", xlabel=labels[curve], ylabel="µs per step")
        ax.grid(True, which="both", lw=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
