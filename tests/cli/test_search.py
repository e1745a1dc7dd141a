"""`trainer sweep --search`: the flags, the missing-extra message, a YAML sweep: block, and the table."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import CONFIGS, invoke

SPIRALS = CONFIGS / "spirals.yaml"
SMALL = ["--set", "training.epochs=3", "--set", "data.n=90"]
LR = ["--range", "optimizer.lr=1e-3:1e-1:log"]


def test_without_optuna_a_model_based_search_is_exit_2_with_the_pip_command(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "optuna", None)  # as if the search extra were not installed
    result = invoke("sweep", SPIRALS, "--search", "tpe", "--trials", "2", *LR, *SMALL, "--out", tmp_path / "s")
    assert result.exit_code == 2, result.output
    assert "pip install" in result.stderr and ".[search]" in result.stderr and "optuna" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "s").exists()


def test_without_optuna_random_and_grid_sweeps_still_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "optuna", None)
    result = invoke("sweep", SPIRALS, "--search", "random", "--trials", "2", *LR, *SMALL, "-j", "1",
                    "--out", tmp_path / "r", "--quiet")
    assert result.exit_code == 0, result.output
    assert len(json.loads((tmp_path / "r" / "results.json").read_text())) == 2
    result = invoke("sweep", SPIRALS, "--search", "grid", "--grid", "optimizer.lr=0.01,0.02", *SMALL, "-j", "1",
                    "--out", tmp_path / "g", "--quiet")
    assert result.exit_code == 0, result.output


def test_a_yaml_sweep_block_runs_a_pruned_search_and_the_table_marks_pruned_trials(tmp_path: Path) -> None:
    config = tmp_path / "search.yaml"
    config.write_text(SPIRALS.read_text() + """
sweep:
  search: qmc
  trials: 6
  batch: 3
  ranges: {optimizer.lr: 1e-4:1e-1:log}
  prune: percentile
  prune_options: {percentile: 50.0, n_startup_trials: 1}
""")
    assert invoke("validate", config).exit_code == 0
    result = invoke("sweep", config, *SMALL, "-j", "1", "--out", tmp_path / "s")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "s" / "study.json").read_text())
    assert data["settings"]["search"] == "qmc" and data["budget"] == 6 and len(data["trials"]) == 6
    statuses = [t["status"] for t in data["trials"]]
    assert "pruned" in statuses, statuses
    assert "pruned" in result.stdout and "objective" in result.stdout


def test_bad_search_flags_are_exit_2_naming_them(tmp_path: Path) -> None:
    result = invoke("sweep", SPIRALS, "--search", "tpe", "--trials", "2", *LR, "--prune", "median",
                    "--prune-option", "patience=3", "--out", tmp_path / "s")
    assert result.exit_code == 2 and "patience" in result.stderr
    result = invoke("sweep", SPIRALS, "--search", "bayes", "--trials", "2", *LR, "--out", tmp_path / "s")
    assert result.exit_code == 2 and "unknown search 'bayes'" in result.stderr
    result = invoke("sweep", SPIRALS, "--grid", "optimizer.lr=0.1", "--prune", "median", "--out", tmp_path / "s")
    assert result.exit_code == 2 and "--search tpe" in result.stderr


def test_validate_checks_a_search_block(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text(SPIRALS.read_text() + "\nsweep: {search: tpe, trials: 4, ranges: {optimizer.lr: 1e-3:1e-1:log}, "
                                            "prune: sometimes}\n")
    result = invoke("validate", config)
    assert result.exit_code == 2 and "unknown pruner" in result.stderr and "sweep.prune" in result.stderr
