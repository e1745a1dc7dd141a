"""The digits configs: they validate with a layer table, train, compare, and say how to get scikit-learn without it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from .helpers import CONFIGS, invoke

MLP = CONFIGS / "digits_mlp.yaml"
CNN = CONFIGS / "digits_cnn.yaml"


def summary(run: Path) -> dict:
    return json.loads((run / "summary.json").read_text())


def test_validate_prints_each_layer_s_shape_and_parameters() -> None:
    result = invoke("validate", MLP)
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.translate(str.maketrans("│┃", "  ")).split()) for line in result.stdout.splitlines()]
    assert "# layer output shape params" in lines
    assert "input (n, 64)" in lines and "0 linear (n, 128) 8,320" in lines and "1 relu (n, 128) 0" in lines
    assert "2 linear (n, 10) 1,290" in lines and "total 9,610" in lines
    assert "1438 training rows, 359 validation" in result.stdout


def test_the_mlp_learns_digits(tmp_path: Path) -> None:
    result = invoke("run", MLP, "--out", tmp_path / "run", "--set", "training.epochs=6", "--quiet")
    assert result.exit_code == 0, result.output
    assert summary(tmp_path / "run")["final_val_accuracy"] >= 0.9


@pytest.mark.parametrize("config", [MLP, CNN], ids=["mlp", "cnn"])
def test_without_scikit_learn_the_run_exits_2_with_the_pip_command(monkeypatch, tmp_path: Path, config) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    result = invoke("run", config, "--out", tmp_path / "run")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "pip install -e '.[datasets]'" in result.stderr and "data.type" in result.stderr
