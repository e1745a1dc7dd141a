"""The executor interface: local process pool (including a worker that dies) and a real Dask cluster."""

from __future__ import annotations

from concurrent.futures import as_completed
from pathlib import Path

import pytest

from tests.experiments import helpers
from trainer.errors import UserError
from trainer.experiments.executors import LocalExecutor, WorkerCrashed, make_executor


def test_local_executor_runs_calls_in_worker_processes() -> None:
    with LocalExecutor(2) as ex:
        futures = [ex.submit(helpers.square, i) for i in range(5)]
        assert [f.result(timeout=60) for f in futures] == [0, 1, 4, 9, 16]


def test_an_exception_stays_with_its_call() -> None:
    with LocalExecutor(2) as ex:
        bad, good = ex.submit(helpers.fail, 3), ex.submit(helpers.square, 3)
        with pytest.raises(ValueError, match="bad value 3"):
            bad.result(timeout=60)
        assert good.result(timeout=60) == 9


def test_a_dead_worker_fails_only_the_call_that_killed_it() -> None:
    with LocalExecutor(2) as ex:
        futures = {ex.submit(helpers.die_on, i, 1): i for i in range(4)}
        outcomes = {futures[f]: f.exception(timeout=60) or f.result() for f in as_completed(futures, timeout=120)}
    assert isinstance(outcomes.pop(1), WorkerCrashed)
    assert outcomes == {0: 0, 2: 2, 3: 3}


def test_shutdown_can_cancel_queued_calls() -> None:
    ex = LocalExecutor(1)
    futures = [ex.submit(helpers.square, i) for i in range(4)]
    ex.shutdown(wait=True, cancel_futures=True)
    assert futures[0].result() == 0
    assert any(f.cancelled() for f in futures[1:])
    with pytest.raises(RuntimeError):
        ex.submit(helpers.square, 1)


def test_bad_executor_choices_are_user_errors() -> None:
    with pytest.raises(UserError, match="unknown executor"):
        make_executor("ray")
    with pytest.raises(UserError, match="address"):
        make_executor("dask")
    with pytest.raises(UserError, match="only applies"):
        make_executor("local", address="tcp://127.0.0.1:8786")
    with pytest.raises(UserError, match="at least 1"):
        make_executor("local", jobs=0)


def test_dask_executor_behind_the_same_interface(dask_address: str) -> None:
    with make_executor("dask", address=dask_address) as ex:
        futures = [ex.submit(helpers.square, i) for i in range(4)]
        assert [f.result(timeout=60) for f in futures] == [0, 1, 4, 9]
        with pytest.raises(ValueError, match="bad value"):
            ex.submit(helpers.fail, 2).result(timeout=60)


def test_unreachable_dask_scheduler_is_a_user_error() -> None:
    from trainer.experiments.dask_executor import DaskExecutor

    with pytest.raises(UserError, match="cannot reach"):
        DaskExecutor("tcp://127.0.0.1:1", timeout=1)


def test_dask_runs_a_call_again_when_its_worker_dies(dask_address: str, tmp_path: Path) -> None:
    with make_executor("dask", address=dask_address) as ex:
        future = ex.submit(helpers.die_once, str(tmp_path / "marker"), 7)
        assert future.result(timeout=120) == 7
    assert (tmp_path / "marker").read_text() == "died once"
