"""The issue's Python API snippet, saved as a script with no `__main__` guard, runs as written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SNIPPET = """\
import trainer
cfg = trainer.load_config("configs/seed.yaml", overrides=["optimizer.lr=0.01", "training.epochs=20"])
result = trainer.run(cfg, out="runs/x", quiet=True)
table = trainer.compare(cfg, optimizers=["adam", "sgd"], seeds=2, out="runs/cmp")
rows = trainer.sweep(cfg, grid={"optimizer.lr": [0.01, 0.1]}, jobs=2, out="runs/sw")
print(len(table), [row["status"] for row in rows])
"""


def test_a_script_without_a_main_guard_is_not_rerun_by_the_workers(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    (tmp_path / "snippet.py").write_text(SNIPPET)
    done = subprocess.run([sys.executable, "snippet.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stdout.strip() == "2 ['completed', 'completed']"
