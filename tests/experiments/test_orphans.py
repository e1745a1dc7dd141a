"""`kill -9` of a sweep or compare: its workers (and multiprocessing's resource tracker) die with it."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.experiments.test_interrupt_resume import start, wait_until_training

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups and signals are POSIX")


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("kind", ["sweep", "compare"])
def test_sigkill_of_the_main_process_leaves_no_process_behind(tmp_path: Path, kind: str) -> None:
    proc = start(kind, tmp_path, epochs=20000)
    wait_until_training(tmp_path, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = group_alive(proc.pid)
    if alive:
        os.killpg(proc.pid, signal.SIGKILL)
    assert not alive, "workers outlived their parent"
