"""trajectories.png, .gif and .csv: each optimizer's path over a 2-D objective's contours, from the same start.

Contours are log-spaced in f - min(f) over the plotted window, the known minima are marked (a star
for global ones, a triangle for local ones, a cross for saddles) and every variant gets one colour:
its first seed's path bold, other seeds' paths faint. The GIF grows the paths step by step, written
with Pillow (a dependency of matplotlib, so nothing extra to install); matplotlib and Pillow are
imported only when writing.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..objectives import Objective
from ..training.atomic import write_bytes, write_text
from .records import RunRecord

TRAJECTORIES_PNG = "trajectories.png"
TRAJECTORIES_GIF = "trajectories.gif"
TRAJECTORIES_CSV = "trajectories.csv"
GIF_FRAMES = 40  # at most, evenly spaced over the steps
GIF_FPS = 12
GRID = 200  # contour grid points per axis
MARKERS = {"global": ("*", 14), "local": ("^", 8), "saddle": ("X", 9), "maximum": ("o", 5)}


@dataclass
class Path2D:
    """One run's path: the start, then the point after each step (non-finite points end it)."""

    variant: str
    seed: int
    xy: np.ndarray  # (steps + 1, 2)
    f: np.ndarray  # f at each point (NaN where unknown)


def paths(records: Sequence[RunRecord], start: Sequence[float], f_start: float) -> list[Path2D]:
    """Each run's path from its history's `x`, `y` and `f` columns, up to the first non-finite point."""
    out = []
    for record in records:
        xy, f = [tuple(float(v) for v in start)], [f_start]
        for row in record.history:
            x, y = row.get("x"), row.get("y")
            if not all(isinstance(v, int | float) and math.isfinite(v) for v in (x, y)):
                break
            xy.append((float(x), float(y)))
            f.append(float(row["f"]) if isinstance(row.get("f"), int | float) else math.nan)
        out.append(Path2D(record.spec.group, record.spec.seed, np.asarray(xy), np.asarray(f)))
    return out


def csv_text(items: Sequence[Path2D]) -> str:
    """variant, seed, step, x, y, f: every point of every path (step 0 is the start)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["variant", "seed", "step", "x", "y", "f"])
    for p in items:
        for step, ((x, y), f) in enumerate(zip(p.xy, p.f)):
            value = "" if math.isnan(f) else repr(float(f))
            writer.writerow([p.variant, p.seed, step, repr(float(x)), repr(float(y)), value])
    return buf.getvalue()


def window(objective: Objective, items: Sequence[Path2D]) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): the start, the minima and the paths with a margin; a path flying far off is cut.

    The paths may widen the window to at most four times the span of the start and the minima.
    """
    anchors = np.asarray([items[0].xy[0], *(p.point for p in objective.stationary_points)]) if items \
        else np.asarray([p.point for p in objective.stationary_points])
    low, high = anchors.min(axis=0), anchors.max(axis=0)
    span = np.maximum(high - low, 1.0)
    centre = (low + high) / 2
    limit_low, limit_high = centre - 2 * span, centre + 2 * span
    everything = np.concatenate([anchors, *(p.xy for p in items)])
    low = np.maximum(everything.min(axis=0), limit_low)
    high = np.minimum(everything.max(axis=0), limit_high)
    pad = 0.12 * np.maximum(high - low, 1e-3)
    return float(low[0] - pad[0]), float(high[0] + pad[0]), float(low[1] - pad[1]), float(high[1] + pad[1])


def _figure(objective: Objective, items: Sequence[Path2D], title: str, size: tuple[float, float], dpi: int) -> Any:
    """The figure with contours, the marked minima and the start; returns (figure, axes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure

    x0, x1, y0, y1 = window(objective, items)
    gx, gy = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID))
    z = objective.surface(gx, gy)
    finite = z[np.isfinite(z)]
    shifted = z - finite.min() + max(1e-3, 1e-6 * float(np.ptp(finite)))
    top = float(np.nanmax(shifted[np.isfinite(shifted)]))
    levels = np.geomspace(float(np.nanmin(shifted)), top, 30)
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.contour(gx, gy, shifted, levels=levels, norm=LogNorm(), cmap="viridis", linewidths=0.6)
    labelled: set[str] = set()
    for point in objective.stationary_points:
        marker, size_ = MARKERS[point.kind]
        colour = "crimson" if point.kind == "global" else "black"
        name = f"{point.kind} minimum" if point.kind in ("global", "local") else point.kind
        name = None if point.kind in labelled else name  # one legend entry per kind
        labelled.add(point.kind)
        ax.plot(*point.point, marker=marker, markersize=size_, zorder=5, color=colour, linestyle="none", label=name)
    if items:
        ax.plot(*items[0].xy[0], "o", color="black", markersize=6, zorder=5, label="start")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    return fig, ax


def _colours(items: Sequence[Path2D]) -> dict[str, str]:
    return {v: f"C{i % 10}" for i, v in enumerate(dict.fromkeys(p.variant for p in items))}


def _lines(ax: Any, items: Sequence[Path2D]) -> list[tuple[Any, Path2D]]:
    """One line per path, empty for now; the first seed of each variant bold, the others faint."""
    colours, seen, out = _colours(items), set(), []
    for p in items:
        first = p.variant not in seen
        seen.add(p.variant)
        (line,) = ax.plot([], [], "-", color=colours[p.variant], linewidth=1.8 if first else 0.8,
                          alpha=1.0 if first else 0.35, label=p.variant if first else None)
        out.append((line, p))
    return out


def png_bytes(objective: Objective, items: Sequence[Path2D], title: str) -> bytes:
    """The PNG of every path over the contours (256 palette colours: a small file for a README)."""
    from PIL import Image

    fig, ax = _figure(objective, items, title, (7, 6), 100)
    for line, p in _lines(ax, items):
        line.set_data(p.xy[:, 0], p.xy[:, 1])
    ax.legend(fontsize="small", loc="best")
    fig.canvas.draw()
    image = Image.fromarray(np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()).quantize(colors=256)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def gif_bytes(objective: Objective, items: Sequence[Path2D], title: str) -> bytes:
    """The GIF of the paths growing, at most `GIF_FRAMES` frames evenly spaced over the steps.

    The contours are drawn once and each frame only redraws the paths on top (Agg blitting); the
    frames share one palette and the last one is held for a while.
    """
    from PIL import Image

    fig, ax = _figure(objective, items, title, (5, 4.2), 72)
    lines = _lines(ax, items)
    ax.legend(fontsize="small", loc="best")
    label = ax.text(0.02, 0.02, "", transform=ax.transAxes, fontsize="small")
    for artist in (*(line for line, _ in lines), label):
        artist.set_animated(True)
    canvas = fig.canvas
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)
    steps = max((len(p.xy) - 1 for p in items), default=0)
    frames = []
    for step in np.unique(np.linspace(0, steps, min(GIF_FRAMES, steps + 1)).round().astype(int)):
        canvas.restore_region(background)
        for line, p in lines:
            line.set_data(p.xy[:step + 1, 0], p.xy[:step + 1, 1])
            ax.draw_artist(line)
        label.set_text(f"step {step}")
        ax.draw_artist(label)
        frames.append(Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy()))
    palette = frames[-1].quantize(colors=128)
    images = [frame.quantize(palette=palette, dither=Image.Dither.NONE) for frame in frames]
    durations = [1000 // GIF_FPS] * (len(images) - 1) + [1500]
    buf = io.BytesIO()
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0)
    return buf.getvalue()


def write_trajectories(directory: str | Path, objective: Objective, records: Sequence[RunRecord],
                       title: str = "") -> dict[str, Path]:
    """trajectories.csv, .png and .gif of a comparison on a 2-D objective (the objective at its start point)."""
    directory = Path(directory)
    start = [float(v) for v in objective.point._array]
    f_start = float(objective.surface(*(np.asarray(v) for v in start)))
    items = paths(records, start, f_start)
    title = title or "optimizer paths"
    return {
        "csv": write_text(directory / TRAJECTORIES_CSV, csv_text(items)),
        "png": write_bytes(directory / TRAJECTORIES_PNG, png_bytes(objective, items, title)),
        "gif": write_bytes(directory / TRAJECTORIES_GIF, gif_bytes(objective, items, title)),
    }

