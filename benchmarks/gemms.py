"""The GEMM floor of an MLP workload: its step's matrix products alone, as `F.linear` calls them.

`python -m benchmarks.gemms` times them with numpy's BLAS (and PyTorch's, when importable) so the
engine's step can be set against the part of it no Python-side change can remove.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from .workloads import MLP, Workload


def gemm_cases(w: Workload, dot: Callable = np.dot, wrap: Callable = lambda a: a) -> dict[str, Callable]:
    """One step's products, named: each layer's forward x @ W.T; backward g @ W (not for the first layer,
    whose input needs no gradient) and g.T @ x. Operands are random arrays of the step's shapes."""
    rng = np.random.default_rng(0)
    b, sizes = w.batch, w.sizes
    acts = [wrap(rng.standard_normal((b, n)).astype(np.float32)) for n in sizes[:-1]]
    grads = [wrap(rng.standard_normal((b, n)).astype(np.float32)) for n in sizes[1:]]
    weights = [wrap(rng.standard_normal((o, i)).astype(np.float32)) for i, o in zip(sizes[:-1], sizes[1:])]
    cases: dict[str, Callable] = {}
    for k, (a, g, wt) in enumerate(zip(acts, grads, weights)):
        cases[f"fwd{k}"] = lambda a=a, wt=wt: dot(a, wt.T)
        if k:
            cases[f"gx{k}"] = lambda g=g, wt=wt: dot(g, wt)
        cases[f"gw{k}"] = lambda g=g, a=a: dot(g.T, a)
    return cases


def time_cases(cases: dict[str, Callable], repeats: int = 30, calls: int = 5) -> dict[str, float]:
    """Median ms per call of each case, the cases interleaved within every repeat."""
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(repeats):
        for name, fn in cases.items():
            fn()
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            times[name].append((time.perf_counter() - start) / calls * 1e3)
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> None:
    """Print the MLP step's GEMMs: numpy per product and summed, then PyTorch's when installed."""
    rows = {"numpy": time_cases(gemm_cases(MLP))}
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        rows["torch"] = time_cases(gemm_cases(MLP, torch.mm, torch.from_numpy))
    for name, ms in rows.items():
        print(name, {k: round(v, 3) for k, v in ms.items()}, "sum", round(sum(ms.values()), 2), "ms")


if __name__ == "__main__":
    main()
