"""Another checkout's engine, timed next to this one: `--baseline-engine PATH` and the recorded baseline JSON.

The baseline runs in a subprocess that imports `trainer` from PATH (e.g. a worktree of main at 72a4059,
"today's engine" of issue 19) and this checkout's `benchmarks` package, so both engines run the very same
user loop (`benchmarks/engine.py`). The parent sends `name calls` lines; the worker answers with the
seconds per call of one timed block, so blocks of the two engines interleave like in-process ones.

    python -m benchmarks.baseline record benchmarks/baseline-2026-12-02.json   # today's engine, in-process
    python -m benchmarks.baseline worker PATH                                  # (started by run.py)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .machine import busy_fraction, load_average, machine_info
from .workloads import DEEP, MLP, SEED

ROOT = Path(__file__).resolve().parent.parent
RECORDED = ROOT / "benchmarks" / "baseline-2026-12-02.json"


def timed_block(step: Any, calls: int) -> tuple[float, float]:
    """(wall, CPU) seconds per call of `calls` steps, after one untimed call that wakes thread pools."""
    step()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        step()
    return (time.perf_counter() - wall) / calls, (time.process_time() - cpu) / calls


WORKLOADS = {"seed": SEED, "mlp": MLP, "deep": DEEP}


def worker(checkout: str) -> None:
    """Serve `name calls` requests on stdin with the engine of `checkout`, one JSON line per answer."""
    sys.path.insert(0, str(Path(checkout).resolve()))
    import trainer

    if not Path(trainer.__file__).resolve().is_relative_to(Path(checkout).resolve()):
        raise SystemExit(f"trainer came from {trainer.__file__}, not {checkout}")
    from .engine import EngineRun  # only now: it imports trainer, which must come from `checkout`

    runs: dict[str, Any] = {}
    print(json.dumps({"ready": trainer.__file__}), flush=True)
    for line in sys.stdin:
        name, calls = line.split()
        if name not in runs:
            runs[name] = EngineRun(WORKLOADS[name]).step
        if int(calls) == 0:  # a correctness probe: the first losses
            print(json.dumps({"losses": [float(runs[name]()) for _ in range(3)]}), flush=True)
            runs.pop(name)
            continue
        wall, cpu = timed_block(runs[name], int(calls))
        print(json.dumps({"wall": wall, "cpu": cpu}), flush=True)


class BaselineEngine:
    """The worker process, seen from the bench: `block(name, calls)` -> wall seconds per call."""

    def __init__(self, checkout: str | Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen([sys.executable, "-m", "benchmarks.baseline", "worker", str(checkout)],
                                     cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.origin = self._ask(None)["ready"]

    def _ask(self, request: str | None) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if request is not None:
            self.proc.stdin.write(request + "\n")
            self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the baseline worker exited with {self.proc.wait()}")
        return json.loads(line)

    def losses(self, name: str) -> list[float]:
        return self._ask(f"{name} 0")["losses"]

    def block(self, name: str, calls: int) -> float:
        return self._ask(f"{name} {calls}")["wall"]

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def record(path: Path, repeats: int = 15) -> dict[str, Any]:
    """Time this checkout's engine alone on seed, MLP and deep (the numbers later engines are held to)."""
    from .engine import EngineRun  # imported here so that the worker can choose its trainer first

    busy, load = busy_fraction(), load_average()
    rows = {}
    for name, w in WORKLOADS.items():
        step = EngineRun(w).step
        for _ in range(max(2, w.calls // 10)):
            step()
        walls, cpus = zip(*(timed_block(step, w.calls) for _ in range(repeats)))
        scale = {"us/epoch": 1e6, "us/step": 1e6, "ms/step": 1e3}[w.unit]
        rows[name] = {"workload": w.name, "unit": w.unit, "wall_median": sorted(walls)[repeats // 2] * scale,
                      "wall_range": [min(walls) * scale, max(walls) * scale],
                      "cpu_median": sorted(cpus)[repeats // 2] * scale, "calls": w.calls, "repeats": repeats}
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    out = {"what": "today's engine (issue 19's baseline): benchmarks/engine.py's user loop, engine alone",
           "commit": commit, "recorded": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "machine": machine_info(), "cpu_busy_before": busy, "load_before": load, "load_after": load_average(),
           "rows": rows}
    path.write_text(json.dumps(out, indent=2) + "\n")
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        worker(sys.argv[2])
    elif sys.argv[1:2] == ["record"]:
        print(json.dumps(record(Path(sys.argv[2]) if len(sys.argv) > 2 else RECORDED)["rows"], indent=2))
    else:
        raise SystemExit(__doc__)
