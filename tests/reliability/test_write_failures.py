"""The user's environment failing writes: a full disk (exit 1, a clear message, what was written is kept),
a read-only or forbidden run directory (exit 2 naming it), and a run killed before its first checkpoint."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

import trainer
from tests.cli.helpers import SEED, invoke, metrics_rows
from trainer.training import Callback, atomic, lock, metrics_log
from trainer.training.writer import RunDirWriter


class CopyRunDirAt(Callback):
    """The run directory as a SIGKILL at the end of `epoch` would leave it."""

    def __init__(self, epoch: int, run_dir: Path, dest: Path) -> None:
        self.epoch, self.run_dir, self.dest = epoch, run_dir, dest

    def on_epoch_end(self, state, event):
        if event.epoch == self.epoch:
            shutil.copytree(self.run_dir, self.dest)


def test_killed_before_its_first_checkpoint_says_so(tmp_path):
    run, killed = tmp_path / "run", tmp_path / "killed"
    trainer.run(SEED, out=run, overrides=["training.epochs=8", "training.checkpoint_every=5"],
                callbacks=[CopyRunDirAt(3, run, killed)])
    result = invoke("run", "--resume", killed)
    assert result.exit_code == 2
    assert "killed before its first checkpoint at epoch 5" in result.stderr and "start it again" in result.stderr
    assert "set training.checkpoint_every" not in result.stderr


def test_no_checkpoint_without_checkpoint_every_still_suggests_it(tmp_path):
    run, killed = tmp_path / "run", tmp_path / "killed"
    trainer.run(SEED, out=run, overrides=["training.epochs=4"], callbacks=[CopyRunDirAt(2, run, killed)])
    result = invoke("run", "--resume", killed)
    assert result.exit_code == 2 and "set training.checkpoint_every" in result.stderr


def failing_writes(monkeypatch, code: int, after: int, names: tuple[str, ...] = ()) -> None:
    """Writes (atomic and metrics.csv appends) raise OSError(code) once `after` epochs ran, for `names` (or all)."""
    epochs = {"n": 0}
    write_bytes, append_rows = atomic.write_bytes, metrics_log.append_rows

    def failing(path: Path) -> bool:
        return epochs["n"] >= after and (not names or Path(path).name in names)

    def fake_write(path, data, **options):
        if failing(path):
            raise OSError(code, os.strerror(code), str(path))
        return write_bytes(path, data, **options)

    def fake_append(path, columns, rows):
        if failing(path):
            raise OSError(code, os.strerror(code), str(path))
        return append_rows(path, columns, rows)

    monkeypatch.setattr(atomic, "write_bytes", fake_write)
    monkeypatch.setattr(metrics_log, "append_rows", fake_append)
    on_epoch_end = RunDirWriter.on_epoch_end

    def counting(self, state, event):
        epochs["n"] = event.epoch
        on_epoch_end(self, state, event)

    monkeypatch.setattr(RunDirWriter, "on_epoch_end", counting)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT], ids=["ENOSPC", "EDQUOT"])
def test_full_disk_mid_run_is_a_clear_message_and_keeps_the_summary(tmp_path, monkeypatch, code):
    run = tmp_path / "run"
    failing_writes(monkeypatch, code, after=3, names=("checkpoint.npz",))
    result = invoke("run", SEED, "--out", run, "--set", "training.epochs=10", "--set", "training.checkpoint_every=3")
    assert result.exit_code == 1
    assert "no space left on device" in result.stderr and "checkpoint.npz" in result.stderr
    assert "bug" not in result.stderr and "Traceback" not in result.stderr
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "failed" and summary["epochs_run"] == 3 and os.strerror(code) in summary["error"]
    assert [int(r["epoch"]) for r in metrics_rows(run)] == [1, 2, 3]
    assert (run / "model.npz").exists() and not list(run.glob(".*.tmp"))


def test_a_disk_that_takes_nothing_more_still_keeps_what_was_written(tmp_path, monkeypatch):
    run = tmp_path / "run"
    failing_writes(monkeypatch, errno.ENOSPC, after=2)
    result = invoke("run", SEED, "--out", run, "--set", "training.epochs=10", "--set", "training.log_every=1",
                    "--set", "training.checkpoint_every=1")
    assert result.exit_code == 1 and "no space left on device" in result.stderr and "bug" not in result.stderr
    assert (run / "config.yaml").exists() and [int(r["epoch"]) for r in metrics_rows(run)] == [1]
    assert trainer.training.checkpoint.load_checkpoint(run / "checkpoint.npz")[0].epoch == 1


def interrupted_run(tmp_path: Path) -> Path:
    class InterruptAt(Callback):
        def on_epoch_end(self, state, event):
            if event.epoch == 2:
                raise KeyboardInterrupt

    run = tmp_path / "run"
    try:
        trainer.run(SEED, out=run, overrides=["training.epochs=5"], callbacks=[InterruptAt()])
    except KeyboardInterrupt:
        pass
    return run


@pytest.mark.parametrize("error", [OSError(errno.EROFS, "Read-only file system"),
                                   PermissionError(errno.EACCES, "Permission denied")], ids=["EROFS", "EACCES"])
def test_resume_in_a_read_only_directory_is_a_user_error(tmp_path, monkeypatch, error):
    run = interrupted_run(tmp_path)
    before = {p.name: p.read_bytes() for p in run.iterdir()}

    def refuse(path, data, **options):
        raise type(error)(error.errno, error.strerror, str(path))

    monkeypatch.setattr(atomic, "write_bytes", refuse)
    result = invoke("run", "--resume", run)
    assert result.exit_code == 2, result.output
    assert f"--resume: cannot write to the run directory {run}: {error.strerror}" in result.stderr
    assert "resume the copy" in result.stderr
    assert "Traceback" not in result.stderr and "bug" not in result.stderr
    assert {p.name: p.read_bytes() for p in run.iterdir()} == before


def test_a_read_only_out_is_a_user_error_even_for_the_lock(tmp_path, monkeypatch):
    def refuse(path):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(lock, "_write_pid", refuse)
    result = invoke("run", SEED, "--out", tmp_path / "run")
    assert result.exit_code == 2
    assert f"--out: cannot write to the run directory {tmp_path / 'run'}: Read-only file system" in result.stderr
    assert "writable filesystem" in result.stderr


def test_permission_errors_outside_the_run_directory_are_not_blamed_on_it(tmp_path, monkeypatch):
    def refuse(path, data, **options):
        raise PermissionError(errno.EACCES, "Permission denied", "/somewhere/else")

    monkeypatch.setattr(atomic, "write_bytes", refuse)
    result = invoke("run", SEED, "--out", tmp_path / "run")
    assert result.exit_code == 1 and "cannot write to the run directory" not in result.stderr
