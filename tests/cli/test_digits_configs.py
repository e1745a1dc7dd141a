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


def test_the_cnn_learns_digits(tmp_path: Path) -> None:
    result = invoke("run", CNN, "--out", tmp_path / "run", "--set", "training.epochs=3", "--quiet")
    assert result.exit_code == 0, result.output
    assert summary(tmp_path / "run")["final_val_accuracy"] >= 0.9


def test_compare_adam_and_sgd_with_momentum_on_the_cnn(tmp_path: Path) -> None:
    result = invoke("compare", CNN, "--optimizers", "adam,sgd:lr=0.05:momentum=0.9", "--set", "training.epochs=1",
                    "--out", tmp_path, "-j", 1, "-q")
    assert result.exit_code == 0, result.output
    rows = {row["variant"]: row for row in json.loads((tmp_path / "results.json").read_text())}
    assert set(rows) == {"adam", "sgd:lr=0.05:momentum=0.9"}
    assert all(row["status"] == "completed" and row["final_val_accuracy"] > 0.3 for row in rows.values())


def test_a_conv_on_flat_digits_says_to_use_shape_image() -> None:
    result = invoke("validate", CNN, "--set", "data.shape=flat")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "model.layers.0: conv2d needs (n, C, H, W) input but the data is (n, 64)" in result.stderr
    assert "data.shape: image" in result.stderr
