"""Statistics that hold with few seeds (after rliable): median, interquartile mean, a seeded bootstrap
confidence interval of the mean, and the probability that one optimizer beats another.

Pure numpy. Lower is better everywhere (the numbers judged are losses); a failed run counts as +inf.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

BOOTSTRAP_SAMPLES = 2000
BOOTSTRAP_SEED = 0  # fixed: the same numbers give the same interval on every rerun
LEVEL = 0.95


def iqm(values: Sequence[float]) -> float:
    """Interquartile mean: the mean after dropping floor(n/4) values from each end of the sorted values."""
    x = np.sort(np.asarray(values, dtype=float))
    if x.size == 0:
        return math.nan
    cut = x.size // 4
    return float(np.mean(x[cut:x.size - cut]))


def median(values: Sequence[float]) -> float:
    """`np.median`'s value (nan when any value is nan; the mean of the middle two for an even count), without
    `np.median`, whose nan check imports `numpy.ma` (~8 ms at the end of every sweep)."""
    x = np.sort(np.asarray(values, dtype=float))
    if x.size == 0 or np.isnan(x[-1]):  # sorting puts nan last
        return math.nan
    middle = x.size // 2
    return float(x[middle]) if x.size % 2 else float(np.mean(x[middle - 1:middle + 1]))


def bootstrap_ci(values: Sequence[float], *, samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED,
                 level: float = LEVEL) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean: resample the values with replacement `samples` times.

    Seeded (the same values always give the same interval); one value is its own interval.
    """
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return (math.nan, math.nan)
    if x.size == 1:
        return float(x[0]), float(x[0])
    rng = np.random.default_rng(seed)
    means = np.sort(x[rng.integers(0, x.size, size=(samples, x.size))].mean(axis=1))
    tail = (1.0 - level) / 2.0  # order statistics, no interpolation: an inf (a failed seed) stays inf, never nan
    return float(means[math.floor(tail * (samples - 1))]), float(means[math.ceil((1.0 - tail) * (samples - 1))])


def describe(values: Sequence[float]) -> dict[str, float]:
    """mean, std (n-1; nan for one value), median, iqm and the bootstrap interval of the mean."""
    x = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        std = float(np.std(x, ddof=1)) if x.size > 1 and np.isfinite(x).all() else math.nan
    low, high = bootstrap_ci(x)
    return {"mean": float(np.mean(x)) if x.size else math.nan, "std": std,
            "median": median(x), "iqm": iqm(x), "ci_low": low, "ci_high": high}


def probability_of_improvement(a: Sequence[float], b: Sequence[float]) -> float:
    """P(A beats B): over every pair of A's and B's values, 1 when a < b, 1/2 when equal, else 0 (lower wins)."""
    x, y = np.asarray(a, dtype=float)[:, None], np.asarray(b, dtype=float)[None, :]
    if x.size == 0 or y.size == 0:
        return math.nan
    return float(np.mean((x < y) + 0.5 * (x == y)))


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """True when the intervals [a0, a1] and [b0, b1] share a point."""
    return a[0] <= b[1] and b[0] <= a[1]
