"""Text sparklines (▁▂▃▄▅▆▇█): a metric's curve in one line of a terminal."""

from __future__ import annotations

import math
from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None], width: int = 40) -> str:
    """`values` squeezed to at most `width` characters (each the mean of its share), low ▁ to high █; gaps as ' '."""
    finite = [v if isinstance(v, int | float) and math.isfinite(v) else None for v in values]
    if not finite:
        return ""
    n = min(width, len(finite))
    buckets = []
    for i in range(n):
        part = [v for v in finite[i * len(finite) // n:(i + 1) * len(finite) // n] if v is not None]
        buckets.append(sum(part) / len(part) if part else None)
    known = [b for b in buckets if b is not None]
    if not known:
        return " " * n
    low, high = min(known), max(known)
    span = high - low
    top = len(BARS) - 1
    return "".join(" " if b is None else BARS[round((b - low) / span * top) if span > 0 else top // 2]
                   for b in buckets)
