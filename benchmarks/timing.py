"""Interleaved timing, peak memory and wall-clock time of whole processes."""

from __future__ import annotations

import statistics
import subprocess
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

Block = Callable[[int], float]  # runs `calls` steps, returns the seconds per call


def step_block(fn: Callable[[], object]) -> Block:
    """A block of `calls` calls of `fn` after one untimed call that wakes its thread pools."""
    def block(calls: int) -> float:
        fn()
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        return (time.perf_counter() - start) / calls
    return block


def interleaved_blocks(blocks: dict[str, Block], calls: int, repeats: int, settle: float = 0.2,
                       budget: float | None = None) -> dict[str, list[float]]:
    """Seconds per call of each block in every repeat, the implementations interleaved within a repeat.

    With `budget` (seconds), stops after the repeat that exceeds it (at least 3 repeats), so slow points
    of a curve take fewer repeats than fast ones.
    """
    samples: dict[str, list[float]] = {name: [] for name in blocks}
    started = time.perf_counter()
    for r in range(repeats):
        for name, block in blocks.items():
            time.sleep(settle)
            samples[name].append(block(calls))
        if budget is not None and r >= 2 and time.perf_counter() - started > budget:
            break
    return samples


def per_call_seconds(fns: dict[str, Callable[[], object]], calls: int, repeats: int, warmup: int,
                     settle: float = 0.2) -> dict[str, list[float]]:
    """Seconds per call of each function in every repeat, the implementations interleaved within a repeat.

    Each function is warmed up first. Before each timed block the thread pools of the previous one get
    `settle` seconds to go idle (OpenBLAS and OpenMP workers spin for a while after a parallel region
    and would steal the cores of the next implementation), then one untimed call wakes this one's.
    """
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    return interleaved_blocks({name: step_block(fn) for name, fn in fns.items()}, calls, repeats, settle)


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def peak_bytes(make: Callable[[], Callable[[], object]], calls: int = 3) -> int:
    """Peak bytes alive during `calls` training steps, counting everything the run holds.

    Tracing starts before `make()` builds the run (data, parameters, optimizer state), so the peak
    includes those; after one step (which creates lazy optimizer state) the peak is reset to what is
    alive, and the steps that follow set it. numpy reports its buffers to tracemalloc; PyTorch does not.
    """
    tracemalloc.start()
    try:
        step = make()
        step()
        tracemalloc.reset_peak()
        for _ in range(calls):
            step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def wall_seconds(cmd: Sequence[str], repeats: int, cwd: Path, env: dict[str, str] | None = None) -> list[float]:
    """Wall-clock seconds of `cmd` from start to exit, `repeats` times; raises with its output if it fails."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited with {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return times
