"""`trainer benchmark` and `trainer compare --tune` on the command line: tables, files, exit codes."""

from __future__ import annotations

from pathlib import Path

import yaml

from .helpers import CONFIGS, invoke


def test_benchmark_prints_scores_and_writes_the_summary(tmp_path: Path) -> None:
    suite = {"name": "cli", "optimizers": ["adam", "sgd"], "tune": {"lr": "1e-2:1e-1:log"}, "budget": 2,
             "problems": [{"name": "q", "config": str(CONFIGS / "noisy_linear_regression.yaml"), "target": 1.0,
                           "set": ["training.epochs=4"]}]}
    path = tmp_path / "suite.yaml"
    path.write_text(yaml.safe_dump(suite))
    result = invoke("benchmark", path, "--out", tmp_path / "out", "-j", "2")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "score (time to target)" in result.stdout and "adam" in result.stdout
    assert (tmp_path / "out" / "summary.md").is_file() and (tmp_path / "out" / "scores.csv").is_file()


def test_a_bad_suite_exits_2_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "suite.yaml"
    path.write_text(yaml.safe_dump({"optimizers": ["adam"], "tune": "lr=1e-3:1", "problems": [{"config": "x"}]}))
    result = invoke("benchmark", path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "problems.0.config" in result.stderr and "Traceback" not in result.stderr


def test_compare_tune_shows_the_chosen_values(tmp_path: Path) -> None:
    result = invoke("compare", CONFIGS / "moons_binary.yaml", "-O", "adam,sgd", "--tune", "lr=1e-2:1e-1:log",
                    "--tune", "momentum=0.5:0.9", "--budget", "2", "--set", "training.epochs=4",
                    "--out", tmp_path / "out", "--target", "0.6")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "tuned" in result.stdout and "not_tuned" in result.stdout and "momentum" in result.stdout
    assert "lr_sensitivity.png" in result.stdout


def test_compare_bad_tune_exits_2(tmp_path: Path) -> None:
    result = invoke("compare", CONFIGS / "moons_binary.yaml", "-O", "adam", "--tune", "lr=1:0.1",
                    "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "tune.lr" in result.stderr and "Traceback" not in result.stderr
