"""A Dask scheduler killed mid-sweep: exit 1 with one message saying so; finished runs stay finished and resume."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import trainer
from trainer.experiments.jobs import Event

pytest.importorskip("distributed")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signals are POSIX")

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"
BIN = Path(sys.executable).parent
LRS = [0.01, 0.02, 0.03]
EPOCHS = "training.epochs=400"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster() -> Iterator[tuple[str, subprocess.Popen]]:
    """A real `dask scheduler` process (to kill) and one single-threaded `dask worker` process."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard",
                               "--host", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield address, scheduler
    finally:
        for proc in (worker, scheduler):
            proc.kill()
            proc.wait(timeout=10)


def completed(out: Path) -> set[str]:
    try:
        runs = json.loads((out / "state.json").read_text())["runs"]
    except (OSError, ValueError, KeyError):
        return set()
    return {key for key, entry in runs.items() if entry["status"] == "completed"}


def test_a_lost_scheduler_is_said_and_the_finished_runs_resume(cluster: tuple[str, subprocess.Popen],
                                                              dask_address: str, tmp_path: Path) -> None:
    address, scheduler = cluster
    sweep = subprocess.Popen([str(BIN / "trainer"), "sweep", str(SEED), "--grid",
                              "optimizer.lr=" + ",".join(map(str, LRS)), "--set", EPOCHS, "--executor", "dask",
                              "--address", address, "--connect-timeout", "20", "--out", str(tmp_path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not completed(tmp_path):
        assert sweep.poll() is None and time.monotonic() < deadline, sweep.communicate()
        time.sleep(0.05)
    scheduler.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    out, err = sweep.communicate(timeout=30)
    assert time.monotonic() - killed < 8
    assert sweep.returncode == 1, (out, err)
    assert f"lost the Dask scheduler at {address}" in err, err
    assert "Traceback" not in err and "--fail-fast" not in err + out and "trainer has a bug" not in err, err
    assert err.count("error:") == 1, err
    done = completed(tmp_path)
    assert 0 < len(done) < len(LRS), done
    states = {entry["status"] for entry in json.loads((tmp_path / "state.json").read_text())["runs"].values()}
    assert "cancelled" not in states, states

    events: list[Event] = []
    rows = trainer.sweep(str(SEED), {"optimizer.lr": LRS}, out=tmp_path, executor="dask", address=dask_address,
                         overrides=[EPOCHS], progress=events.append)
    assert all(row["status"] == "completed" for row in rows)
    assert {e.record.spec.key for e in events if e.kind == "reused" and e.record} == done
    assert len([e for e in events if e.kind == "finished"]) == len(LRS) - len(done)
