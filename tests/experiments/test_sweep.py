"""`trainer.sweep`: a 2×2 grid locally and on a real Dask cluster, resume, failures, fail-fast, random search."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

import trainer
from trainer.errors import UserError
from trainer.experiments.jobs import Event
from trainer.experiments.sweep import run_sweep

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"
FAST = ("training.epochs=5",)
GRID = {"optimizer.type": ["adam", "sgd"], "optimizer.lr": [0.0001, 0.001]}
VOLATILE = {"wall_time", "run_dir", "reused"}


def numbers(rows: list[dict]) -> list[dict]:
    """Rows without what differs between two machines or two invocations (times, paths)."""
    return sorted(({k: v for k, v in row.items() if k not in VOLATILE} for row in rows), key=lambda r: r["run"])


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory):
    return run_sweep(str(SEED), GRID, jobs=2, out=tmp_path_factory.mktemp("sweep"), overrides=FAST)


def test_a_two_by_two_grid_runs_four_runs(local) -> None:
    assert len(local.rows) == 4 and all(row["status"] == "completed" for row in local.rows)
    points = sorted((row["optimizer.type"], row["optimizer.lr"]) for row in local.rows)
    assert points == [("adam", 0.0001), ("adam", 0.001), ("sgd", 0.0001), ("sgd", 0.001)]
    finals = [row["final_train_loss"] for row in local.rows]
    assert finals == sorted(finals)
    assert json.loads((local.directory / "results.json").read_text()) == local.rows
    assert (local.directory / "results.csv").read_text().count("\n") == 5
    for row in local.rows:
        config = yaml.safe_load((Path(row["run_dir"]) / "config.yaml").read_text())
        assert config["optimizer"]["type"] == row["optimizer.type"]
        assert config["optimizer"]["lr"] == row["optimizer.lr"]


def test_the_dask_cluster_gives_the_same_rows(local, dask_address: str, tmp_path: Path) -> None:
    rows = trainer.sweep(str(SEED), GRID, out=tmp_path, executor="dask", address=dask_address, overrides=FAST)
    assert numbers(rows) == numbers(local.rows)
    for row in rows:
        assert Path(row["run_dir"]).is_relative_to(tmp_path)
        assert (Path(row["run_dir"]) / "model.npz").read_bytes() == (
            local.directory / "runs" / row["run"] / "model.npz").read_bytes()


def test_deleting_one_finished_run_reruns_only_it(tmp_path: Path) -> None:
    first = run_sweep(str(SEED), GRID, jobs=2, out=tmp_path, overrides=FAST)
    victim = first.rows[1]["run"]
    shutil.rmtree(tmp_path / "runs" / victim)
    events: list[Event] = []
    second = run_sweep(str(SEED), GRID, jobs=2, out=tmp_path, overrides=FAST, progress=events.append)
    finished = [e.record.spec.key for e in events if e.kind == "finished"]
    assert finished == [victim]
    assert [e.kind for e in events].count("reused") == 3
    assert numbers(second.rows) == numbers(first.rows)
    events.clear()
    run_sweep(str(SEED), GRID, jobs=2, out=tmp_path, overrides=FAST, progress=events.append)
    assert [e.kind for e in events].count("reused") == 4


def test_a_failing_run_is_recorded_and_the_rest_finish(tmp_path: Path) -> None:
    grid = {"optimizer": [{"type": "adam", "lr": 0.001}, {"type": "sgd", "lr": 0.5, "nesterov": True},
                         {"type": "sgd", "lr": 1e6}]}  # the nesterov one passes the schema and fails to build
    rows = trainer.sweep(str(SEED), grid, jobs=2, out=tmp_path, overrides=FAST)
    by_lr = {row["optimizer"]["lr"]: row for row in rows}
    assert by_lr[0.001]["status"] == "completed" and by_lr[0.001]["error"] is None
    assert by_lr[0.5]["status"] == "failed" and "Nesterov" in by_lr[0.5]["error"]
    assert by_lr[1e6]["status"] == "diverged" and "diverged" in by_lr[1e6]["error"]
    assert rows[0]["status"] == "completed"  # best first, failures last
    state = json.loads((tmp_path / "state.json").read_text())["runs"]
    assert {v["status"] for v in state.values()} == {"completed", "failed", "diverged"}
    events: list[Event] = []
    trainer.sweep(str(SEED), grid, jobs=2, out=tmp_path, overrides=FAST, progress=events.append)
    rerun = sorted(e.record.spec.overrides["optimizer"]["lr"] for e in events if e.kind == "finished")
    assert rerun == [0.5, 1e6]


def test_fail_fast_stops_at_the_first_failure(tmp_path: Path) -> None:
    # nesterov with momentum 0 passes the schema and fails to build
    nesterov = [*FAST, "optimizer.type=sgd", "optimizer.lr=0.001", "optimizer.nesterov=true"]
    grid = {"optimizer.momentum": [0.0, 0.9, 0.5]}
    rows = trainer.sweep(str(SEED), grid, jobs=1, out=tmp_path, overrides=nesterov, fail_fast=True)
    statuses = {row["optimizer.momentum"]: row["status"] for row in rows}
    assert statuses == {0.0: "failed", 0.9: "cancelled", 0.5: "cancelled"}
    rows = trainer.sweep(str(SEED), grid, jobs=1, out=tmp_path, overrides=nesterov)
    assert sorted(row["status"] for row in rows) == ["completed", "completed", "failed"]


def test_random_search_is_seeded_and_resumable(tmp_path: Path) -> None:
    ranges = {"optimizer.lr": "1e-4:1e-2:log"}
    rows = trainer.sweep(str(SEED), random=3, ranges=ranges, seeds=2, jobs=2, out=tmp_path, overrides=FAST)
    assert len(rows) == 6 and {row["seed"] for row in rows} == {0, 1}
    lrs = {row["optimizer.lr"] for row in rows}
    assert len(lrs) == 3 and all(1e-4 <= lr <= 1e-2 for lr in lrs)
    events: list[Event] = []
    trainer.sweep(str(SEED), random=3, ranges=ranges, seeds=2, jobs=2, out=tmp_path, overrides=FAST,
                  progress=events.append)
    assert [e.kind for e in events].count("reused") == 6


def test_a_sweep_block_in_the_config(tmp_path: Path) -> None:
    raw = yaml.safe_load(SEED.read_text())
    raw["sweep"] = {"grid": {"model.layers.0.out_features": [4, 8]}, "seeds": 1}
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(raw))
    rows = trainer.sweep(str(path), jobs=2, out=tmp_path / "out", overrides=FAST)
    assert sorted(row["model.layers.0.out_features"] for row in rows) == [4, 8]
    assert sorted(row["run"] for row in rows) == ["out_features=4", "out_features=8"]


def test_user_errors_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="lrr"):
        trainer.sweep(str(SEED), {"optimizer.lrr": [0.1]}, out=tmp_path / "a", overrides=FAST)
    with pytest.raises(UserError, match="random"):
        trainer.sweep(str(SEED), ranges={"optimizer.lr": "0.1:1"}, out=tmp_path / "b", overrides=FAST)
    with pytest.raises(UserError, match="unknown executor"):
        trainer.sweep(str(SEED), {"optimizer.lr": [0.1]}, out=tmp_path / "c", overrides=FAST, executor="ray")
    raw = yaml.safe_load(SEED.read_text())
    raw["sweep"] = {"grids": {}}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(UserError, match="grids"):
        trainer.sweep(str(path), out=tmp_path / "d")
