"""The output of every plain PyTorch script under tests/torch_scripts/plain/, run with real PyTorch (one .out each).

tests/torch_scripts/test_scripts.py runs the same scripts with `trainer` standing in for `torch` and
compares what they print with these files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "tests" / "torch_scripts" / "plain"


def main(out_dir: Path) -> None:
    for old in out_dir.glob("*.out"):
        old.unlink()
    for script in sorted(SCRIPTS.glob("[!_]*.py")):
        result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True,
                                cwd=SCRIPTS)
        (out_dir / f"{script.stem}.out").write_text(result.stdout)
