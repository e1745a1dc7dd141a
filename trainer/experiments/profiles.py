"""AlgoPerf-style performance profiles: ratios r = t / best t per problem, ρ(τ), and the ∫ρ/3 score.

`t` is lower-is-better (time to target, or the final-metric stand-in of `final_ratio`); a failure
is +inf, so its ratio is +inf and it never counts as solved. A problem no optimizer solved gives
every optimizer +inf.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

TAU_MAX = 4.0
FLOOR = 1e-12  # final losses below this count as this, so an exactly solved problem does not divide by zero


def ratios(times: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """{problem: {optimizer: t}} → {problem: {optimizer: t / min t}} (inf for failures or unsolved problems)."""
    out: dict[str, dict[str, float]] = {}
    for problem, row in times.items():
        best = min(row.values(), default=math.inf)
        out[problem] = {name: (t / best if math.isfinite(t) and math.isfinite(best) and best > 0
                               else 1.0 if t == best and math.isfinite(t) else math.inf)
                        for name, t in row.items()}
    return out


def final_ratios(finals: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Ratios of final judged losses: max(loss, FLOOR) / max(best loss, FLOOR); nan/inf losses fail."""
    clean = {p: {n: max(v, FLOOR) if math.isfinite(v) else math.inf for n, v in row.items()}
             for p, row in finals.items()}
    return ratios(clean)


def rho(ratio: Mapping[str, Mapping[str, float]], optimizer: str, taus: Sequence[float]) -> np.ndarray:
    """ρ(τ): the share of problems on which `optimizer`'s ratio is at most τ, for each τ."""
    r = np.array([row[optimizer] for row in ratio.values() if optimizer in row], dtype=float)
    if r.size == 0:
        return np.zeros(len(taus))
    return np.array([float(np.mean(r <= tau)) for tau in taus])


def score(ratio: Mapping[str, Mapping[str, float]], optimizer: str, tau_max: float = TAU_MAX) -> float:
    """∫ρ(τ) dτ over [1, tau_max] / (tau_max - 1), exactly.

    ρ is a step function, so each problem adds (tau_max - r) / (tau_max - 1) when r ≤ tau_max, else 0.
    """
    r = np.array([row[optimizer] for row in ratio.values() if optimizer in row], dtype=float)
    if r.size == 0:
        return 0.0
    with np.errstate(invalid="ignore"):
        share = np.where(r <= tau_max, (tau_max - np.maximum(r, 1.0)) / (tau_max - 1.0), 0.0)
    return float(np.mean(share))
