"""The mlflow logger and `trainer export mlflow`, read back with MlflowClient from one sqlite store per module
(a new store's migrations take seconds)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from mlflow.tracking import MlflowClient

import trainer
from trainer.training.mlflow_log import RUN_TAG, tracking_uri
from trainer.training.run_files import parse_metrics

from ..cli.helpers import SEED, invoke
from .test_tensorboard_log import CopyCheckpointAt

EPOCHS = 6


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    uri = f"sqlite:///{tmp_path_factory.mktemp('mlflow') / 'store.db'}"
    MlflowClient(tracking_uri=uri).search_experiments()  # runs the migrations once
    return uri


@pytest.fixture(autouse=True)
def _uri(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", store)


def runs_of(store: str, experiment: str, run_dir: Path | None = None) -> list:
    client = MlflowClient(tracking_uri=store)
    found = client.get_experiment_by_name(experiment)
    assert found is not None, experiment
    where = f"tags.`{RUN_TAG}` = '{run_dir.resolve()}'" if run_dir is not None else ""
    return client.search_runs([found.experiment_id], filter_string=where)


def assert_logged(store: str, mlflow_run, run_dir: Path, skip: tuple[str, ...] = ()) -> None:
    """Every metrics.csv column's cells, one per epoch at step = epoch, exactly; params and tags."""
    client = MlflowClient(tracking_uri=store)
    rows = parse_metrics((run_dir / "metrics.csv").read_bytes())
    for column in rows[0]:
        if column == "epoch" or column in skip:
            continue
        history = sorted(client.get_metric_history(mlflow_run.info.run_id, column), key=lambda m: m.step)
        assert [(m.step, m.value) for m in history] == [(r["epoch"], r[column]) for r in rows], column
    summary = json.loads((run_dir / "summary.json").read_text())
    assert mlflow_run.data.tags["status"] == summary["status"]
    assert mlflow_run.data.params["optimizer.type"] == "adam"
    assert mlflow_run.data.params["model.layers.0.out_features"] == "32"


def test_a_run_logs_params_and_every_epoch(store: str, tmp_path: Path) -> None:
    out = tmp_path / "run"
    trainer.run(SEED, out=out, overrides=[f"training.epochs={EPOCHS}", "training.loggers=[mlflow]"])
    (found,) = runs_of(store, "seed-regression", out)
    assert found.info.status == "FINISHED" and found.data.tags["experiment"] == "seed-regression"
    assert found.data.params["optimizer.lr"] == "0.08" and found.data.params["training.epochs"] == str(EPOCHS)
    assert_logged(store, found, out)


def test_a_resumed_run_continues_its_mlflow_run_without_duplicates(store: str, tmp_path: Path) -> None:
    out, saved = tmp_path / "run", tmp_path / "checkpoint-4.npz"
    trainer.run(SEED, out=out, overrides=[f"training.epochs={EPOCHS}", "training.loggers=[mlflow]",
                                          "training.checkpoint_every=4"],
                callbacks=[CopyCheckpointAt(out, 4, saved)])
    shutil.copy(saved, out / "checkpoint.npz")  # as if killed after epoch 6 with its checkpoint at 4
    (out / "summary.json").unlink()
    trainer.run(resume=out)
    (found,) = runs_of(store, "seed-regression", out)
    # epochs 5 and 6 keep what the killed run sent: the same numbers (bit-identical), only the wall time differs
    assert_logged(store, found, out, skip=("seconds",))
    steps = [m.step for m in MlflowClient(tracking_uri=store).get_metric_history(found.info.run_id, "seconds")]
    assert sorted(steps) == list(range(1, EPOCHS + 1))


def test_export_of_a_run_is_idempotent(store: str, tmp_path: Path) -> None:
    out = tmp_path / "run"
    trainer.run(SEED, out=out, overrides=["training.epochs=4"])
    for _ in range(2):
        result = invoke("export", "mlflow", out, "--to", store)
        assert result.exit_code == 0, result.output
        assert "1 run(s) in MLflow experiment 'seed-regression'" in result.stdout
    (found,) = runs_of(store, "seed-regression", out)
    assert_logged(store, found, out)


def test_a_compare_is_one_experiment_with_a_run_per_run(store: str, tmp_path: Path) -> None:
    cmp = tmp_path / "cmp"
    result = invoke("compare", SEED, "-O", "adam,adam:lr=0.01", "--set", "training.epochs=4", "--out", cmp, "-j", 1,
                    "--logger", "mlflow", "--quiet")
    assert result.exit_code == 0, result.output
    assert not (cmp / "mlflow.db").exists()  # MLFLOW_TRACKING_URI wins over the default
    result = invoke("export", "mlflow", cmp)  # again, by hand: the same runs, nothing doubled
    assert result.exit_code == 0, result.output
    found = runs_of(store, "seed-regression/cmp")
    assert len(found) == 2
    for mlflow_run in found:
        run_dir = Path(mlflow_run.data.tags[RUN_TAG])
        assert run_dir.parent == (cmp / "runs").resolve()
        assert mlflow_run.data.tags["kind"] == "compare" and mlflow_run.data.tags["experiment"] == "seed-regression/cmp"
        assert_logged(store, mlflow_run, run_dir)


def test_the_store_defaults_to_a_sqlite_file_beside_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    assert tracking_uri(tmp_path) == f"sqlite:///{tmp_path.resolve()}/mlflow.db"
    assert tracking_uri(tmp_path, "http://host:5000") == "http://host:5000"
    assert tracking_uri(tmp_path, str(tmp_path / "x.db")) == f"sqlite:///{tmp_path.resolve()}/x.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:///elsewhere.db")
    assert tracking_uri(tmp_path) == "sqlite:///elsewhere.db"
