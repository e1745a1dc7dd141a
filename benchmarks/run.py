"""`make bench`: time each workload three ways and print the ratios (the headline figures).

    python -m benchmarks.run [--quick] [--only seed,mlp,deep,conv,process,sweep,memory]

Every training workload runs through trainer's public API (engine), a hand-written numpy
implementation of the same computation (numpy, the floor) and PyTorch CPU (torch, only where it is
importable), interleaved in one process, PyTorch limited to numpy's BLAS thread count. Times are
medians of the repeats after warm-up; ratios are medians of the per-repeat ratios. Writes
benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from .engine import EngineConvRun, EngineRun
from .floor import NumpyFloor
from .floor_conv import NumpyConvFloor
from .machine import busy_fraction, machine_info, numpy_blas, torch_available
from .timing import median, peak_bytes, per_call_seconds, wall_seconds
from .workloads import CONV, DEEP, MLP, SEED, ConvWorkload, Workload

ROOT = Path(__file__).resolve().parent.parent
UNIT_SCALE = {"us/epoch": 1e6, "us/step": 1e6, "ms/step": 1e3, "s": 1.0, "MB": 1e-6}
SWEEP_RUNS = 16
# the targets: (max engine/numpy, max engine/torch) per timed workload
TARGETS = {SEED.name: (1.5, 1 / 3), MLP.name: (1.15, 1.2), DEEP.name: (2.0, None), CONV.name: (1.5, 2.0)}
ROWS = ("seed", "mlp", "deep", "conv", "process", "sweep", "memory")


def _ratio_row(name: str, unit: str, samples: dict[str, list[float]]) -> dict[str, Any]:
    """Medians of each implementation's repeats, and each ratio as the median of per-repeat ratios.

    The implementations of one repeat ran next to each other, so a per-repeat ratio cancels load that
    comes and goes on a shared machine, which the ratio of two medians would not.
    """
    scale = UNIT_SCALE[unit]
    row: dict[str, Any] = {"workload": name, "unit": unit}
    for impl, s in samples.items():
        row[impl] = median(s) * scale
        row[f"{impl}_range"] = [min(s) * scale, max(s) * scale]
    for other in ("numpy", "torch"):
        if other in samples:
            row[f"engine/{other}"] = median([e / o for e, o in zip(samples["engine"], samples[other])])
    return row


def _judge(row: dict[str, Any], max_numpy: float | None, max_torch: float | None) -> None:
    """Fill `target` and `met` (None when the PyTorch half of a target could not be measured)."""
    parts, met = [], True
    if max_numpy is not None:
        parts.append(f"<= {max_numpy:g}x numpy")
        met = met and row["engine/numpy"] <= max_numpy
    if max_torch is not None:
        parts.append(f"<= {max_torch:.3g}x torch" if max_torch >= 1 else f"torch >= {1 / max_torch:g}x slower")
        if "engine/torch" in row:
            met = met and row["engine/torch"] <= max_torch
        elif met:
            met = None
    row["target"], row["met"] = ", ".join(parts), met


def same_training(runners: dict[str, Callable[[], object]], steps: int = 3) -> None:
    """The three ways must train identically (float32 tolerance) before their times mean anything."""
    losses = {name: [float(step()) for _ in range(steps)] for name, step in runners.items()}
    for name, values in losses.items():
        if not np.allclose(values, losses["numpy"], rtol=1e-4):
            raise RuntimeError(f"{name} and the numpy floor disagree: {values} vs {losses['numpy']}")


def time_workload(w: Workload | ConvWorkload, with_torch: bool, quick: bool) -> dict[str, Any]:
    conv = isinstance(w, ConvWorkload)
    runners: dict[str, Callable[[], object]] = {"engine": (EngineConvRun if conv else EngineRun)(w).step,
                                                "numpy": (NumpyConvFloor if conv else NumpyFloor)(w).step}
    if with_torch:
        from .torch_impl import TorchConvRun, TorchRun

        runners["torch"] = (TorchConvRun if conv else TorchRun)(w).step
    same_training({name: type(step.__self__)(w).step for name, step in runners.items()})
    calls = max(1, w.calls // 4) if quick else w.calls
    samples = per_call_seconds(runners, calls=calls, repeats=3 if quick else 15, warmup=max(2, calls // 10))
    row = _ratio_row(w.name, w.unit, samples)
    _judge(row, *TARGETS[w.name])
    return row


def memory_row() -> dict[str, Any]:
    engine = peak_bytes(lambda: EngineRun(MLP).step)
    floor = peak_bytes(lambda: NumpyFloor(MLP).step)
    row = {"workload": "(6) peak memory, MLP", "unit": "MB", "engine": engine / 1e6, "numpy": floor / 1e6,
           "engine/numpy": engine / floor, "note": "tracemalloc sees numpy's buffers, not PyTorch's"}
    _judge(row, 1.5, None)
    return row


def process_env(pycache: Path | None) -> dict[str, str]:
    """The environment of the timed processes: with `pycache`, Python caches bytecode there.

    An installed trainer has bytecode caches, so a process does not compile its modules; machines
    that set PYTHONDONTWRITEBYTECODE (this workplace does) compile every module in every process.
    A separate cache folder keeps the work tree clean.
    """
    env = dict(os.environ)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def process_row(with_torch: bool, quick: bool, pycache: Path | None) -> dict[str, Any]:
    """`trainer run configs/seed.yaml --quiet` from process start to exit, against numpy and PyTorch scripts
    that train the same network for the same 200 epochs."""
    repeats = 3 if quick else 5
    samples: dict[str, list[float]] = {"engine": [], "numpy": []}
    if with_torch:
        samples["torch"] = []
    env = process_env(pycache)
    with tempfile.TemporaryDirectory() as tmp:
        cmds = {"engine": [sys.executable, "-m", "trainer", "run", "configs/seed.yaml", "--quiet", "--overwrite",
                           "--out", str(Path(tmp) / "run")],
                "numpy": [sys.executable, "-m", "benchmarks.script", "numpy"],
                "torch": [sys.executable, "-m", "benchmarks.script", "torch"]}
        for impl in samples:  # fills the bytecode cache
            wall_seconds(cmds[impl], 1, ROOT, env)
        for _ in range(repeats):  # interleaved, like the in-process timings
            for impl in samples:
                samples[impl] += wall_seconds(cmds[impl], 1, ROOT, env)
    cached = pycache is not None
    row = _ratio_row("(4) trainer run seed.yaml (process)" if cached else "(4) same, no bytecode cache", "s", samples)
    row["bytecode_cache"] = cached
    row["target"], row["met"] = ("engine <= 0.8 s", row["engine"] <= 0.8) if cached else ("", None)
    if not cached:
        row["note"] = "PYTHONDONTWRITEBYTECODE is set: every process compiles trainer's modules"
    return row


def help_row(quick: bool, pycache: Path | None) -> dict[str, Any]:
    """`trainer --help` from start to exit: the cost of the imports the CLI needs before doing anything."""
    env = process_env(pycache)
    samples: dict[str, list[float]] = {"engine": [], "numpy": []}
    cmds = {"engine": [sys.executable, "-m", "trainer", "--help"], "numpy": [sys.executable, "-c", "import numpy"]}
    for _ in range(3 if quick else 5):
        for impl, cmd in cmds.items():
            samples[impl] += wall_seconds(cmd, 1, ROOT, env)
    row = _ratio_row("(4b) trainer --help (process)", "s", samples)
    row["note"] = "numpy column: python -c 'import numpy'"
    row["target"], row["met"] = "", None
    return row


def sweep_row(quick: bool, pycache: Path | None) -> dict[str, Any]:
    """`trainer sweep` of 16 seed runs with --jobs 1 and --jobs 2, interleaved; the speed-up is the figure."""
    lrs = ",".join(f"{0.005 * (i + 1):g}" for i in range(SWEEP_RUNS))
    walls: dict[int, list[float]] = {1: [], 2: []}
    env = process_env(pycache)
    for _ in range(1 if quick else 3):
        for jobs in walls:
            with tempfile.TemporaryDirectory() as tmp:
                cmd = [sys.executable, "-m", "trainer", "sweep", "configs/seed.yaml", "--grid", f"optimizer.lr={lrs}",
                       "--jobs", str(jobs), "--quiet", "--out", str(Path(tmp) / "sweep")]
                walls[jobs] += wall_seconds(cmd, 1, ROOT, env)
    j1, j2 = median(walls[1]), median(walls[2])
    return {"workload": f"(5) sweep of {SWEEP_RUNS} seed runs", "unit": "s",
            "jobs1": j1, "jobs2": j2, "jobs1_samples": walls[1], "jobs2_samples": walls[2], "speed-up": j1 / j2,
            "target": "--jobs 2 >= 1.7x faster", "met": j1 / j2 >= 1.7}


def _cell(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if not isinstance(value, float):
        return "-"
    if key.startswith("engine/"):
        return f"{value:.2f}x"
    return f"{value:.3g}"


def render(rows: list[dict[str, Any]], console: Console) -> None:
    table = Table(title="trainer benchmarks: medians of interleaved repeats; the ratios are the headline")
    for col in ("workload", "unit", "engine", "numpy", "torch", "engine/numpy", "engine/torch", "target", "met"):
        table.add_column(col, justify="left" if col in ("workload", "target") else "right")
    verdict = {True: "[green]yes[/green]", False: "[red]no[/red]", None: "?"}
    for r in rows:
        if "speed-up" in r:
            table.add_row(r["workload"], r["unit"], f"{r['jobs2']:.2f} (2 jobs)", f"{r['jobs1']:.2f} (1 job)", "",
                          f"{r['speed-up']:.2f}x faster", "", r["target"], verdict[r["met"]])
            continue
        cells = [_cell(r, c) for c in ("engine", "numpy", "torch", "engine/numpy", "engine/torch")]
        target = r.get("target", "")
        table.add_row(r["workload"], r["unit"], *cells, target, verdict[r.get("met")] if target else "")
    console.print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer calls and repeats (a smoke run)")
    parser.add_argument("--only", default=",".join(ROWS), help=f"comma-separated subset of {', '.join(ROWS)}")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"), help="where to write the JSON")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if unknown := only - set(ROWS):
        parser.error(f"unknown rows {sorted(unknown)}; choose from {', '.join(ROWS)}")
    console = Console()
    if not console.is_terminal:  # a log file: do not squeeze the table into 80 columns
        console = Console(width=150)
    started = time.perf_counter()
    notes = []
    with_torch = torch_available()
    threads = numpy_blas()["threads"]
    if with_torch:
        import torch

        torch.set_num_threads(threads)
        notes.append(f"PyTorch {torch.__version__} limited to numpy's BLAS thread count: "
                     f"torch.get_num_threads() = {torch.get_num_threads()}")
    else:
        notes.append("PyTorch is not importable here: its columns are skipped "
                     "(run with a Python that has torch==2.13.0 for them).")
    busy = busy_fraction()
    if busy > 0.2:
        notes.append(f"the machine was {busy:.0%} busy with other work before the run: timings are unreliable")
    for note in notes:
        console.print(note)

    rows: list[dict[str, Any]] = []
    for key, w in (("seed", SEED), ("mlp", MLP), ("deep", DEEP), ("conv", CONV)):
        if key in only:
            console.print(f"timing {w.name} ...")
            rows.append(time_workload(w, with_torch, args.quick))
    with tempfile.TemporaryDirectory(prefix="trainer-bench-pycache-") as pycache:
        if "process" in only:
            console.print("timing whole processes ...")
            rows.append(process_row(with_torch, args.quick, Path(pycache)))
            if os.environ.get("PYTHONDONTWRITEBYTECODE"):
                rows.append(process_row(with_torch, args.quick, None))
            rows.append(help_row(args.quick, Path(pycache)))
        if "sweep" in only:
            console.print("timing the sweep ...")
            rows.append(sweep_row(args.quick, Path(pycache)))
    if "memory" in only:
        rows.append(memory_row())
    render(rows, console)
    info = machine_info()
    out = {"machine": info, "cpu_busy_before": busy, "seconds": time.perf_counter() - started, "quick": args.quick,
           "notes": notes, "rows": rows}
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")
    blas = info["numpy_blas"]
    console.print(f"{info['cpu']} ({info['cpus']} CPUs), Python {info['python']}, numpy {info['numpy']} with "
                  f"{blas['library']} {blas['version']} ({blas['kernel'] or 'kernel unknown'}, {blas['threads']} "
                  f"threads)" + (f", torch {info['torch']} with {info['torch_threads']} threads" if with_torch else "")
                  + (f", env {info['env']}" if info["env"] else ""))
    console.print(f"wrote {os.path.relpath(args.out)} in {out['seconds']:.0f} s")


if __name__ == "__main__":
    main()
