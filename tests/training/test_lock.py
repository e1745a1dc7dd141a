"""One owner per run directory: DirLock, and temporary files of a live owner are never removed."""

from __future__ import annotations

import fcntl
import os

import pytest

from trainer.errors import UserError
from trainer.training import lock, rundir


def test_a_second_owner_is_told_the_pid_of_the_first(tmp_path):
    with lock.DirLock(tmp_path, key="--out"):
        assert (tmp_path / ".lock").read_text() == f"{os.getpid()}\n" and lock.held(tmp_path)
        with pytest.raises(UserError, match=f"is in use by pid {os.getpid()}") as info:
            lock.DirLock(tmp_path, key="--out", hint="wait").acquire()
        assert info.value.key == "--out" and info.value.hint == "wait"
    assert not (tmp_path / ".lock").exists() and not lock.held(tmp_path)
    lock.DirLock(tmp_path).acquire().release()  # free again


def test_a_stale_lock_note_of_a_dead_process_does_not_block(tmp_path):
    (tmp_path / ".lock").write_text("999999\n")
    with lock.DirLock(tmp_path):
        assert (tmp_path / ".lock").read_text() == f"{os.getpid()}\n"


def other_owner(path):
    """The lock as another process holds it (a second open file description, not a DirLock of ours)."""
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def test_temp_files_of_a_live_owner_are_kept(tmp_path):
    (tmp_path / ".config.yaml.abc.tmp").write_text("being written")
    fd = other_owner(tmp_path)
    try:
        assert lock.locked_elsewhere(tmp_path)
        rundir.remove_stale_temp_files(tmp_path)
        assert (tmp_path / ".config.yaml.abc.tmp").exists()
    finally:
        os.close(fd)
    assert not lock.locked_elsewhere(tmp_path)
    rundir.remove_stale_temp_files(tmp_path)
    assert not (tmp_path / ".config.yaml.abc.tmp").exists()


def test_owned_holds_the_lock_and_removes_its_note(tmp_path):
    run = tmp_path / "new" / "run"
    with rundir.owned(run, "--out"):
        assert run.is_dir() and lock.held(run)
        with pytest.raises(UserError, match="in use by pid") as info:
            with rundir.owned(run, "--resume"):
                pass
        assert info.value.key == "--resume" and "wait" in info.value.hint
    assert list(run.iterdir()) == []
