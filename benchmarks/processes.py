"""Whole-process rows: `trainer run` against a numpy script, `trainer --help`, sweeps, and where imports go."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from .stats import ratio_row
from .timing import median, wall_seconds

ROOT = Path(__file__).resolve().parent.parent


def process_env(pycache: Path | None) -> dict[str, str]:
    """The environment of the timed processes: with `pycache`, Python caches bytecode there; without,
    PYTHONDONTWRITEBYTECODE=1 makes every process compile every module it imports.

    A separate cache folder keeps the work tree clean and starts empty (the first, untimed run fills it).
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # this checkout's trainer and benchmarks
    env.pop("PYTHONPYCACHEPREFIX", None)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def drop_own_bytecode(root: Path = ROOT) -> int:
    """Delete trainer's own __pycache__ folders (site-packages' installed .pyc stay): the issue's "without bytecode
    caches" case, where PYTHONDONTWRITEBYTECODE=1 processes compile trainer's modules but not numpy's or pydantic's.
    Returns how many folders went."""
    dirs = list((root / "trainer").rglob("__pycache__"))
    for d in dirs:
        shutil.rmtree(d, ignore_errors=True)
    return len(dirs)


def _run_cmd(out: Path) -> list[str]:
    return [sys.executable, "-m", "trainer", "run", "configs/seed.yaml", "--quiet", "--overwrite", "--out", str(out)]


def process_row(with_torch: bool, repeats: int, pycache: Path | None) -> dict[str, Any]:
    """`trainer run configs/seed.yaml --quiet` from process start to exit, against numpy (the tight floor) and
    PyTorch scripts that train the same network for the same 200 epochs, interleaved."""
    impls = ["engine", "numpy"] + (["torch"] if with_torch else [])
    samples: dict[str, list[float]] = {impl: [] for impl in impls}
    env = process_env(pycache)
    if pycache is None:
        drop_own_bytecode()  # else trainer's .pyc of an earlier, bytecode-writing process would be read
    with tempfile.TemporaryDirectory() as tmp:
        cmds = {"engine": _run_cmd(Path(tmp) / "run"),
                "numpy": [sys.executable, "-m", "benchmarks.script", "numpy"],
                "torch": [sys.executable, "-m", "benchmarks.script", "torch"]}
        for impl in impls:  # fills the bytecode cache
            wall_seconds(cmds[impl], 1, ROOT, env)
        for _ in range(repeats):
            for impl in impls:
                samples[impl] += wall_seconds(cmds[impl], 1, ROOT, env)
    cached = pycache is not None
    name = "trainer run seed.yaml --quiet" + ("" if cached else ", PYTHONDONTWRITEBYTECODE=1")
    row = ratio_row(name, "s", samples)
    row["bytecode_cache"] = cached
    if not cached:
        pycs = len(list((ROOT / "trainer").rglob("*.pyc")))
        row["note"] = f"{pycs} .pyc files of trainer's on disk (removed before the run; site-packages' kept)"
    return row


def help_row(repeats: int, pycache: Path | None) -> dict[str, Any]:
    """`trainer --help` from start to exit, next to `python -c 'import numpy'` (the numpy column)."""
    env = process_env(pycache)
    cmds = {"engine": [sys.executable, "-m", "trainer", "--help"], "numpy": [sys.executable, "-c", "import numpy"]}
    for cmd in cmds.values():
        wall_seconds(cmd, 1, ROOT, env)
    samples: dict[str, list[float]] = {"engine": [], "numpy": []}
    for _ in range(repeats):
        for impl, cmd in cmds.items():
            samples[impl] += wall_seconds(cmd, 1, ROOT, env)
    row = ratio_row("trainer --help", "s", samples)
    row["note"] = "numpy column: python -c 'import numpy'"
    return row


def sweep_row(runs: int, repeats: int, pycache: Path | None) -> dict[str, Any]:
    """`trainer sweep` of `runs` seed runs with --jobs 1 and --jobs 2, alternated; the speed-up is the figure."""
    lrs = ",".join(f"{0.08 * (i + 1) / runs:.6g}" for i in range(runs))
    walls: dict[int, list[float]] = {1: [], 2: []}
    env = process_env(pycache)
    for _ in range(repeats):
        for jobs in walls:
            with tempfile.TemporaryDirectory() as tmp:
                cmd = [sys.executable, "-m", "trainer", "sweep", "configs/seed.yaml", "--grid", f"optimizer.lr={lrs}",
                       "--jobs", str(jobs), "--quiet", "--out", str(Path(tmp) / "sweep")]
                walls[jobs] += wall_seconds(cmd, 1, ROOT, env)
    j1, j2 = median(walls[1]), median(walls[2])
    return {"workload": f"sweep of {runs} seed runs", "unit": "s", "runs": runs, "jobs1": j1, "jobs2": j2,
            "jobs1_samples": walls[1], "jobs2_samples": walls[2], "speed-up": j1 / j2}


def parse_importtime(stderr: str) -> list[tuple[str, int]]:
    """(module, self microseconds) for every `import time:` line of `python -X importtime`."""
    out = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line[len("import time:"):].split("|", 2)
        out.append((name.strip(), int(self_us)))
    return out


def group_imports(modules: list[tuple[str, int]], top: int = 10) -> dict[str, list[tuple[str, float]]]:
    """Milliseconds of import (self time) by top-level package and by trainer subpackage, largest first."""
    by_package: dict[str, int] = defaultdict(int)
    by_trainer: dict[str, int] = defaultdict(int)
    for name, us in modules:
        parts = name.split(".")
        by_package[parts[0]] += us
        if parts[0] == "trainer":
            by_trainer[".".join(parts[:2])] += us

    def largest(d: dict[str, int]) -> list[tuple[str, float]]:
        return [(k, v / 1e3) for k, v in sorted(d.items(), key=lambda kv: -kv[1])[:top]]

    return {"by_package": largest(by_package), "by_trainer_subpackage": largest(by_trainer),
            "total_ms": sum(us for _, us in modules) / 1e3}


def import_breakdown(pycache: Path | None, top: int = 10) -> dict[str, Any]:
    """Where `trainer run configs/seed.yaml --quiet` spends its imports (`python -X importtime`)."""
    env = process_env(pycache)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-X", "importtime", *_run_cmd(Path(tmp) / "run")[1:]]
        wall_seconds(cmd, 1, ROOT, env)  # warm the cache
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return group_imports(parse_importtime(done.stderr), top)
