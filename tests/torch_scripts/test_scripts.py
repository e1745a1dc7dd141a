"""PyTorch scripts run unchanged with `trainer` as `torch`, printing what real PyTorch printed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REFERENCES = HERE.parent / "references" / "torch_scripts"
# the scripts compared by their printed numbers (test_torch_scripts.py compares the others' whole output)
SCRIPTS = sorted(p.stem for p in REFERENCES.glob("*.out"))


def _numbers(text: str) -> list[list[float]]:
    rows = []
    for line in text.splitlines():
        words = line.replace(" x^3", "").replace(" x^2", "").replace(" x", "").replace("+", " ").split()
        rows.append([float(w) for w in words if w.lstrip("-").replace(".", "", 1).replace("e-", "", 1).isdigit()])
    return rows


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_prints_what_pytorch_printed(name):
    result = subprocess.run([sys.executable, str(HERE / "run_as_torch.py"), str(HERE / f"{name}.py")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    expected = (REFERENCES / f"{name}.out").read_text()
    got_rows, want_rows = _numbers(result.stdout), _numbers(expected)
    assert len(got_rows) == len(want_rows) and got_rows, result.stdout
    for got, want in zip(got_rows, want_rows):
        assert len(got) == len(want), (got, want)
        assert got == pytest.approx(want, rel=1e-4), (got, want)


def test_polynomial_fit_learns():
    rows = _numbers((REFERENCES / "polynomial_sgd.out").read_text())
    assert rows[0][0] == 99 and rows[-2][0] == 1999 and rows[-2][1] < rows[0][1] / 50
