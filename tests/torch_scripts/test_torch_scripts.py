"""PyTorch scripts (`import trainer as torch`) run unchanged and print what they print under PyTorch 2.13."""

from __future__ import annotations

import pytest

from tests.reference_data import load_reference
from tests.torch_scripts.runner import run_script

EXPECTED = load_reference("torch_api", "scripts")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_script_runs_and_prints_pytorchs_output(name: str) -> None:
    done = run_script(f"{name}.py")
    assert done.returncode == 0, done.stderr
    assert done.stdout == EXPECTED[name]
