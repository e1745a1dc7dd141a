"""The regression metrics in one pass: the float64 copies and the difference computed once for all of them.

Each value is bit-identical to its readable function in `evaluate` (same operations on the same arrays,
only shared): `test_fused` checks it. The loop evaluates every epoch, so this is its hot path.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

REGRESSION = frozenset({"mae", "mse", "rmse", "r2"})


def regression_metrics(names: Iterable[str], pred: np.ndarray, target: np.ndarray) -> dict[str, float]:
    """Every named metric (all in REGRESSION) of `pred` against `target`."""
    names = tuple(names)
    p = np.asarray(pred, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    p, t = p.reshape(p.shape[0], -1), t.reshape(t.shape[0], -1)
    diff = p - t
    squared = np.square(diff) if "mse" in names or "rmse" in names or "r2" in names else None
    computed: dict[str, float] = {}
    if "mae" in names:
        computed["mae"] = float(np.abs(diff).sum() / diff.size)
    if squared is not None and ("mse" in names or "rmse" in names):
        computed["mse"] = float(squared.sum() / squared.size)
        computed["rmse"] = float(np.sqrt(computed["mse"]))
    if "r2" in names:
        computed["r2"] = _r2(squared.sum(axis=0), t)
    return {name: computed[name] for name in names}


def _r2(ss_res: np.ndarray, t: np.ndarray) -> float:
    """r2 from the residual sums of squares (`(t - p)**2` is `(p - t)**2` bit for bit)."""
    ss_tot = np.square(t - t.mean(axis=0)).sum(axis=0)
    if (ss_tot > 0).all():
        scores = 1.0 - ss_res / ss_tot
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = np.where(ss_tot > 0, 1.0 - ss_res / ss_tot, np.where(ss_res == 0, 1.0, 0.0))
    return float(scores[0]) if scores.shape[0] == 1 else float(np.mean(scores))
