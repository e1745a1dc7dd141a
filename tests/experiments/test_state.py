"""The experiment directory's bookkeeping and how a batch turns futures into records."""

from __future__ import annotations

import json
from concurrent.futures import Future
from pathlib import Path

from trainer.experiments.executors import WorkerCrashed
from trainer.experiments.experiment_dir import ExperimentDir
from trainer.experiments.jobs import Job, _outcome
from trainer.experiments.records import RunSpec, epochs_to
from trainer.training.run_files import parse_metrics

SUMMARY = json.dumps({"status": "completed", "final_train_loss": 1.0, "wall_time_seconds": 0.1}).encode()
METRICS = b"epoch,train_loss,lr,seconds\n1,4.0,0.1,0.01\n2,1.0,0.1,0.01\n"


def job(key: str = "a") -> Job:
    return Job(RunSpec(key, key, 0, {"optimizer.lr": 0.1}), {"seed": 0}, ("optimizer.lr=0.1",), "f1")


def done(value: object = None, error: BaseException | None = None) -> Future:
    future: Future = Future()
    future.set_running_or_notify_cancel()
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)
    return future


def test_a_finished_run_is_reused_only_while_its_files_and_fingerprint_match(tmp_path: Path) -> None:
    d = ExperimentDir(tmp_path, "sweep").open()
    record = _outcome(job(), done({"status": "completed", "error": None,
                                   "files": {"summary.json": SUMMARY, "metrics.csv": METRICS}}), d)
    assert record.ok and record.history[-1]["train_loss"] == 1.0
    assert json.loads((tmp_path / "state.json").read_text())["runs"]["a"]["status"] == "completed"
    d.close()
    again = ExperimentDir(tmp_path, "sweep").open()
    assert again.finished("a", "f1") is not None
    assert again.finished("a", "other fingerprint") is None
    (tmp_path / "runs" / "a" / "summary.json").unlink()
    assert again.finished("a", "f1") is None


def test_a_worker_that_died_is_a_failed_run_with_its_error(tmp_path: Path) -> None:
    d = ExperimentDir(tmp_path, "sweep").open()
    record = _outcome(job(), done(error=WorkerCrashed("the worker process running this call died")), d)
    assert record.status == "failed" and "WorkerCrashed" in record.error
    assert not (tmp_path / "runs" / "a").exists()
    state = json.loads((tmp_path / "state.json").read_text())["runs"]["a"]
    assert state["status"] == "failed" and "died" in state["error"]


def test_a_rerun_replaces_the_old_directory_whole(tmp_path: Path) -> None:
    d = ExperimentDir(tmp_path, "sweep").open()
    d.store_files("a", {"summary.json": b"{}", "stale.txt": b"x"})
    d.store_files("a", {"summary.json": SUMMARY, "sub/model.npz": b"npz"})
    assert sorted(p.relative_to(tmp_path / "runs" / "a").as_posix()
                  for p in (tmp_path / "runs" / "a").rglob("*") if p.is_file()) == ["sub/model.npz", "summary.json"]
    assert [p.name for p in (tmp_path / "runs").iterdir()] == ["a"]


def test_a_corrupt_state_file_means_everything_runs_again(tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text("{not json")
    assert ExperimentDir(tmp_path, "compare").open().runs == {}


def test_diverged_runs_keep_their_files_and_say_where(tmp_path: Path) -> None:
    d = ExperimentDir(tmp_path, "sweep").open()
    summary = json.dumps({"status": "diverged", "diverged_epoch": 2}).encode()
    record = _outcome(job(), done({"status": "diverged", "error": None, "files": {"summary.json": summary}}), d)
    assert record.status == "diverged" and record.error == "training diverged at epoch 2"
    assert (tmp_path / "runs" / "a" / "summary.json").exists()


def test_epochs_to_threshold() -> None:
    history = parse_metrics(METRICS)
    assert epochs_to(history, "train_loss", 2.0) == 2
    assert epochs_to(history, "train_loss", 0.5) is None
