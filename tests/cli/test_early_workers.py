"""`trainer sweep`, `compare` and `benchmark` start their forkserver first (its imports overlap the CLI's), only for
local workers."""

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
    (["trainer", "sweep", "missing.yaml"], True),
    (["trainer", "sweep", "missing.yaml", "--executor", "dask", "--address", "tcp://h:8786"], False),
    (["trainer", "compare", "missing.yaml", "-O", "adam,sgd"], True),
    (["trainer", "benchmark", "missing.yaml"], True),
    (["trainer", "compare", "missing.yaml", "--executor=dask"], False),
    (["trainer", "run", "missing.yaml"], False),
])
def test_main_starts_the_forkserver_for_local_experiments_only(monkeypatch, argv, started):
    calls = []
    monkeypatch.setattr(forkserver_start, "fork_server", lambda: calls.append(len(sys.modules)))
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as done:
        app.main()
    assert done.value.code == 2  # the missing config is a user error, as before
    assert bool(calls) is started  # run_sweep asks again (a no-op) when it was imported after the patch


def test_an_interrupt_during_start_up_exits_130_without_a_traceback(monkeypatch, capsys):
    """A SIGTERM can now reach a sweep while the CLI still imports (its workers already exist)."""
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "_local_workers", interrupted)
    monkeypatch.setattr(sys, "argv", ["trainer", "sweep", "configs/seed.yaml"])
    with pytest.raises(SystemExit) as done:
        app.main()
    assert done.value.code == 130
    assert capsys.readouterr().err == "interrupted\n"
