"""Output files and run directories get 0666/0777 less the umask, like any other tool's (not mkstemp's 0600)."""

from __future__ import annotations

import os
import stat

import pytest

import trainer
from trainer.experiments.experiment_dir import ExperimentDir
from trainer.training import atomic

from ..cli.helpers import SEED


@pytest.fixture(params=[0o022, 0o077], ids=["022", "077"])
def umask(request):
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_current_umask_reads_the_umask(umask):
    assert atomic.current_umask() == umask
    assert atomic.current_umask() == umask  # reading it leaves it as it was


def test_run_files_and_directory_honour_the_umask(tmp_path, umask):
    run = tmp_path / "run"
    trainer.run(SEED, out=run, overrides=["training.epochs=3", "training.checkpoint_every=1"])
    files = sorted(p.name for p in run.iterdir())
    assert files == ["checkpoint.npz", "config.yaml", "metrics.csv", "model.npz", "preprocessing.json", "summary.json"]
    assert {name: mode(run / name) for name in files} == dict.fromkeys(files, 0o666 & ~umask)
    assert mode(run) == 0o777 & ~umask


def test_experiment_run_directories_honour_the_umask(tmp_path, umask):
    with ExperimentDir(tmp_path / "exp", "compare").open() as exp:
        final = exp.store_files("a", {"summary.json": b"{}", "sub/x.csv": b"1\n"})
    assert mode(final) == 0o777 & ~umask and mode(final / "sub") == 0o777 & ~umask
    assert mode(final / "summary.json") == mode(final / "sub" / "x.csv") == 0o666 & ~umask
