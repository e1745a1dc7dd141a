"""`trainer compare` through typer's CliRunner and a real subprocess: table, files, --json, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trainer.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"
FOUR = "adam,sgd:lr=0.0001,rmsprop:lr=0.01,adagrad"


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_compare_prints_the_table_and_writes_results_and_plot(tmp_path: Path) -> None:
    result = invoke("compare", SEED, "--optimizers", FOUR, "--set", "training.epochs=5", "--out", tmp_path, "-j", 2)
    assert result.exit_code == 0, result.output
    for name in ("adam", "sgd:lr=0.0001", "rmsprop:lr=0.01", "adagrad", "train_loss", "best (epoch)"):
        assert name in result.stdout
    assert "[4/4]" in result.stdout and "Traceback" not in result.output
    assert (tmp_path / "loss_curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(json.loads((tmp_path / "results.json").read_text())) == 4
    assert len(list((tmp_path / "runs").iterdir())) == 4


def test_json_prints_only_the_rows(tmp_path: Path) -> None:
    result = invoke("compare", SEED, "-O", "adam,adagrad", "--seeds", 2, "--set", "training.epochs=4",
                    "--out", tmp_path, "--json", "--threshold", 1000)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows == json.loads((tmp_path / "results.json").read_text())
    assert {row["variant"] for row in rows} == {"adam", "adagrad"}
    assert all(row["runs"] == 2 and "final_train_loss_std" in row for row in rows)
    again = invoke("compare", SEED, "-O", "adam,adagrad", "--seeds", 2, "--set", "training.epochs=4",
                   "--out", tmp_path)
    assert "4 runs (4 already finished, reused)" in again.stdout and "±" in again.stdout


def test_the_compare_list_of_the_config_is_the_default(tmp_path: Path) -> None:
    config = tmp_path / "cmp.yaml"
    config.write_text(SEED.read_text() + "compare:\n  - optimizer: {type: adam, lr: 0.01}\n"
                      "  - optimizer: {type: adam, lr: 0.1}\n")
    result = invoke("compare", config, "--set", "training.epochs=3", "--out", tmp_path / "out", "-q")
    assert result.exit_code == 0, result.output
    assert "adam:lr=0.01" in result.stdout and "adam:lr=0.1" in result.stdout


@pytest.mark.parametrize(("args", "words"), [
    (["-O", "adam,adamm"], "did you mean 'adam'"),
    (["-O", "adam:lr"], "KEY=VALUE"),
    (["-O", "sgd:lr=-1"], "optimizer.lr"),
    ([], "no optimizers"),
    (["-O", "adam", "--set", "optimizer.lrr=1"], "did you mean 'lr'"),
    (["-O", "adam", "--executor", "ray"], "unknown executor"),
    (["-O", "adam", "--executor", "dask"], "--address"),
])
def test_user_errors_exit_2_without_a_traceback(tmp_path: Path, args: list[str], words: str) -> None:
    result = invoke("compare", SEED, *args, "--out", tmp_path)
    assert result.exit_code == 2, result.output
    assert words in result.stderr and "Traceback" not in result.output


def test_a_missing_config_exits_2(tmp_path: Path) -> None:
    result = invoke("compare", tmp_path / "nope.yaml", "-O", "adam")
    assert result.exit_code == 2 and "not found" in result.stderr


@pytest.mark.parametrize("prefix", [[sys.executable, "-m", "trainer"], [str(Path(sys.executable).parent / "trainer")]])
def test_a_real_process_spawns_its_workers_safely(tmp_path: Path, prefix: list[str]) -> None:
    proc = subprocess.run([*prefix, "compare", str(SEED), "-O", "adam,sgd:lr=0.0001", "--set", "training.epochs=3",
                           "--out", str(tmp_path), "--json", "-j", "2"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert [row["status"] for row in json.loads(proc.stdout)] == ["completed", "completed"]
