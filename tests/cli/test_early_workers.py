"""`trainer sweep` starts its forkserver as its first step (its imports overlap the CLI's), only for local workers."""

from __future__ import annotations

import sys

import pytest

import trainer._forkserver as forkserver_start
from trainer.cli import app


@pytest.mark.parametrize(("args", "local"), [
    (["configs/seed.yaml", "--seeds", "4"], True),
    (["configs/seed.yaml", "--executor", "local"], True),
    (["configs/seed.yaml", "--executor=local", "--jobs", "2"], True),
    (["configs/seed.yaml", "--executor", "dask", "--address", "tcp://h:8786"], False),
    (["configs/seed.yaml", "--executor=dask"], False),
    (["configs/seed.yaml", "--executor"], False),
    (["--help"], False),
    (["configs/seed.yaml", "-h"], False),
])
def test_which_sweeps_start_local_workers_early(args, local):
    assert app._local_workers(args) is local


@pytest.mark.parametrize(("argv", "started"), [
    (["trainer", "sweep", "missing.yaml"], 1),
    (["trainer", "sweep", "missing.yaml", "--executor", "dask", "--address", "tcp://h:8786"], 0),
    (["trainer", "run", "missing.yaml"], 0),
])
def test_main_starts_the_forkserver_for_a_local_sweep_only(monkeypatch, argv, started):
    calls = []
    monkeypatch.setattr(forkserver_start, "start_local_workers_early", lambda: calls.append(len(sys.modules)))
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as done:
        app.main()
    assert done.value.code == 2  # the missing config is a user error, as before
    assert len(calls) == started
