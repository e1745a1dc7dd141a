"""Owner notes and liveness, read from /proc without signalling or locking anything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from trainer.experiments.owner import flock_holders, owner_alive, owner_note, process_start
from trainer.training.lock import DirLock


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_this_process_is_alive_and_a_finished_one_is_not() -> None:
    note = owner_note()
    assert note["pid"] == os.getpid() and note["started"] == process_start(os.getpid()) is not None
    assert owner_alive(note) is True
    assert owner_alive({**note, "pid": dead_pid()}) is False


def test_a_reused_pid_is_not_the_owner() -> None:
    note = owner_note()
    assert owner_alive({**note, "started": note["started"] - 1}) is False


def test_another_host_or_no_note_cannot_be_told() -> None:
    assert owner_alive({**owner_note(), "host": "elsewhere.invalid"}) is None
    assert owner_alive(None) is None and owner_alive({"pid": "12"}) is None


def test_flock_holders_name_the_process_holding_a_directory(tmp_path: Path) -> None:
    assert flock_holders(tmp_path) == set()
    with DirLock(tmp_path):
        assert flock_holders(tmp_path) == {os.getpid()}
    assert flock_holders(tmp_path) == set()
    assert flock_holders(tmp_path / "missing") is None
