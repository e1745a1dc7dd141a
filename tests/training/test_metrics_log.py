"""metrics.csv as an append-only log: appends that fail leave whole rows, reset cuts back, rows read back exactly."""

from __future__ import annotations

import errno
import math
import os

import pytest

from trainer.training import metrics_log, run_files, rundir

COLUMNS = ["epoch", "train_loss", "lr", "seconds"]


def rows(n: int, start: int = 1) -> list[dict]:
    return [{"epoch": e, "train_loss": 0.1 + 0.2 * e / 3, "lr": 0.08, "seconds": 0.001} for e in range(start, n + 1)]


def test_appended_rows_read_back_as_the_same_floats(tmp_path):
    path = tmp_path / "metrics.csv"
    metrics_log.reset(path, COLUMNS, [])
    history = [*rows(3), {"epoch": 4, "train_loss": math.inf, "lr": 1e-300, "seconds": None}]
    assert metrics_log.append_rows(path, COLUMNS, history) == len(run_files.metrics_rows(COLUMNS, history))
    assert path.read_text() == rundir.metrics_csv(COLUMNS, history)
    assert metrics_log.read_rows(path, 4) == history


def test_a_failed_append_is_cut_back_off(tmp_path, monkeypatch):
    path = tmp_path / "metrics.csv"
    metrics_log.reset(path, COLUMNS, rows(2))
    before = path.read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        metrics_log.append_rows(path, COLUMNS, rows(5, start=3))
    assert path.read_bytes() == before


def test_reset_cuts_rows_after_the_checkpoint_and_rewrites_what_does_not_match(tmp_path):
    path = tmp_path / "metrics.csv"
    path.write_text(rundir.metrics_csv(COLUMNS, rows(5)) + "6,0.5")
    metrics_log.reset(path, COLUMNS, rows(3))
    assert path.read_text() == rundir.metrics_csv(COLUMNS, rows(3))
    path.write_text("other,header\n1,2\n")
    metrics_log.reset(path, COLUMNS, rows(2))
    assert path.read_text() == rundir.metrics_csv(COLUMNS, rows(2))


def test_settle_counts_whole_rows_and_cuts_a_half_written_one(tmp_path):
    path = tmp_path / "metrics.csv"
    assert metrics_log.settle(path) == 0
    path.write_text(rundir.metrics_csv(COLUMNS, rows(3)) + "4,0.1")
    assert metrics_log.settle(path) == 3 and path.read_text() == rundir.metrics_csv(COLUMNS, rows(3))


def test_rows_appended_before_an_interrupt_are_not_written_twice(tmp_path, monkeypatch):
    """An interrupt right after an append, before the writer noted it: the final write must not repeat rows."""
    import trainer
    from trainer.training import writer

    from ..cli.helpers import SEED

    real, struck = writer.RunDirWriter._metrics, []

    def interrupted_after_append(self, state):
        if len(state.history) == 5 and not struck:
            struck.append(True)
            metrics_log.append_rows(self.path / "metrics.csv", state.columns, state.history[self._rows:])
            raise KeyboardInterrupt  # the rows are on disk but self._rows was never updated
        real(self, state)

    monkeypatch.setattr(writer.RunDirWriter, "_metrics", interrupted_after_append)
    with pytest.raises(KeyboardInterrupt):
        trainer.run(SEED, out=tmp_path / "run", overrides=["training.epochs=9", "training.log_every=1",
                                                              "training.checkpoint_every=5"])
    assert [r["epoch"] for r in rundir.read_metrics(tmp_path / "run" / "metrics.csv")] == [1, 2, 3, 4, 5]


def test_a_full_disk_names_the_file_it_was_writing(tmp_path, monkeypatch):
    from trainer.training import atomic

    path = tmp_path / "metrics.csv"
    metrics_log.reset(path, COLUMNS, [])

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError) as info:
        metrics_log.append_rows(path, COLUMNS, rows(1))
    assert info.value.filename == str(path)
    monkeypatch.undo()
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left")))
    with pytest.raises(OSError) as info:
        atomic.write_text(tmp_path / "summary.json", "{}")
    assert info.value.filename == str(tmp_path / "summary.json") and not list(tmp_path.glob(".*.tmp"))
