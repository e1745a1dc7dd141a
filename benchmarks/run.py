"""`make bench`: every workload timed several ways, interleaved in one process, and issue 19's targets judged.

    python -m benchmarks.run [--quick] [--only seed,mlp,deep,conv,memory,process,sweep,scaling]
                             [--baseline-engine PATH]

Implementations: **engine** (trainer's public API in a user's loop, `benchmarks/engine.py`), **floor** (the
tight numpy floor, `benchmarks/floor.py`), **floor_pt** (the same floor, optimizer per tensor), **soft** (the
floor this bench used before issue 19), **torch** (PyTorch CPU at numpy's BLAS thread count, where
importable) and **baseline** (another checkout's engine in a worker process, with `--baseline-engine`).
Times are medians of the repeats; ratios are medians of per-repeat ratios. Writes benchmarks/results.json,
benchmarks/scaling.csv and benchmarks/scaling.png.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console

from . import processes, report, scaling
from .baseline import RECORDED, BaselineEngine
from .engine import EngineConvRun, EngineRun
from .floor import NumpyFloor
from .floor_conv import NumpyConvFloor
from .floor_soft import SoftFloor
from .machine import busy_fraction, load_average, machine_info, numpy_blas, torch_available
from .stats import ratio_row
from .targets import judge, recorded_baseline
from .timing import Block, interleaved_blocks, peak_bytes, step_block
from .workloads import CONV, DEEP, MLP, SEED, ConvWorkload, Workload

ROOT = Path(__file__).resolve().parent.parent
ROWS = ("seed", "mlp", "deep", "conv", "memory", "process", "sweep", "scaling")
WORKLOADS: dict[str, Workload | ConvWorkload] = {"seed": SEED, "mlp": MLP, "deep": DEEP, "conv": CONV}


def same_training(runners: dict[str, Callable[[], object]], steps: int = 3) -> None:
    """The implementations must train identically (float32 tolerance) before their times mean anything."""
    losses = {name: [float(step()) for _ in range(steps)] for name, step in runners.items()}
    reference = losses.get("floor", losses.get("numpy"))
    for name, values in losses.items():
        if not np.allclose(values, reference, rtol=1e-4):
            raise RuntimeError(f"{name} and the numpy floor disagree: {values} vs {reference}")


def _implementations(key: str, w: Workload | ConvWorkload, with_torch: bool) -> dict[str, Callable[[], Any]]:
    """Constructors of each in-process implementation of a workload."""
    if isinstance(w, ConvWorkload):
        impls: dict[str, Callable[[], Any]] = {"engine": lambda: EngineConvRun(w), "floor": lambda: NumpyConvFloor(w)}
    else:
        impls = {"engine": lambda: EngineRun(w), "floor": lambda: NumpyFloor(w),
                 "floor_pt": lambda: NumpyFloor(w, flat=False), "soft": lambda: SoftFloor(w)}
    if with_torch:
        from .torch_impl import TorchConvRun, TorchRun

        impls["torch"] = (lambda: TorchConvRun(w)) if isinstance(w, ConvWorkload) else (lambda: TorchRun(w))
    return impls


def time_workload(key: str, with_torch: bool, quick: bool, baseline: BaselineEngine | None) -> dict[str, Any]:
    w = WORKLOADS[key]
    impls = _implementations(key, w, with_torch)
    same_training({name: make().step for name, make in impls.items()})
    steps = {name: make().step for name, make in impls.items()}
    calls = max(1, w.calls // 4) if quick else w.calls
    for step in steps.values():
        for _ in range(max(2, calls // 10)):
            step()
    blocks: dict[str, Block] = {name: step_block(step) for name, step in steps.items()}
    if baseline is not None and key in ("seed", "mlp", "deep"):
        floor = impls["floor"]().step
        if not np.allclose(baseline.losses(key), [float(floor()) for _ in range(3)], rtol=1e-4):
            raise RuntimeError(f"the baseline engine trains {key} differently from the floor")
        baseline.block(key, max(2, calls // 10))  # warm-up
        blocks["baseline"] = lambda n: baseline.block(key, n)
    samples = interleaved_blocks(blocks, calls, repeats=3 if quick else 15)
    return ratio_row(w.name, w.unit, samples)


def memory_row() -> dict[str, Any]:
    engine = peak_bytes(lambda: EngineRun(MLP).step)
    floor = peak_bytes(lambda: NumpyFloor(MLP).step)
    return {"workload": "peak memory, MLP", "unit": "MB", "engine": engine / 1e6, "floor": floor / 1e6,
            "engine/floor": engine / floor, "note": "tracemalloc sees numpy's buffers, not PyTorch's"}


def _torch_setup(notes: list[str]) -> bool:
    if not torch_available():
        notes.append("PyTorch is not importable here: its columns, the torch targets and the crossovers are "
                     "skipped (make bench BENCH_TORCH=1 runs the bench in .venv-bench, which has torch==2.13.0).")
        return False
    import torch

    torch.set_num_threads(numpy_blas()["threads"])
    notes.append(f"PyTorch {torch.__version__} limited to numpy's BLAS thread count: "
                 f"torch.get_num_threads() = {torch.get_num_threads()}")
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer calls, repeats and points (a smoke run)")
    parser.add_argument("--only", default=",".join(ROWS), help=f"comma-separated subset of {', '.join(ROWS)}")
    parser.add_argument("--baseline-engine", metavar="PATH",
                        help="a checkout whose trainer/ is timed as the baseline column, interleaved "
                             "(e.g. a worktree of main at 72a4059)")
    parser.add_argument("--point-seconds", type=float, default=3.0, help="wall time per scaling point")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"), help="where to write the JSON")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if unknown := only - set(ROWS):
        parser.error(f"unknown rows {sorted(unknown)}; choose from {', '.join(ROWS)}")
    out_dir = Path(args.out).parent
    console = Console() if Console().is_terminal else Console(width=160)
    started = time.perf_counter()
    notes: list[str] = []
    with_torch = _torch_setup(notes)
    busy, load_before = busy_fraction(), load_average()
    if busy > 0.2:
        notes.append(f"the machine was {busy:.0%} busy with other work before the run: timings are unreliable")
    baseline = BaselineEngine(args.baseline_engine) if args.baseline_engine else None
    if baseline is not None:
        notes.append(f"baseline column: trainer from {baseline.origin}")
    for note in notes:
        console.print(note)

    rows: dict[str, dict[str, Any]] = {}
    try:
        for key in ("seed", "mlp", "deep", "conv"):
            if key in only:
                console.print(f"timing {WORKLOADS[key].name} ...")
                rows[key] = time_workload(key, with_torch, args.quick, baseline)
    finally:
        if baseline is not None:
            baseline.close()
    if "memory" in only:
        rows["memory"] = memory_row()
    repeats = 3 if args.quick else 5
    imports = None
    with tempfile.TemporaryDirectory(prefix="trainer-bench-pycache-") as cache:
        pycache = Path(cache)
        if "process" in only:
            console.print("timing whole processes ...")
            rows["process"] = processes.process_row(with_torch, repeats, pycache)
            rows["process_nocache"] = processes.process_row(False, repeats, None)
            rows["help"] = processes.help_row(repeats, pycache)
            imports = processes.import_breakdown(pycache)
        if "sweep" in only:
            for runs in (16, 64):
                console.print(f"timing a sweep of {runs} runs ...")
                rows[f"sweep{runs}"] = processes.sweep_row(runs, 1 if args.quick else 3, pycache)
    scaled = None
    if "scaling" in only:
        console.print("scaling curves ...")
        scaled = scaling.run_scaling(with_torch, args.quick, args.point_seconds / (3 if args.quick else 1),
                                     console.print)
        scaling.write_csv(scaled["points"], out_dir / "scaling.csv")
        scaling.write_png(scaled, out_dir / "scaling.png")
    targets = judge(rows, recorded_baseline(RECORDED))
    report.render(rows, targets, imports, scaled, console)
    info = machine_info()
    result = {"machine": info, "cpu_busy_before": busy, "load_before": load_before, "load_after": load_average(),
              "seconds": time.perf_counter() - started, "quick": args.quick, "notes": notes, "rows": rows,
              "targets": targets, "imports": imports, "scaling": scaled}
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    console.print(report.machine_line(info, with_torch))
    console.print(f"load average {load_before} before, {result['load_after']} after; CPUs {busy:.0%} busy before")
    console.print(f"wrote {os.path.relpath(args.out)} in {result['seconds']:.0f} s")


if __name__ == "__main__":
    main()
