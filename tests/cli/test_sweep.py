"""`trainer sweep` through typer's CliRunner: grid, random search, resume, --top, --fail-fast, Dask, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trainer.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"
GRID = ["--grid", "optimizer.lr=0.0001,0.001", "--grid", "optimizer.type=adam,sgd", "--set", "training.epochs=4"]


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_a_grid_sweep_prints_a_line_per_run_and_the_table(tmp_path: Path) -> None:
    result = invoke("sweep", SEED, *GRID, "--jobs", 2, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "sweep: 4 runs" in result.stdout
    assert sum(line.startswith("[") and "/4]" in line for line in result.stdout.splitlines()) == 4
    assert "optimizer.lr" in result.stdout and "optimizer.type" in result.stdout
    rows = json.loads((tmp_path / "results.json").read_text())
    assert len(rows) == 4 and all(row["status"] == "completed" for row in rows)


def test_rerun_skips_finished_runs_and_top_limits_rows(tmp_path: Path) -> None:
    assert invoke("sweep", SEED, *GRID, "--out", tmp_path, "-q").exit_code == 0
    shutil.rmtree(tmp_path / "runs" / "lr=0.001-type=sgd")
    result = invoke("sweep", SEED, *GRID, "--out", tmp_path, "--top", 2, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 2 and rows == json.loads((tmp_path / "results.json").read_text())[:2]
    assert "4 runs (3 already finished, reused)" in result.stderr
    assert "lr=0.001-type=sgd" in result.stderr


def test_random_search_from_flags(tmp_path: Path) -> None:
    result = invoke("sweep", SEED, "--random", 3, "--range", "optimizer.lr=1e-4:1e-2:log", "--set",
                    "training.epochs=3", "--out", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    lrs = [row["optimizer.lr"] for row in json.loads(result.stdout)]
    assert len(set(lrs)) == 3 and all(1e-4 <= lr <= 1e-2 for lr in lrs)


def test_failures_are_rows_and_fail_fast_exits_1(tmp_path: Path) -> None:
    nesterov = ["--set", "optimizer.type=sgd", "--set", "optimizer.lr=0.001", "--set", "optimizer.nesterov=true"]
    result = invoke("sweep", SEED, "--grid", "optimizer.momentum=0,0.9", *nesterov, "--set", "training.epochs=3",
                    "--out", tmp_path / "a")
    assert result.exit_code == 0, result.output
    assert "failed" in result.stdout and "Nesterov" in result.stdout
    result = invoke("sweep", SEED, "--grid", "optimizer.momentum=0,0.9,0.5", *nesterov, "--set", "training.epochs=3",
                    "--out", tmp_path / "b", "--fail-fast", "-j", 1)
    assert result.exit_code == 1, result.output
    assert "cancelled" in result.stdout and "--fail-fast" in result.stderr


@pytest.mark.parametrize(("args", "words"), [
    (["--grid", "optimizer.lrr=0.1"], "did you mean 'lr'"),
    (["--grid", "optimizer.lr"], "KEY=VALUE"),
    (["--random", 2, "--range", "optimizer.lr=1:0.1"], "above"),
    (["--range", "optimizer.lr=0.1:1"], "--random"),
    (["--grid", "optimizer.lr=0.1", "--executor", "dask"], "--address"),
])
def test_user_errors_exit_2(tmp_path: Path, args: list[object], words: str) -> None:
    result = invoke("sweep", SEED, *args, "--out", tmp_path)
    assert result.exit_code == 2, result.output
    assert words in result.stderr and "Traceback" not in result.output


def test_the_same_sweep_through_a_local_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0", silence_logs=40) as cluster:
        result = invoke("sweep", SEED, *GRID, "--executor", "dask", "--address", cluster.scheduler_address,
                        "--out", tmp_path / "dask", "--json")
    assert result.exit_code == 0, result.output
    local = invoke("sweep", SEED, *GRID, "--out", tmp_path / "local", "--json")
    strip = lambda rows: sorted(({k: v for k, v in r.items() if k not in ("wall_time", "run_dir")} for r in rows),
                                key=lambda r: r["run"])
    assert strip(json.loads(result.stdout)) == strip(json.loads(local.stdout))
