"""Whole-process timing of seed sweeps, `--jobs 1` against `--jobs 2`, interleaved.

    python tools/sweep_bench.py [--runs 16 64] [--repeats 3] [--trainer PATH] [--baseline SRC_DIR]

Each repeat runs `trainer sweep configs/seed.yaml --seeds N --jobs J --quiet` into a fresh
directory for J = 1 then 2 (so both see the same machine load), and prints per-N medians of the
wall times and of the per-repeat ratios, with the load average. `--baseline DIR` (a checkout of
another commit, e.g. `git archive HEAD~3 | tar -x -C DIR`) runs its code too (first on PYTHONPATH),
interleaved with this one. No file is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one(trainer: str, runs: int, jobs: int, source: str | None = None,
        phases: list[dict[str, float]] | None = None) -> float:
    """Seconds of one whole `trainer sweep` process (its phases, from state.json, appended to `phases`)."""
    with tempfile.TemporaryDirectory(prefix="sweep-bench-") as tmp:
        cmd = [trainer, "sweep", str(ROOT / "configs" / "seed.yaml"), "--seeds", str(runs), "--jobs", str(jobs),
               "--quiet", "--out", str(Path(tmp) / "out")]
        env = {**os.environ, **({"PYTHONPATH": source} if source else {})}
        wall, start = time.time(), time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=tmp, env=env)
        seconds, end = time.perf_counter() - start, time.time()
        if phases is not None:
            phases.append(breakdown(Path(tmp) / "out" / "state.json", wall, end))
        return seconds


def breakdown(state: Path, start: float, end: float) -> dict[str, float]:
    """Where a sweep's time went: start-up (until the directory is opened), first result, per run, tail."""
    data = json.loads(state.read_text())
    opened = data["experiment"]["opened_at"]
    finished = sorted(run["finished_at"] for run in data["runs"].values())
    gaps = [b - a for a, b in zip(finished, finished[1:], strict=False)]
    return {"start-up": opened - start, "first result": finished[0] - opened,
            "between results": statistics.median(gaps) if gaps else 0.0, "tail": end - finished[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--trainer", default=str(Path(sys.executable).with_name("trainer")))
    parser.add_argument("--baseline", help="a source tree whose trainer/ is timed too, interleaved")
    args = parser.parse_args()
    print(f"load: {os.getloadavg()}")
    sources = {"this": None, **({"baseline": args.baseline} if args.baseline else {})}
    for runs in args.runs:
        times: dict[tuple[str, int], list[float]] = {(name, j): [] for name in sources for j in (1, 2)}
        phases: dict[tuple[str, int], list[dict[str, float]]] = {key: [] for key in times}
        for _ in range(args.repeats):
            for name, source in sources.items():
                for jobs in (1, 2):
                    times[name, jobs].append(one(args.trainer, runs, jobs, source, phases[name, jobs]))
        for name in sources:
            serial, parallel = times[name, 1], times[name, 2]
            ratios = [a / b for a, b in zip(serial, parallel, strict=True)]
            print(f"{name}: {runs} runs: jobs1 {statistics.median(serial):.3f} s, "
                  f"jobs2 {statistics.median(parallel):.3f} s, speed-up {statistics.median(ratios):.2f}x "
                  f"(ratios {', '.join(f'{r:.2f}' for r in ratios)})")
            for jobs in (1, 2):
                parts = phases[name, jobs]
                print(f"    jobs{jobs}: " + ", ".join(f"{k} {1000 * statistics.median(p[k] for p in parts):.0f} ms"
                                                  for k in parts[0]))
    print(f"load: {os.getloadavg()}")


if __name__ == "__main__":
    main()
