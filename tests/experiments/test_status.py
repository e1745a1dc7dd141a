"""`read_status`: progress of finished, killed and live experiments, and run directories, read without touching them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

import trainer
from trainer.errors import DivergedError, UserError
from trainer.experiments.benchmark import run_benchmark
from trainer.experiments.compare import run_compare
from trainer.experiments.experiment_dir import ExperimentDir
from trainer.experiments.status import COUNTS, ExperimentStatus, RunDirStatus, read_status
from trainer.experiments.sweep import run_sweep
from trainer.training import Callback
from trainer.training.lock import DirLock

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"
FAST = ("training.epochs=3",)
SUMMARY = {"status": "completed", "final_train_loss": 2.5, "monitor": "train_loss", "wall_time_seconds": 0.1}


def tree(path: Path) -> dict[str, tuple[int, int]]:
    """Every file under `path` with its size and modification time (status must change none of them)."""
    return {str(p.relative_to(path)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(path.rglob("*"))}


def counts(status: ExperimentStatus) -> dict[str, int]:
    return {k: v for k, v in status.counts.items() if v}


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("compare")
    return run_compare(str(SEED), "adam,sgd:lr=0.001", seeds=2, jobs=2, out=out, overrides=FAST)


def test_a_finished_compare_counts_every_run_done_and_names_the_best(compared) -> None:
    before = tree(compared.directory)
    status = read_status(compared.directory)
    assert tree(compared.directory) == before  # nothing written, no lock file created
    assert isinstance(status, ExperimentStatus) and status.kind == "compare"
    assert status.total == 4 and counts(status) == {"done": 4} and status.remaining == 0
    assert status.active is False and status.time_left_seconds == 0.0 and status.workers == 2
    best = min(compared.records, key=lambda r: r.summary["final_train_loss"])
    assert status.best == {"key": best.spec.key, "label": best.spec.label, "seed": best.spec.seed,
                           "metric": "train_loss", "value": best.summary["final_train_loss"]}
    assert status.config == str(SEED) and status.command  # this process's command line
    assert status.run_seconds >= status.mean_run_seconds > 0 and status.elapsed_seconds > 0
    assert {r.key for r in status.runs} == {r.spec.key for r in compared.records}


def test_a_finished_sweep_reports_its_best_point(tmp_path: Path) -> None:
    outcome = run_sweep(str(SEED), {"optimizer.lr": [0.001, 0.01]}, jobs=1, out=tmp_path, overrides=FAST)
    status = read_status(tmp_path)
    assert status.kind == "sweep" and status.total == 2 and counts(status) == {"done": 2}
    assert status.workers == 1
    best = outcome.rows[0]
    assert status.best["label"] == best["run"] and status.best["value"] == best["final_train_loss"]


def test_a_benchmark_knows_its_total_before_the_finals_and_its_best_per_problem(tmp_path: Path) -> None:
    suite = {"name": "tiny", "optimizers": ["adam", "sgd"], "tune": {"lr": "1e-2:1e-1:log"}, "budget": 2, "seeds": 2,
             "problems": [{"name": "quadratic", "config": str(ROOT / "configs" / "noisy_linear_regression.yaml"),
                           "target": 1.0, "set": ["training.epochs=3"]}]}
    (tmp_path / "suite.yaml").write_text(yaml.safe_dump(suite))
    run_benchmark(tmp_path / "suite.yaml", jobs=2, out=tmp_path / "out", plot=False)
    state = json.loads((tmp_path / "out" / "state.json").read_text())["experiment"]
    assert state["expected"] == 6  # 2 optimizers × (2 trials + 1 final seed); the tuning seed's final is its trial
    status = read_status(tmp_path / "out")
    assert status.kind == "benchmark" and status.total == 6 and counts(status) == {"done": 6}
    assert list(status.best_per_problem) == ["quadratic"] and status.best is None  # no best across problems
    assert status.config == str((tmp_path / "suite.yaml").resolve())


KILLED = """
import os, signal, sys
from trainer.experiments.experiment_dir import ExperimentDir
d = ExperimentDir(sys.argv[1], "sweep", "sweep.yaml").open()
d.plan({"a": "fa", "b": "fb", "c": "fc", "d": "fd"}, workers=2)
d.start("a")
d.store_files("a", {"summary.json": sys.argv[2].encode()})
d.record("a", {"status": "completed", "fingerprint": "fa", "label": "lr=0.1"})
d.start("b")
d.start("c")
d.record("c", {"status": "failed", "fingerprint": "fc", "label": "lr=1", "error": "ValueError: bad"})
d.start("d")
os.kill(os.getpid(), signal.SIGKILL)
"""


def killed_sweep(path: Path) -> None:
    """A sweep directory whose owner process was killed (SIGKILL) with runs b and d in flight."""
    proc = subprocess.run([sys.executable, "-c", KILLED, str(path), json.dumps(SUMMARY)], capture_output=True)
    assert proc.returncode == -9, proc.stderr


def test_a_killed_sweep_shows_its_in_flight_runs_as_stale_and_what_is_left(tmp_path: Path) -> None:
    killed_sweep(tmp_path)
    status = read_status(tmp_path)
    assert status.active is False
    assert counts(status) == {"done": 1, "stale": 2, "failed": 1}
    assert [r.state for r in status.runs] == ["done", "stale", "failed", "stale"]
    assert status.remaining == 2 and status.workers == 2
    mean = status.mean_run_seconds
    assert status.time_left_seconds == pytest.approx(2 * mean / 2)
    assert status.best == {"key": "a", "label": "lr=0.1", "seed": None, "metric": "train_loss", "value": 2.5}
    assert status.runs[2].error == "ValueError: bad"


def test_the_next_invocation_clears_marks_an_earlier_owner_left_and_its_end_clears_its_own(tmp_path: Path) -> None:
    killed_sweep(tmp_path)
    with ExperimentDir(tmp_path, "sweep").open() as d:
        d.plan({"a": "fa", "b": "fb", "c": "fc", "d": "fd"})
        assert read_status(tmp_path).active is True
        assert counts(read_status(tmp_path)) == {"done": 1, "failed": 1, "waiting": 2}
        d.start("b")
        assert counts(read_status(tmp_path)) == {"done": 1, "running": 1, "failed": 1, "waiting": 1}
    state = json.loads((tmp_path / "state.json").read_text())
    assert set(state["runs"]) == {"a", "c"}  # runs that never got an outcome leave no entry behind
    after = read_status(tmp_path)
    assert after.active is False and counts(after) == {"done": 1, "failed": 1, "waiting": 2}


def test_an_interrupted_run_keeps_its_outcome_while_in_flight_and_a_changed_config_waits(tmp_path: Path) -> None:
    with ExperimentDir(tmp_path, "sweep").open() as d:
        d.plan({"a": "fa", "b": "fb"})
        d.record("a", {"status": "interrupted", "fingerprint": "fa"})
        d.record("b", {"status": "completed", "fingerprint": "old"})
        assert counts(read_status(tmp_path)) == {"interrupted": 1, "waiting": 1}  # b reruns: another config
        d.start("a")
        assert d.runs["a"]["status"] == "interrupted"  # what resume reads is kept while it runs
        assert counts(read_status(tmp_path)) == {"running": 1, "waiting": 1}


def test_a_run_owned_on_another_host_is_running_but_unverified(tmp_path: Path) -> None:
    owner = {"pid": os.getpid(), "host": socket.gethostname() + "-elsewhere", "started": None}
    state = {"kind": "sweep", "version": 1, "experiment": {"owner": owner, "planned": {"a": "f"}},
             "runs": {"a": {"status": "running", "running": {"since": 1.0, "owner": owner}}}}
    (tmp_path / "state.json").write_text(json.dumps(state))
    status = read_status(tmp_path)
    assert status.active is None and status.runs[0].state == "running" and status.runs[0].verified is False


def test_search_facts_pruned_runs_and_a_maximized_metric(tmp_path: Path) -> None:
    runs = {}
    for key, value, state in (("a", 0.7, "completed"), ("b", 0.9, "completed"), ("c", 0.95, "pruned")):
        (tmp_path / "runs" / key).mkdir(parents=True)
        summary = {"status": state, "final_val_accuracy": value}
        (tmp_path / "runs" / key / "summary.json").write_text(json.dumps(summary))
        runs[key] = {"status": state, "started_at": 10.0, "finished_at": 12.0}
    state = {"kind": "sweep", "version": 1, "trials": 10, "direction": "maximize", "metric": "val_accuracy",
             "runs": runs}
    (tmp_path / "state.json").write_text(json.dumps(state))
    status = read_status(tmp_path)
    assert status.search == {"trials": 10, "direction": "maximize", "metric": "val_accuracy"}
    assert counts(status) == {"done": 2, "pruned": 1, "waiting": 7} and status.total == 10  # the budget
    assert status.best["key"] == "b" and status.best["metric"] == "val_accuracy"  # a pruned run is never best
    assert status.active is None and status.elapsed_seconds == 2.0 and status.run_seconds == 6.0


def test_status_never_sees_half_a_state_while_the_experiment_writes(tmp_path: Path) -> None:
    keys = [f"r{i}" for i in range(30)]
    d = ExperimentDir(tmp_path, "sweep").open()
    d.plan(dict.fromkeys(keys, "f"), workers=2)
    stop = threading.Event()

    def write() -> None:
        for key in keys:
            d.start(key)
            d.record(key, {"status": "completed", "fingerprint": "f"})
        stop.set()

    writer = threading.Thread(target=write)
    writer.start()
    seen = []
    while not stop.is_set() or not seen:
        status = read_status(tmp_path)
        assert sum(status.counts.values()) == status.total == 30
        seen.append(status.counts["done"])
    writer.join()
    d.close()
    assert seen == sorted(seen) and read_status(tmp_path).counts["done"] == 30


def test_an_experiment_directory_before_its_first_record_has_nothing_planned(tmp_path: Path) -> None:
    with ExperimentDir(tmp_path, "compare").open():
        status = read_status(tmp_path)
    assert status.total == 0 and status.best is None and status.time_left_seconds == 0.0


# ----- one run directory -------------------------------------------------------------------------------------------


class _StopAt(Callback):
    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    def on_epoch_end(self, state, event):
        if event.epoch == self.epoch:
            raise KeyboardInterrupt


def test_a_completed_run_directory(tmp_path: Path) -> None:
    trainer.run(str(SEED), out=tmp_path, overrides=FAST, quiet=True)
    status = read_status(tmp_path)
    assert isinstance(status, RunDirStatus)
    assert (status.status, status.epoch, status.epochs, status.name) == ("completed", 3, 3, "seed-regression")
    assert status.final["train_loss"] > 0 and status.best_epoch is not None and status.pid is None


def test_an_interrupted_run_directory_says_where_it_stopped(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        trainer.run(str(SEED), out=tmp_path, overrides=("training.epochs=6",), quiet=True, callbacks=[_StopAt(2)])
    status = read_status(tmp_path)
    assert (status.status, status.epoch, status.epochs, status.checkpoint_epoch) == ("interrupted", 2, 6, 2)


def test_a_diverged_run_and_a_killed_one(tmp_path: Path) -> None:
    with pytest.raises(DivergedError):
        trainer.run(str(SEED), out=tmp_path / "d", overrides=("optimizer.type=sgd", "training.epochs=20"), quiet=True)
    diverged = read_status(tmp_path / "d")
    assert diverged.status == "diverged" and diverged.epoch == 4 and diverged.epochs == 20
    trainer.run(str(SEED), out=tmp_path / "k", overrides=FAST, quiet=True)
    (tmp_path / "k" / "summary.json").unlink()  # as a run killed before it wrote its summary leaves it
    killed = read_status(tmp_path / "k")
    assert (killed.status, killed.epoch, killed.epochs) == ("stale", 3, 3)


def test_a_run_directory_held_by_a_live_run_is_running(tmp_path: Path) -> None:
    trainer.run(str(SEED), out=tmp_path, overrides=FAST, quiet=True)
    with DirLock(tmp_path):
        status = read_status(tmp_path)
    assert status.status == "running" and status.pid == os.getpid() and status.epochs == 3


def test_anything_else_is_a_user_error_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    for path in (tmp_path, tmp_path / "missing", tmp_path / "notes.txt"):
        with pytest.raises(UserError) as caught:
            read_status(path)
        assert caught.value.file == str(path) and "trainer run" in caught.value.hint
    (tmp_path / "state.json").write_text("{half")
    with pytest.raises(UserError, match="not valid JSON"):
        read_status(tmp_path)


def test_the_json_form_is_plain_data(compared) -> None:
    data = read_status(compared.directory).as_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["type"] == "experiment" and set(data["counts"]) == set(COUNTS)
