"""The output of every PyTorch script under tests/torch_scripts/, run with real PyTorch (one .out file each)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "tests" / "torch_scripts"


def main(out_dir: Path) -> None:
    for script in sorted(SCRIPTS.glob("*.py")):
        if script.name.startswith(("_", "test_", "run_")):
            continue
        result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
        (out_dir / f"{script.stem}.out").write_text(result.stdout)
