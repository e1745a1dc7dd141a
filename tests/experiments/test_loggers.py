"""A compare's or sweep's `training.loggers`: fed by the experiment process from the runs' files, so workers
(Dask ones too) get the same plain job, and adding a logger later reuses the finished runs."""

from __future__ import annotations

import json
from pathlib import Path

import trainer

from ..training.test_tensorboard_log import assert_every_epoch, hparams_of, read

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"


def test_a_sweep_on_dask_logs_every_run_to_tensorboard(dask_address: str, tmp_path: Path) -> None:
    rows = trainer.sweep(SEED, grid={"optimizer.lr": [0.01, 0.02]}, out=tmp_path, executor="dask",
                         address=dask_address, overrides=["training.epochs=3", "training.loggers=[tensorboard]"])
    assert [row["status"] for row in rows] == ["completed", "completed"]
    lrs = set()
    for run in sorted((tmp_path / "runs").iterdir()):
        assert_every_epoch(run / "tb", run)
        lrs.add(hparams_of(read(run / "tb"))["optimizer.lr"])
    assert lrs == {0.01, 0.02}


def test_adding_a_logger_later_reuses_the_runs(tmp_path: Path) -> None:
    trainer.compare(SEED, "adam,sgd:lr=0.001", out=tmp_path, jobs=1, overrides=["training.epochs=3"])
    run = tmp_path / "runs" / "adam"
    before = (run / "metrics.csv").read_bytes()
    assert not (run / "tb").exists()
    rows = trainer.compare(SEED, "adam,sgd:lr=0.001", out=tmp_path, jobs=1,
                           overrides=["training.epochs=3", "training.loggers=[tensorboard]"])
    assert all(row["status"] == "completed" for row in rows)
    state = json.loads((tmp_path / "state.json").read_text())
    assert len(state["runs"]) == 2 and (run / "metrics.csv").read_bytes() == before
    assert_every_epoch(run / "tb", run)
