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
    return RegressionTarget(names, target)(pred)


class RegressionTarget:
    """`regression_metrics` against one target, scoring many predictions (the loop's every epoch): what
    depends on the target alone (its float64 copy, r2's total sum of squares) is computed once."""

    def __init__(self, names: Iterable[str], target: np.ndarray) -> None:
        self.names = tuple(names)
        t = np.asarray(target, dtype=np.float64)
        self.t = t.reshape(t.shape[0], -1)
        self.squares = "mse" in self.names or "rmse" in self.names or "r2" in self.names
        self.ss_tot = np.square(self.t - self.t.mean(axis=0)).sum(axis=0) if "r2" in self.names else None
        self.varies = self.ss_tot is not None and bool((self.ss_tot > 0).all())  # no column is constant

    def __call__(self, pred: np.ndarray) -> dict[str, float]:
        names = self.names
        p = np.asarray(pred, dtype=np.float64)
        diff = p.reshape(p.shape[0], -1) - self.t
        squared = np.square(diff) if self.squares else None
        computed: dict[str, float] = {}
        if "mae" in names:
            computed["mae"] = float(np.abs(diff).sum() / diff.size)
        if squared is not None and ("mse" in names or "rmse" in names):
            computed["mse"] = float(squared.sum() / squared.size)
            computed["rmse"] = float(np.sqrt(computed["mse"]))
        if "r2" in names:
            computed["r2"] = self._r2(squared.sum(axis=0))
        return {name: computed[name] for name in names}

    def _r2(self, ss_res: np.ndarray) -> float:
        """r2 from the residual sums of squares (`(t - p)**2` is `(p - t)**2` bit for bit)."""
        ss_tot = self.ss_tot
        if self.varies:
            scores = 1.0 - ss_res / ss_tot
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                scores = np.where(ss_tot > 0, 1.0 - ss_res / ss_tot, np.where(ss_res == 0, 1.0, 0.0))
        return float(scores[0]) if scores.shape[0] == 1 else float(np.mean(scores))
