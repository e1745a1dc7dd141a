"""Warm local workers: forked from a preloaded forkserver, many calls each, run directories staged in place."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from tests.experiments import helpers
from trainer._forkserver import PRELOAD, worker_context
from trainer.autograd import get_default_dtype, is_grad_enabled, set_default_dtype, set_grad_enabled
from trainer.config import load_config
from trainer.experiments.base_config import base_mapping
from trainer.experiments.executors import LocalExecutor
from trainer.experiments.experiment_dir import ExperimentDir
from trainer.experiments.records import read_run_dir
from trainer.experiments.sweep import run_sweep
from trainer.experiments.worker import execute

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"
FAST = ("training.epochs=5",)


def config() -> dict:
    return base_mapping(load_config(str(SEED)))


def without_seconds(path: Path) -> list[str]:
    return [line.rsplit(",", 1)[0] for line in path.read_text().splitlines()]


def arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as npz:
        return {k: npz[k] for k in npz.files}


def same_run(a: Path, b: Path) -> None:
    """Bit-identical weights and metrics (only the per-epoch seconds may differ)."""
    wa, wb = arrays(a / "model.npz"), arrays(b / "model.npz")
    assert wa.keys() == wb.keys() and all(np.array_equal(wa[k], wb[k]) for k in wa)
    assert (a / "model.npz").read_bytes() == (b / "model.npz").read_bytes()
    assert without_seconds(a / "metrics.csv") == without_seconds(b / "metrics.csv")
    assert (a / "config.yaml").read_bytes() == (b / "config.yaml").read_bytes()


def test_workers_start_from_a_forkserver_that_imported_a_run_s_modules() -> None:
    expected = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    assert worker_context().get_start_method() == expected
    assert "trainer.experiments.worker" in PRELOAD
    with LocalExecutor(1) as ex:
        answers = [ex.submit(helpers.warm_pid).result(timeout=60) for _ in range(4)]
    assert len({pid for pid, _ in answers}) == 1, "one worker ran every call"
    assert all(warm for _, warm in answers), "the worker started with trainer.runner imported"


METHODS = [m for m in ("spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]


@pytest.mark.parametrize("context", METHODS)
def test_every_start_method_trains_the_same_bits(context: str) -> None:
    with LocalExecutor(1, context=context) as ex:
        out = ex.submit(execute, config(), FAST).result(timeout=120)
    assert out["status"] == "completed"
    ref = execute(config(), FAST)
    assert out["files"]["model.npz"] == ref["files"]["model.npz"]


def test_a_staged_run_holds_the_same_files_as_the_bytes_it_replaces(tmp_path: Path) -> None:
    readable = execute(config(), FAST)
    with ExperimentDir(tmp_path / "exp", "sweep").open() as directory:
        directory.store_files("bytes", readable["files"])
        staged = execute(config(), FAST, stage=str(directory.run_dir("staged")))
        assert staged["files"] == {} and Path(staged["staged"]).parent.name.startswith(".staged.")
        final = directory.adopt("staged", staged["staged"])
        assert sorted(p.name for p in (tmp_path / "exp" / "runs").iterdir()) == ["bytes", "staged"]
        assert sorted(p.name for p in final.iterdir()) == sorted(readable["files"])
        same_run(final, directory.run_dir("bytes"))
        assert read_run_dir(final)[0]["run_dir"] == str(final.resolve())
        with pytest.raises(ValueError, match="outside"):
            directory.adopt("other", tmp_path / "elsewhere" / "run")


def test_no_run_inherits_the_engine_state_a_previous_run_in_its_worker_left() -> None:
    clean = execute(config(), FAST)
    set_default_dtype(np.float64)
    set_grad_enabled(False)
    try:
        after = execute(config(), FAST)
        assert get_default_dtype() == np.float32 and is_grad_enabled()
    finally:
        set_default_dtype(np.float32)
        set_grad_enabled(True)
    assert after["files"]["model.npz"] == clean["files"]["model.npz"]


def test_one_job_and_two_jobs_train_the_same_bits(tmp_path: Path) -> None:
    one = run_sweep(str(SEED), seeds=3, jobs=1, out=tmp_path / "one", overrides=FAST)
    two = run_sweep(str(SEED), seeds=3, jobs=2, out=tmp_path / "two", overrides=FAST)
    assert [r["run"] for r in one.rows] == [r["run"] for r in two.rows]
    for row in one.rows:
        same_run(one.directory / "runs" / row["run"], two.directory / "runs" / row["run"])
    assert not list((tmp_path / "two" / "runs").glob(".*")), "no staging directory left behind"


def test_a_staging_directory_a_killed_worker_left_is_removed_on_the_next_open(tmp_path: Path) -> None:
    leftover = tmp_path / "exp" / "runs" / ".a.x1y2.tmp" / "run"
    leftover.mkdir(parents=True)
    (leftover / "metrics.csv").write_text("epoch\n")
    with ExperimentDir(tmp_path / "exp", "sweep").open():
        assert not leftover.parent.exists()
