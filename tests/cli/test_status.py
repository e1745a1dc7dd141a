"""`trainer status DIR` as text and --json: a compare, a sweep killed mid-way, run directories, errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .helpers import SEED, TRAINER_BIN, invoke, plain_env


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compare")
    result = invoke("compare", SEED, "--optimizers", "adam,sgd:lr=0.001", "--set", "training.epochs=3", "-j", 2,
                    "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    return out


def test_a_finished_compare(compared: Path) -> None:
    result = invoke("status", compared)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"compare {compared}") and "not running" in lines[0]
    assert "runs: 2 planned · 2 done" in result.stdout
    assert "best so far: train_loss " in result.stdout and "time left: none" in result.stdout
    assert "since the first run started" in result.stdout and "summed run time" in result.stdout


def test_json_is_one_object_with_the_counts_best_and_times(compared: Path) -> None:
    result = invoke("status", compared, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["type"] == "experiment" and data["kind"] == "compare" and data["total"] == 2
    assert data["counts"]["done"] == 2 and data["counts"]["waiting"] == 0
    assert {"best", "elapsed_seconds", "run_seconds", "time_left_seconds", "workers", "command", "runs"} <= set(data)
    assert data["best"]["key"] in {"adam", "sgd"} and data["time_left_seconds"] == 0.0
    run = invoke("status", compared / "runs" / "adam", "--json")
    assert json.loads(run.stdout)["type"] == "run" and json.loads(run.stdout)["status"] == "completed"


def _state(out: Path) -> dict:
    try:
        return json.loads((out / "state.json").read_text())
    except (OSError, ValueError):
        return {}


def test_a_sweep_killed_mid_way_shows_its_stale_run_and_how_to_continue(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    # one short run, then two that never end by themselves; one worker, so they go in that order
    cmd = [str(TRAINER_BIN), "sweep", str(SEED), "--grid", "training.epochs=2,1000000", "--grid",
           "optimizer.lr=0.01", "--seeds", "2", "-j", "1", "--out", str(out), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=plain_env())
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            runs = _state(out).get("runs", {})
            done = sum(1 for r in runs.values() if r.get("status") == "completed")
            if done == 2 and any("running" in r for r in runs.values()):
                break
            time.sleep(0.05)
        assert proc.poll() is None, proc.communicate()
        live = invoke("status", out, "--json")
        assert json.loads(live.stdout)["active"] is True and json.loads(live.stdout)["counts"]["running"] == 1
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    result = invoke("status", out)
    assert result.exit_code == 0, result.output
    assert "runs: 4 planned · 2 done · 1 stale · 1 waiting" in result.stdout
    assert "stale (owner gone)" in result.stdout and "not running: the same command continues it: trainer sweep" in \
        result.stdout
    assert "time left: ~" in result.stdout


def test_an_interrupted_run_directory_says_where_and_how_to_continue(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    proc = subprocess.Popen([str(TRAINER_BIN), "run", str(SEED), "--set", "training.epochs=1000000", "--out",
                             str(run_dir), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=plain_env())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(_lines(run_dir / "metrics.csv")) < 3:
        time.sleep(0.05)
    live = invoke("status", run_dir)
    assert live.exit_code == 0, live.output
    assert f"running (pid {proc.pid}): epoch " in live.stdout and "of 1000000" in live.stdout
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    result = invoke("status", run_dir)
    assert "interrupted at epoch " in result.stdout and "checkpoint at epoch" in result.stdout
    assert f"continue with: trainer run --resume {run_dir}" in result.stdout


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text().splitlines()
    except OSError:
        return []


def test_a_directory_that_is_no_experiment_is_exit_2_with_a_hint(tmp_path: Path) -> None:
    result = invoke("status", tmp_path)
    assert result.exit_code == 2
    assert "neither an experiment directory nor a run directory" in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr and result.stdout == ""
