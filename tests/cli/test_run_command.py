"""`trainer run` in-process: logging, run directory, every example config, overrides, output modes."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

from .helpers import CONFIGS, SEED, invoke, logged_epochs, metrics_rows, metrics_without_seconds

EXAMPLES = sorted(CONFIGS.glob("*.yaml"))


def test_seed_logs_every_10_epochs_and_learns(tmp_path):
    result = invoke("run", SEED, "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    assert logged_epochs(result.stdout, 200) == [1, *range(10, 201, 10)]
    assert "\x1b" not in result.output  # not a terminal: plain lines, no control codes
    rows = metrics_rows(tmp_path / "run")
    assert [int(r["epoch"]) for r in rows] == list(range(1, 201))
    assert float(rows[-1]["train_loss"]) < 0.6 * float(rows[0]["train_loss"])
    assert "run completed" in result.stdout


def test_run_directory_files(tmp_path):
    run = tmp_path / "run"
    assert invoke("run", SEED, "--out", run, "--set", "training.epochs=5", "--quiet").exit_code == 0
    assert sorted(p.name for p in run.iterdir()) == ["config.yaml", "metrics.csv", "model.npz", "preprocessing.json",
                                                "summary.json"]
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "completed" and summary["epochs_run"] == 5 and summary["seed"] == 0
    assert summary["trainer_version"] and summary["wall_time_seconds"] >= 0
    assert summary["final_train_loss"] == float(metrics_rows(run)[-1]["train_loss"])
    header = (run / "metrics.csv").read_text().splitlines()[0]
    assert header == "epoch,train_loss,train_mae,train_r2,lr,seconds"
    config = yaml.safe_load((run / "config.yaml").read_text())
    assert config["training"]["epochs"] == 5 and config["model"]["layers"][0]["in_features"] == 3
    with np.load(run / "model.npz", allow_pickle=False) as npz:
        assert sorted(npz.files) == ["0.bias", "0.weight", "2.bias", "2.weight"]
        assert npz["0.weight"].shape == (32, 3) and npz["0.weight"].dtype == np.float32


@pytest.mark.parametrize("config", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_config_runs(tmp_path, config):
    result = invoke("run", config, "--out", tmp_path / "run", "--set", "training.epochs=4", "--quiet")
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["status"] == "completed" and summary["epochs_run"] == 4


def test_overrides_reach_config_and_model(tmp_path):
    run = tmp_path / "run"
    result = invoke("run", SEED, "--out", run, "--quiet", "--set", "optimizer.lr=0.01", "--set",
                    "model.layers.0.out_features=8", "-s", "training.epochs=3")
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((run / "config.yaml").read_text())
    assert config["optimizer"]["lr"] == 0.01 and config["model"]["layers"][0]["out_features"] == 8
    assert [float(r["lr"]) for r in metrics_rows(run)] == [0.01] * 3
    with np.load(run / "model.npz", allow_pickle=False) as npz:
        assert npz["0.weight"].shape == (8, 3)


def test_json_prints_only_the_summary_on_stdout(tmp_path):
    result = invoke("run", SEED, "--out", tmp_path / "run", "--json", "--set", "training.epochs=20")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["status"] == "completed" and summary["epochs_run"] == 20
    assert "epoch 20/20" in result.stderr  # the log goes to stderr


def test_quiet_prints_only_the_final_summary(tmp_path):
    result = invoke("run", SEED, "--out", tmp_path / "run", "--quiet", "--set", "training.epochs=20")
    assert result.exit_code == 0
    assert logged_epochs(result.output, 20) == [] and "run completed" in result.stdout


def test_validation_metrics_and_early_stopping_are_logged(tmp_path):
    config = CONFIGS / "sine_scheduler_early_stopping.yaml"
    result = invoke("run", config, "--out", tmp_path / "run", "--set", "training.early_stopping.patience=3")
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["stop_reason"] == "early_stopping" and summary["epochs_run"] < 400
    assert summary["best_epoch"] == summary["epochs_run"] - 3
    assert "val_loss" in result.stdout and "val_r2" in result.stdout
    assert logged_epochs(result.stdout, 400)[-1] == summary["epochs_run"]


def test_a_finished_run_is_not_overwritten_without_overwrite(tmp_path):
    run = tmp_path / "run"
    assert invoke("run", SEED, "--out", run, "-q", "--set", "training.epochs=2").exit_code == 0
    again = invoke("run", SEED, "--out", run, "-q", "--set", "training.epochs=3")
    assert again.exit_code == 2 and "already holds a run" in again.stderr and "--overwrite" in again.stderr
    assert len(metrics_rows(run)) == 2
    assert invoke("run", SEED, "--out", run, "-q", "--set", "training.epochs=3", "--overwrite").exit_code == 0
    assert len(metrics_rows(run)) == 3


def test_two_runs_are_bit_identical(tmp_path):
    config = CONFIGS / "blobs_onecycle.yaml"  # mini-batches, shuffling, dropout and a per-batch scheduler
    for name in ("a", "b"):
        assert invoke("run", config, "--out", tmp_path / name, "-q", "--set", "training.epochs=6").exit_code == 0
    assert metrics_without_seconds(tmp_path / "a") == metrics_without_seconds(tmp_path / "b")
    assert (tmp_path / "a" / "model.npz").read_bytes() == (tmp_path / "b" / "model.npz").read_bytes()


def test_default_run_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("run", SEED, "--json", "--set", "training.epochs=1")
    run_dir = tmp_path / json.loads(result.stdout)["run_dir"]
    assert run_dir.parent == tmp_path / "runs" / "seed-regression" and (run_dir / "summary.json").is_file()
