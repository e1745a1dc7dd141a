"""loss_curves.png: every variant's loss per epoch, one colour each, with a band over seeds.

matplotlib is imported here only, when a plot is written, and only its Agg canvas (no pyplot, no
global backend switch), so `trainer --help` and `trainer run` never load it.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..training.atomic import write_bytes

LOSS_CURVES = "loss_curves.png"
WIDE_RANGE = 100.0  # a log y-axis once the largest loss is this many times the smallest


def curves(histories: Sequence[Sequence[Mapping[str, Any]]], column: str) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, values[seed, epoch]) for one variant; NaN where a seed has no finite value."""
    epochs = sorted({int(r["epoch"]) for h in histories for r in h if r.get("epoch") is not None})
    index = {e: i for i, e in enumerate(epochs)}
    values = np.full((len(histories), len(epochs)), np.nan)
    for s, history in enumerate(histories):
        for row in history:
            value = row.get(column)
            if row.get("epoch") is not None and isinstance(value, int | float) and math.isfinite(value):
                values[s, index[int(row["epoch"])]] = value
    return np.asarray(epochs, dtype=float), values


def use_log_scale(arrays: Sequence[np.ndarray]) -> bool:
    """True when every value is positive and they span more than `WIDE_RANGE`."""
    finite = np.concatenate([a[np.isfinite(a)].ravel() for a in arrays]) if arrays else np.array([])
    if finite.size == 0 or finite.min() <= 0:
        return False
    return finite.max() / finite.min() > WIDE_RANGE


def plot_bytes(groups: Mapping[str, Sequence[Sequence[Mapping[str, Any]]]], *, title: str = "") -> bytes:
    """PNG bytes of the loss curves of each group (variant → one history per seed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    drawn: list[np.ndarray] = []
    several = any(len(h) > 1 for h in groups.values())
    for i, (name, histories) in enumerate(groups.items()):
        colour = f"C{i % 10}"
        for column, style in (("train_loss", "-"), ("val_loss", "--")):
            epochs, values = curves(histories, column)
            if epochs.size == 0 or np.isnan(values).all():
                continue
            drawn.append(values)
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # an epoch no seed reached is not drawn
                mean = np.nanmean(values, axis=0)
                low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
            label = name if column == "train_loss" else f"{name} (val)"
            ax.plot(epochs, mean, style, color=colour, label=label, linewidth=1.5)
            if len(histories) > 1:
                ax.fill_between(epochs, low, high, color=colour, alpha=0.2, linewidth=0)
    if use_log_scale(drawn):
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss" + (" (mean over seeds; band: min to max)" if several else ""))
    ax.set_title(title or "loss curves")
    ax.grid(True, alpha=0.3)
    if drawn:
        ax.legend(fontsize="small")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def write_plot(path: str | Path, groups: Mapping[str, Sequence[Sequence[Mapping[str, Any]]]], *,
               title: str = "") -> Path:
    """Write the loss-curve PNG atomically."""
    return write_bytes(path, plot_bytes(groups, title=title))
