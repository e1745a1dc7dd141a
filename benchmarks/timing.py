"""Interleaved timing: warm up, then alternate implementations and take the median of repeats."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable


def per_call_seconds(fns: dict[str, Callable[[], object]], calls: int, repeats: int, warmup: int) -> dict[str, float]:
    """Median seconds per call of each function, the implementations interleaved within each repeat."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            samples[name].append((time.perf_counter() - start) / calls)
    return {name: statistics.median(s) for name, s in samples.items()}


def peak_bytes(fn: Callable[[], object], calls: int = 3) -> int:
    """Peak bytes traced (numpy reports its buffers to tracemalloc) over a few calls after one warm-up."""
    fn()
    tracemalloc.start()
    tracemalloc.reset_peak()
    for _ in range(calls):
        fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak
