"""`make bench`: time each workload three ways and print the ratios (the headline figures).

    python -m benchmarks.run [--quick]

Writes benchmarks/results.json. PyTorch columns appear only where torch is importable.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from .engine import EngineRun
from .floor import NumpyFloor
from .timing import peak_bytes, per_call_seconds
from .torch_impl import TorchRun, torch_available
from .workloads import DEEP, MLP, SEED, Workload

ROOT = Path(__file__).resolve().parent.parent
UNIT_SCALE = {"us/epoch": 1e6, "us/step": 1e6, "ms/step": 1e3}


def machine_info() -> dict[str, Any]:
    """The machine, numpy's BLAS and the thread counts the numbers were measured with."""
    info: dict[str, Any] = {"python": platform.python_version(), "machine": platform.machine(),
                            "cpus": os.cpu_count(), "numpy": np.__version__}
    try:
        from threadpoolctl import threadpool_info

        info["blas"] = [{k: p.get(k) for k in ("internal_api", "version", "num_threads")} for p in threadpool_info()]
    except ImportError:
        info["blas"] = "threadpoolctl not installed"
    if torch_available():
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    return info


def time_workload(w: Workload, quick: bool) -> dict[str, Any]:
    runners = {"engine": EngineRun(w).step, "numpy": NumpyFloor(w).step}
    if torch_available():
        runners["torch"] = TorchRun(w).step
    calls = {SEED.name: 200, MLP.name: 5, DEEP.name: 100}[w.name]
    repeats = 3 if quick else 7
    seconds = per_call_seconds(runners, calls=calls if not quick else max(1, calls // 4), repeats=repeats,
                               warmup=max(2, calls // 10))
    scale = UNIT_SCALE[w.unit]
    row: dict[str, Any] = {"workload": w.name, "unit": w.unit}
    row.update({name: s * scale for name, s in seconds.items()})
    row["engine/numpy"] = seconds["engine"] / seconds["numpy"]
    if "torch" in seconds:
        row["engine/torch"] = seconds["engine"] / seconds["torch"]
    return row


def memory_row() -> dict[str, Any]:
    engine = peak_bytes(EngineRun(MLP).step)
    floor = peak_bytes(NumpyFloor(MLP).step)
    return {"workload": "peak memory, MLP step", "unit": "MB", "engine": engine / 1e6, "numpy": floor / 1e6,
            "engine/numpy": engine / floor}


def _wall(cmd: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process_row(quick: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "trainer", "run", "configs/seed.yaml", "--quiet", "--overwrite", "--out", tmp]
        seconds = _wall(cmd, 3 if quick else 5)
    floor = _wall([sys.executable, "-c", "import numpy"], 3 if quick else 5)
    return {"workload": "trainer run configs/seed.yaml --quiet (process)", "unit": "s", "engine": seconds,
            "numpy": floor, "engine/numpy": seconds / floor}


def sweep_row() -> dict[str, Any]:
    lrs = ",".join(str(round(0.01 * (i + 1), 2)) for i in range(16))
    walls = {}
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "trainer", "sweep", "configs/seed.yaml", "--grid", f"optimizer.lr={lrs}",
                   "--jobs", str(jobs), "--out", tmp]
            walls[jobs] = _wall(cmd, 1)
    return {"workload": "sweep of 16 seed runs, --jobs 1 vs 2", "unit": "s", "jobs1": walls[1], "jobs2": walls[2],
            "speed-up": walls[1] / walls[2]}


def render(rows: list[dict[str, Any]], console: Console) -> None:
    table = Table(title="trainer benchmarks (medians; ratios are the headline)")
    for col in ("workload", "unit", "engine", "numpy", "torch", "engine/numpy", "engine/torch"):
        table.add_column(col, justify="left" if col == "workload" else "right")
    for r in rows:
        if "speed-up" in r:
            table.add_row(r["workload"], r["unit"], f"{r['jobs2']:.2f} (2 jobs)", f"{r['jobs1']:.2f} (1 job)", "",
                          f"speed-up {r['speed-up']:.2f}x", "")
            continue
        cells = [f"{r[c]:.3g}" if isinstance(r.get(c), float) else "-" for c in
                 ("engine", "numpy", "torch", "engine/numpy", "engine/torch")]
        table.add_row(r["workload"], r["unit"], *cells)
    console.print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    args = parser.parse_args(argv)
    console = Console()
    if not torch_available():
        console.print("PyTorch is not installed here: its columns are skipped (pip install torch==2.13.0).")
    rows = [time_workload(w, args.quick) for w in (SEED, MLP, DEEP)]
    rows.append(process_row(args.quick))
    rows.append(sweep_row())
    rows.append(memory_row())
    render(rows, console)
    out = {"machine": machine_info(), "rows": rows}
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(out, indent=2) + "\n")
    console.print(f"machine: {out['machine']}")


if __name__ == "__main__":
    main()
