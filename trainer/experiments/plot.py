"""The pictures of experiments: loss_curves.png (train and validation panels, a band over seeds),
lr_sensitivity.png (judged loss against each tuned value) and profile.png (performance profiles).

matplotlib is imported here only, when a plot is written, and only its Agg canvas (no pyplot, no
global backend switch), so `trainer --help` and `trainer run` never load it.
"""

from __future__ import annotations

import importlib.util
import io
import math
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..training.atomic import write_bytes

LOSS_CURVES = "loss_curves.png"
SENSITIVITY = "lr_sensitivity.png"
PROFILE = "profile.png"
SEARCH_HISTORY = "search_history.png"
IMPORTANCE = "importance.png"
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


def available() -> bool:
    """True when matplotlib can be imported (plots are skipped, with a note, when it cannot)."""
    return importlib.util.find_spec("matplotlib") is not None


def _figure(panels: int, height: float = 5.0) -> tuple[Any, list[Any]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.5 * panels if panels > 1 else 8, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig, [fig.add_subplot(1, panels, i + 1) for i in range(panels)]


def _integer_ticks(axis: Any) -> None:
    """Ticks only at whole numbers (epochs 1, 2, 3; never 1.2, 1.4)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def elapsed(histories: Sequence[Sequence[Mapping[str, Any]]], epochs: np.ndarray) -> np.ndarray:
    """The mean over seeds of the seconds run by the end of each epoch (per-epoch `seconds`, summed)."""
    times = np.full((len(histories), len(epochs)), np.nan)
    index = {int(e): i for i, e in enumerate(epochs)}
    for s, history in enumerate(histories):
        total = 0.0
        for row in history:
            step = row.get("seconds")
            total += float(step) if isinstance(step, int | float) and math.isfinite(step) else 0.0
            if row.get("epoch") is not None and int(row["epoch"]) in index:
                times[s, index[int(row["epoch"])]] = total
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(times, axis=0) if len(histories) else times[0]


def curve_rows(groups: Mapping[str, Sequence[Sequence[Mapping[str, Any]]]]) -> list[dict[str, Any]]:
    """loss_curves.csv: per variant and epoch, the mean seconds so far and each loss's mean, min and max over seeds."""
    rows: list[dict[str, Any]] = []
    for name, histories in groups.items():
        table: dict[float, dict[str, Any]] = {}
        for column in ("train_loss", "val_loss"):
            epochs, values = curves(histories, column)
            if epochs.size == 0 or np.isnan(values).all():
                continue
            seconds = elapsed(histories, epochs)
            mean, low, high = _band(values)
            for i, epoch in enumerate(epochs):
                row = table.setdefault(float(epoch), {"variant": name, "epoch": int(epoch),
                                                      "seconds": _num(seconds[i]), "seeds": len(histories)})
                row.update({f"{column}_mean": _num(mean[i]), f"{column}_min": _num(low[i]),
                            f"{column}_max": _num(high[i])})
        rows += [table[e] for e in sorted(table)]
    return rows


def _num(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _band(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an epoch no seed reached is not drawn
        return np.nanmean(values, axis=0), np.nanmin(values, axis=0), np.nanmax(values, axis=0)


def plot_bytes(groups: Mapping[str, Sequence[Sequence[Mapping[str, Any]]]], *, title: str = "",
               failed: Mapping[str, str] | None = None, x: str = "epoch") -> bytes:
    """PNG bytes of the loss curves of each group (variant → one history per seed).

    Training loss on the left, validation loss on the right (when any run has one); the line is the
    mean over seeds, the band runs from the lowest to the highest seed. `x` is "epoch" or "time"
    (seconds since the start, averaged over seeds). `failed` maps groups whose runs all ended badly
    to their status ("diverged"): they are drawn and labelled as such, but the axes are fitted to
    the others so one blow-up does not flatten the rest.
    """
    failed = failed or {}
    columns = [c for c in ("train_loss", "val_loss")
               if any(not np.isnan(curves(h, c)[1]).all() for h in groups.values() if curves(h, c)[0].size)]
    columns = columns or ["train_loss"]
    fig, axes = _figure(len(columns))
    several = any(len(h) > 1 for h in groups.values())
    for ax, column in zip(axes, columns):
        drawn: list[np.ndarray] = []
        healthy: list[np.ndarray] = []
        for i, (name, histories) in enumerate(groups.items()):
            colour = f"C{i % 10}"
            epochs, values = curves(histories, column)
            if epochs.size == 0 or np.isnan(values).all():
                continue
            xs = elapsed(histories, epochs) if x == "time" else epochs
            drawn.append(values)
            if name not in failed:
                healthy.append(values)
            mean, low, high = _band(values)
            label = name + (f" ({failed[name]})" if name in failed else "")
            ax.plot(xs, mean, color=colour, label=label, linewidth=1.5)
            if len(histories) > 1:
                ax.fill_between(xs, low, high, color=colour, alpha=0.2, linewidth=0)
        fitted = healthy or drawn
        log = use_log_scale(fitted)
        if log:
            ax.set_yscale("log")
        if healthy and len(healthy) < len(drawn):
            ax.set_ylim(*_limits(healthy, log))
        ax.set_xlabel("seconds" if x == "time" else "epoch")
        if x != "time":
            _integer_ticks(ax.xaxis)
        what = "training loss" if column == "train_loss" else "validation loss"
        ax.set_ylabel(what + (" (mean over seeds; band: min to max)" if several else ""))
        ax.set_title(what)
        ax.grid(True, alpha=0.3)
        if drawn:
            ax.legend(fontsize="small")
    fig.suptitle(title or "loss curves")
    return _png(fig)


def sensitivity_bytes(series: Sequence[Mapping[str, Any]], *, title: str = "") -> bytes:
    """lr_sensitivity.png: one panel per tuned argument, the judged loss of each trial against the value.

    `series` rows (as in lr_sensitivity.csv): variant, argument, value, log, loss (None for a failed
    trial, drawn as an x at the top), chosen (bool), and at the chosen point seed_min/seed_max.
    """
    arguments = list(dict.fromkeys(r["argument"] for r in series)) or ["lr"]
    fig, axes = _figure(len(arguments))
    variants = list(dict.fromkeys(r["variant"] for r in series))
    for ax, argument in zip(axes, arguments):
        rows = [r for r in series if r["argument"] == argument]
        finite = [r["loss"] for r in rows if r["loss"] is not None]
        top = max(finite) * 1.2 if finite else 1.0
        for i, name in enumerate(variants):
            colour = f"C{i % 10}"
            mine = sorted((r for r in rows if r["variant"] == name), key=lambda r: r["value"])
            ok = [r for r in mine if r["loss"] is not None]
            if ok:
                ax.plot([r["value"] for r in ok], [r["loss"] for r in ok], "o-", color=colour, label=name,
                        markersize=4)
            bad = [r["value"] for r in mine if r["loss"] is None]
            if bad:
                ax.plot(bad, [top] * len(bad), "x", color=colour)
            for r in mine:
                if r.get("chosen") and r.get("seed_min") is not None:
                    ax.errorbar([r["value"]], [r["loss"]], yerr=[[r["loss"] - r["seed_min"]],
                                [r["seed_max"] - r["loss"]]], color=colour, capsize=4, linewidth=2)
                    ax.plot([r["value"]], [r["loss"]], "*", color=colour, markersize=12)
        if any(r.get("log") for r in rows):
            ax.set_xscale("log")
        elif rows and all(isinstance(r["value"], int) and not isinstance(r["value"], bool) for r in rows):
            _integer_ticks(ax.xaxis)  # an integer argument (`:int`): no ticks between its values
        if use_log_scale([np.asarray(finite, dtype=float)]) if finite else False:
            ax.set_yscale("log")
        ax.set_xlabel(argument)
        ax.set_ylabel("judged loss on the tuning seed")
        ax.set_title("x: failed trial · star: chosen, bar: min to max over seeds", fontsize="small")
        ax.grid(True, alpha=0.3)
        if variants:
            ax.legend(fontsize="small")
    fig.suptitle(title or "sensitivity to the tuned arguments")
    return _png(fig)


def profile_bytes(taus: Sequence[float], panels: Mapping[str, Mapping[str, Sequence[float]]], *,
                  title: str = "") -> bytes:
    """profile.png: per version (panel), ρ(τ) for each optimizer as steps: the share of problems within τ× the best."""
    fig, axes = _figure(len(panels) or 1)
    for ax, (version, rhos) in zip(axes, panels.items()):
        for i, (name, values) in enumerate(rhos.items()):
            ax.step(list(taus), list(values), where="post", color=f"C{i % 10}", label=name, linewidth=1.8)
        ax.set_xlim(min(taus), max(taus))
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("τ (ratio to the best optimizer on the problem)")
        ax.set_ylabel("ρ(τ): share of problems within τ")
        ax.set_title(version)
        ax.grid(True, alpha=0.3)
        if rhos:
            ax.legend(fontsize="small", loc="lower right")
    fig.suptitle(title or "performance profiles")
    return _png(fig)


def search_history_bytes(trials: Sequence[Mapping[str, Any]], *, maximize: bool = False, title: str = "") -> bytes:
    """search_history.png: each trial's objective by trial number (pruned ones hollow), and the best so far.

    `trials` rows: trial (number), objective (None when it has none), status.
    """
    fig, (ax,) = _figure(1)
    best, best_x, best_y = None, [], []
    for row in trials:
        value = row.get("objective")
        if row.get("status") == "completed" and isinstance(value, int | float) and math.isfinite(value):
            best = value if best is None or (value > best if maximize else value < best) else best
        if best is not None:
            best_x.append(row["trial"])
            best_y.append(best)
    for status, style in (("completed", {"color": "C0"}), ("pruned", {"facecolors": "none", "edgecolors": "C1"})):
        points = [(r["trial"], r["objective"]) for r in trials if r.get("status") == status
                  and isinstance(r.get("objective"), int | float) and math.isfinite(r["objective"])]
        if points:
            ax.scatter(*zip(*points), label=status, s=24, **style)
    if best_x:
        ax.step(best_x, best_y, where="post", color="C3", label="best so far", linewidth=1.8)
    values = [r["objective"] for r in trials if isinstance(r.get("objective"), int | float)
              and math.isfinite(r["objective"])]
    if values and use_log_scale([np.asarray(values, dtype=float)]):
        ax.set_yscale("log")
    ax.set_xlabel("trial")
    ax.set_ylabel("objective (mean over seeds)")
    ax.grid(True, alpha=0.3)
    if best_x or values:
        ax.legend(fontsize="small")
    fig.suptitle(title or "search history")
    return _png(fig)


def importance_bytes(importances: Mapping[str, float], *, title: str = "") -> bytes:
    """importance.png: one horizontal bar per searched key, the most important on top."""
    fig, (ax,) = _figure(1, height=1.5 + 0.5 * max(1, len(importances)))
    names = list(importances)[::-1]
    ax.barh(names, [importances[n] for n in names], color="C0")
    ax.set_xlabel("importance (fANOVA, share of the objective's variance)")
    ax.grid(True, axis="x", alpha=0.3)
    fig.suptitle(title or "hyperparameter importance")
    fig.tight_layout()
    return _png(fig)


def _limits(arrays: Sequence[np.ndarray], log: bool) -> tuple[float, float]:
    """y-limits that hold every value of `arrays` with a margin."""
    finite = np.concatenate([a[np.isfinite(a)].ravel() for a in arrays])
    low, high = float(finite.min()), float(finite.max())
    if log:
        return low / 1.5, high * 1.5
    pad = 0.05 * (high - low) or abs(high) * 0.05 or 1.0
    return low - pad, high + pad


def write_plot(path: str | Path, groups: Mapping[str, Sequence[Sequence[Mapping[str, Any]]]], *,
               title: str = "", failed: Mapping[str, str] | None = None, x: str = "epoch") -> Path:
    """Write the loss-curve PNG atomically."""
    return write_bytes(path, plot_bytes(groups, title=title, failed=failed, x=x))


def write_png(path: str | Path, data: bytes) -> Path:
    """Write PNG bytes atomically."""
    return write_bytes(path, data)


RUN_CURVES = "curves.png"  # `trainer show RUN_DIR`: one run's curves, beside its metrics.csv
_NOT_CURVES = ("epoch", "lr", "seconds")


def run_curves_bytes(history: Sequence[Mapping[str, Any]], *, title: str = "") -> bytes:
    """PNG bytes of one run: its losses on the left, its other metrics columns (if any) on the right."""
    columns = [c for c in (history[0] if history else {}) if c not in _NOT_CURVES]
    losses = [c for c in columns if c.endswith("loss")] or columns[:1]
    others = [c for c in columns if c not in losses]
    panels = [losses] + ([others] if others else [])
    fig, axes = _figure(len(panels))
    for ax, group in zip(axes, panels):
        drawn = []
        for i, column in enumerate(group):
            epochs, values = curves([history], column)
            if epochs.size and not np.isnan(values).all():
                ax.plot(epochs, values[0], color=f"C{i % 10}", label=column, linewidth=1.5)
                drawn.append(values)
        if group is losses and use_log_scale(drawn):
            ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_title("losses" if group is losses else "metrics")
        ax.grid(True, alpha=0.3)
        if drawn:
            ax.legend(fontsize="small")
    fig.suptitle(title or "curves")
    return _png(fig)
