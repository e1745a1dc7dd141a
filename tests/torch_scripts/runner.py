"""Run a script of tests/torch_scripts/ with this interpreter (the venv's python) as its own process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def run_script(name: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The finished process of `python tests/torch_scripts/<name>`, run from the repository root."""
    return subprocess.run([sys.executable, str(HERE / name)], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)
