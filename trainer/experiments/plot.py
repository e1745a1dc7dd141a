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


def plot_bytes(groups: Mapping[str, Sequence[Sequence[Mapping[str, Any]]]], *, title: str = "",
               failed: Mapping[str, str] | None = None) -> bytes:
    """PNG bytes of the loss curves of each group (variant → one history per seed).

    `failed` maps groups whose runs all ended badly to their status ("diverged"): they are drawn and
    labelled as such, but the axes are fitted to the others so one blow-up does not flatten the rest.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    failed = failed or {}
    fig = Figure(figsize=(8, 5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    drawn: list[np.ndarray] = []
    healthy: list[np.ndarray] = []
    several = any(len(h) > 1 for h in groups.values())
    for i, (name, histories) in enumerate(groups.items()):
        colour = f"C{i % 10}"
        for column, style in (("train_loss", "-"), ("val_loss", "--")):
            epochs, values = curves(histories, column)
            if epochs.size == 0 or np.isnan(values).all():
                continue
            drawn.append(values)
            if name not in failed:
                healthy.append(values)
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # an epoch no seed reached is not drawn
                mean = np.nanmean(values, axis=0)
                low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
            label = name if column == "train_loss" else f"{name} (val)"
            label += f" ({failed[name]})" if name in failed else ""
            ax.plot(epochs, mean, style, color=colour, label=label, linewidth=1.5)
            if len(histories) > 1:
                ax.fill_between(epochs, low, high, color=colour, alpha=0.2, linewidth=0)
    fitted = healthy or drawn
    log = use_log_scale(fitted)
    if log:
        ax.set_yscale("log")
    if healthy and len(healthy) < len(drawn):
        ax.set_ylim(*_limits(healthy, log))
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss" + (" (mean over seeds; band: min to max)" if several else ""))
    ax.set_title(title or "loss curves")
    ax.grid(True, alpha=0.3)
    if drawn:
        ax.legend(fontsize="small")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _limits(arrays: Sequence[np.ndarray], log: bool) -> tuple[float, float]:
    """y-limits that hold every value of `arrays` with a margin."""
    finite = np.concatenate([a[np.isfinite(a)].ravel() for a in arrays])
    low, high = float(finite.min()), float(finite.max())
    if log:
        return low / 1.5, high * 1.5
    pad = 0.05 * (high - low) or abs(high) * 0.05 or 1.0
    return low - pad, high + pad


def write_plot(path: str | Path, groups: Mapping[str, Sequence[Sequence[Mapping[str, Any]]]], *,
               title: str = "", failed: Mapping[str, str] | None = None) -> Path:
    """Write the loss-curve PNG atomically."""
    return write_bytes(path, plot_bytes(groups, title=title, failed=failed))
