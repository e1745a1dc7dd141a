"""`trainer run`/`validate`/`list`/`schema` on an objective config; its config errors exit 2 naming the key."""

from __future__ import annotations

import json

import numpy as np
import pytest

from .helpers import CONFIGS, invoke, metrics_rows

ROSENBROCK = CONFIGS / "rosenbrock.yaml"
BASE = "name: obj\noptimizer: {type: adam, lr: 0.1}\n"

BAD = [
    ("objective: {type: rosenbrok}\n", "objective.type", ["did you mean 'rosenbrock'", "objective types:"]),
    ("objective: {type: rosenbrock}\ndata: {type: sine}\nloss: mse\n", "data",
     ["'objective' and 'data', 'loss' cannot be combined", "remove data, loss"]),
    ("objective: {type: rosenbrock, start: [1.0, 2.0, 3.0]}\n", "objective.start", ["start needs 2 numbers, got 3"]),
    ("objective: {type: quadratic, dimension: 3, start: [1.0, 2.0]}\n", "objective.start",
     ["start has 2 numbers but dimension is 3"]),
    ("objective: {type: booth, noise: -0.1}\n", "objective.noise", ["must be >= 0"]),
    ("objective: {type: quadratic, condition_number: 0.5}\n", "objective.condition_number", [">= 1"]),
    ("objective: {type: booth, speed: 2}\n", "objective.speed", ["unknown key"]),
    ("objective: {type: booth}\ntraining: {metrics: [mae]}\n", "training.metrics", ["distance_to_minimum"]),
    ("objective: {type: booth}\ntraining: {early_stopping: {monitor: val_loss}}\n",
     "training.early_stopping.monitor", ["cannot monitor 'val_loss'"]),
    ("", "data", ["missing required key 'data'", "or an objective: block"]),
]


@pytest.mark.parametrize(("text", "key", "words"), BAD, ids=[b[1] + "-" + str(i) for i, b in enumerate(BAD)])
def test_objective_config_errors_exit_2_naming_the_key(tmp_path, text, key, words):
    path = tmp_path / "config.yaml"
    path.write_text(BASE + text + ("" if "training:" in text else "training: {epochs: 3}\n"))
    result = invoke("run", path, "--out", tmp_path / "run")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"{key}:" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_run_writes_the_point_and_its_path(tmp_path):
    result = invoke("run", ROSENBROCK, "--out", tmp_path / "run", "-q", "--set", "training.epochs=20")
    assert result.exit_code == 0, result.output
    rows = metrics_rows(tmp_path / "run")
    assert list(rows[0]) == ["epoch", "train_loss", "f", "distance_to_minimum", "x", "y", "lr", "seconds"]
    assert len(rows) == 20 and float(rows[0]["train_loss"]) == 409.0  # f(-2, 2), before the first step
    with np.load(tmp_path / "run" / "model.npz") as npz:
        assert npz.files == ["point"] and npz["point"].dtype == np.float64
        assert npz["point"].tolist() == [float(rows[-1]["x"]), float(rows[-1]["y"])]
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["task"] == "objective" and summary["status"] == "completed"
    config = (tmp_path / "run" / "config.yaml").read_text()
    assert "objective:" in config and "data:" not in config and "dtype: float64" in config


def test_validate_list_and_schema_know_objectives():
    result = invoke("validate", ROSENBROCK)
    assert result.exit_code == 0 and "rosenbrock objective, a 2-D point (float64)" in result.stdout
    listing = invoke("list", "objective")
    assert listing.exit_code == 0
    for name in ("rosenbrock", "styblinski_tang", "quadratic", "condition_number", "rotation_seed"):
        assert name in listing.stdout
    schema = invoke("schema")
    assert schema.exit_code == 0 and '"Objective_himmelblau"' in schema.stdout


@pytest.mark.parametrize("config", sorted((CONFIGS / "objectives").glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_objective_configs_validate(config):
    result = invoke("validate", config)
    assert result.exit_code == 0, result.output


def test_sweep_runs_an_objective(tmp_path):
    result = invoke("sweep", CONFIGS / "objectives" / "himmelblau.yaml", "--grid", "optimizer.lr=0.01,0.1",
                    "--set", "training.epochs=20", "--out", tmp_path / "sweep", "--jobs", "1")
    assert result.exit_code == 0, result.output
    runs = sorted(p.name for p in (tmp_path / "sweep" / "runs").iterdir())
    assert len(runs) == 2
    rows = metrics_rows(tmp_path / "sweep" / "runs" / runs[0])
    assert len(rows) == 20 and "distance_to_minimum" in rows[0]
