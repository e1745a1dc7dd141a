"""The `trainer` command's forked forkserver: workers fork from a fork of the command, warm, with the same bits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import trainer._forkserver as fs

ROOT = Path(__file__).resolve().parents[1]

# In a fresh process (the test process may already run a forkserver or threads): fork the server, run calls on a
# local pool, and report who ran them. `worker_report` lives in this file, importable as tests.test_forkserver.
SCRIPT = """
import json, os, sys
import trainer._forkserver as fs
forked = fs.fork_server()
server = fs.forkserver._forkserver._forkserver_pid
from tests.experiments.helpers import warm_pid
from tests.test_forkserver import worker_report
from trainer.experiments.executors import LocalExecutor
with LocalExecutor(2) as ex:
    reports = [ex.submit(worker_report).result(timeout=60) for _ in range(4)]
    pids = [ex.submit(warm_pid).result(timeout=60) for _ in range(2)]
print(json.dumps({"forked": forked, "server": server, "me": os.getpid(), "reports": reports, "pids": pids}))
"""


def worker_report() -> dict:
    """Where this worker came from: its parent, the parent's parent, its blocked and ignored signals."""
    status = Path(f"/proc/{os.getppid()}/status").read_text()
    fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
    return {"parent": os.getppid(), "grandparent": int(fields["PPid"]),
            "server_blocked": int(fields["SigBlk"], 16), "server_ignored": int(fields["SigIgn"], 16)}


def run_script(code: str, **env: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                         env={**os.environ, **env}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


needs_fork = pytest.mark.skipif(not fs.layout_known(),
                                reason="the forked server is Linux and CPython 3.11's forkserver layout only")


@needs_fork
def test_workers_fork_from_a_fork_of_this_process_with_ctrl_c_and_sigterm_blocked() -> None:
    got = run_script(SCRIPT)
    assert got["forked"] is True
    for report in got["reports"]:
        assert report["parent"] == got["server"] and report["grandparent"] == got["me"]
        assert report["server_blocked"] & (1 << (signal.SIGINT - 1)) and report["server_blocked"] & (
            1 << (signal.SIGTERM - 1))
    assert all(warm for _, warm in got["pids"]), "workers start with the run layer imported"
    deadline = time.monotonic() + 10
    while Path(f"/proc/{got['server']}").exists() and time.monotonic() < deadline:  # it ends with its client
        time.sleep(0.05)
    assert not Path(f"/proc/{got['server']}").exists() or "Z" in Path(f"/proc/{got['server']}/stat").read_text()


@needs_fork
def test_a_forked_server_trains_the_bits_a_spawned_one_does(tmp_path: Path) -> None:
    code = """
import hashlib, json, sys
import trainer._forkserver as fs
fork = sys.argv[1] == "fork"
fs.fork_server() if fork else fs.start_local_workers_early()
from trainer.experiments.sweep import run_sweep
out = run_sweep("configs/seed.yaml", seeds=3, jobs=2, out=sys.argv[2], overrides=["training.epochs=20"])
print(json.dumps({r["run"]: hashlib.sha256(open(r["run_dir"] + "/model.npz", "rb").read()).hexdigest()
                  for r in out.rows}))
"""
    digests = []
    for how in ("fork", "spawn"):
        result = subprocess.run([sys.executable, "-c", code, how, str(tmp_path / how)], capture_output=True,
                                text=True, timeout=180, cwd=ROOT, check=True)
        digests.append(result.stdout.strip().splitlines()[-1])
    assert digests[0] == digests[1] and len(json.loads(digests[0])) == 3


def test_a_thread_another_layout_or_another_platform_gets_the_spawned_server(monkeypatch) -> None:
    started = []
    monkeypatch.setattr(fs, "start_local_workers_early", lambda: started.append(True))
    monkeypatch.setattr(fs, "can_fork_server", lambda: False)
    assert fs.fork_server() is False and started == [True]
    monkeypatch.undo()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert fs.layout_known() is False and fs.can_fork_server() is False
    monkeypatch.undo()
    monkeypatch.setattr(fs, "_MAIN_PARAMETERS", [*fs._MAIN_PARAMETERS, "authkey_r"])
    assert fs.can_fork_server() is False
    monkeypatch.undo()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert fs.can_fork_server() is False
    finally:
        stop.set()
        thread.join()


def server_lock_state() -> bool:
    """Whether this worker's copy of multiprocessing's forkserver lock is free (a nested pool would need it)."""
    lock = fs.forkserver._forkserver._lock
    free = lock.acquire(blocking=False)
    if free:
        lock.release()
    return free


@needs_fork
def test_workers_of_a_forked_server_inherit_a_free_forkserver_lock() -> None:
    code = """
import json
import trainer._forkserver as fs
fs.fork_server()
from tests.test_forkserver import server_lock_state
from trainer.experiments.executors import LocalExecutor
with LocalExecutor(1) as ex:
    print(json.dumps({"free": ex.submit(server_lock_state).result(timeout=60)}))
"""
    assert run_script(code) == {"free": True}
