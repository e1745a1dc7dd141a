"""`trainer --help` and `trainer run` never load matplotlib, distributed or optuna; nor does a grid sweep."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"

SCRIPT = """
import json, sys
from typer.testing import CliRunner
from trainer.cli.app import app
codes = [CliRunner().invoke(app, args).exit_code for args in {calls!r}]
heavy = sorted(m for m in ("matplotlib", "distributed", "dask", "optuna") if m in sys.modules)
print(json.dumps({{"codes": codes, "heavy": heavy}}))
"""


def loaded(*calls: list[str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", SCRIPT.format(calls=[list(c) for c in calls])],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_help_and_run_load_neither(tmp_path: Path) -> None:
    out = loaded(["--help"], ["run", str(SEED), "--set", "training.epochs=2", "--out", str(tmp_path), "-q"])
    assert out == {"codes": [0, 0], "heavy": []}


def test_a_local_sweep_loads_neither(tmp_path: Path) -> None:
    out = loaded(["sweep", str(SEED), "--grid", "optimizer.lr=0.01", "--set", "training.epochs=2", "--out",
                  str(tmp_path), "-q"])
    assert out == {"codes": [0], "heavy": []}
