"""Files written together share one directory fsync, and it comes before summary.json says they exist."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import trainer
from trainer.training import atomic

from ..cli.helpers import SEED


def _record(monkeypatch) -> list[tuple[str, str]]:
    events: list[tuple[str, str]] = []
    fsync, replace = os.fsync, os.replace

    def recording_fsync(fd):
        events.append(("fsync", Path(os.readlink(f"/proc/self/fd/{fd}")).name))
        fsync(fd)

    def recording_replace(src, dst):
        events.append(("rename", Path(dst).name))
        replace(src, dst)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    monkeypatch.setattr(os, "replace", recording_replace)
    return events


def test_a_block_syncs_its_directory_once_at_the_end_even_on_errors(tmp_path, monkeypatch):
    events = _record(monkeypatch)
    with pytest.raises(RuntimeError), atomic.one_dir_sync(tmp_path):
        atomic.write_text(tmp_path / "a.txt", "a")
        atomic.write_text(tmp_path / "b.txt", "b")
        raise RuntimeError
    assert [e for e in events if e[1] == tmp_path.name] == [("fsync", tmp_path.name)]
    assert events[-1] == ("fsync", tmp_path.name)
    atomic.write_text(tmp_path / "c.txt", "c")  # after the block: synced at once again
    assert events[-1] == ("fsync", tmp_path.name)


def test_another_thread_still_syncs_at_once(tmp_path, monkeypatch):
    events = _record(monkeypatch)
    with atomic.one_dir_sync(tmp_path):
        worker = threading.Thread(target=atomic.write_text, args=(tmp_path / "t.txt", "t"))
        worker.start()
        worker.join()
        assert events[-1] == ("fsync", tmp_path.name)


@pytest.mark.parametrize("overrides", [[], ["training.checkpoint_every=4", "training.save_best=true"]])
def test_the_final_files_are_durable_before_the_summary(tmp_path, monkeypatch, overrides):
    events = _record(monkeypatch)
    run = tmp_path / "run"
    trainer.run(SEED, out=run, overrides=["training.epochs=5", *overrides], loggers=[])
    renames = [i for i, e in enumerate(events) if e[0] == "rename"]
    summary = next(i for i, e in enumerate(events) if e == ("rename", "summary.json"))
    final = [i for i in renames if events[i][1] in ("model.npz", "best_model.npz", "checkpoint.npz")][-1]
    dir_syncs = [i for i, e in enumerate(events) if e == ("fsync", "run")]
    assert any(final < i < summary for i in dir_syncs)  # the model files' renames are durable first
    assert dir_syncs[-1] > summary  # and the summary's own
    files = [e[1] for e in events if e[0] == "fsync" and e[1] != "run"]
    assert len(files) == len(set(files)) + files.count("metrics.csv") - 1  # each file's data once (rows appended)
    # config.yaml + preprocessing.json share a directory fsync, as do the final model files; metrics.csv's
    # header has none of its own (its rows' append and the next directory fsync make it durable)
    assert len(dir_syncs) == 3 + (1 if overrides else 0)  # + one for the mid-run checkpoint at epoch 4
    assert not any(e[1].startswith(".metrics.csv.") for e in events if e[0] == "fsync")
    first_rows = events.index(("fsync", "metrics.csv"))
    assert events.index(("rename", "metrics.csv")) < first_rows < dir_syncs[-2]  # header, rows, directory


def test_a_write_that_need_not_be_durable_is_renamed_into_place_without_any_fsync(tmp_path, monkeypatch):
    events = _record(monkeypatch)
    atomic.write_json(tmp_path / "state.json", {"a": 1}, durable=False)
    assert events == [("rename", "state.json")]
    assert (tmp_path / "state.json").read_text() == '{\n  "a": 1\n}\n'
    atomic.write_json(tmp_path / "state.json", {"a": 2})
    assert [kind for kind, _ in events[1:]] == ["fsync", "rename", "fsync"]
