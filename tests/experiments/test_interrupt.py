"""A sweep stopped mid-way (Ctrl-C or SIGKILL of the whole process group) resumes without redoing finished runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from trainer.experiments.jobs import Event
from trainer.experiments.sweep import run_sweep

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"
LRS = [0.001, 0.002, 0.003, 0.004, 0.005, 0.006]
SLOW = ("training.epochs=1000",)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups and signals are POSIX")


def start(out: Path) -> subprocess.Popen:
    cmd = [str(Path(sys.executable).parent / "trainer"), "sweep", str(SEED), "--grid",
           "optimizer.lr=" + ",".join(map(str, LRS)), "--set", SLOW[0], "-j", "2", "--out", str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def completed(out: Path) -> set[str]:
    try:
        runs = json.loads((out / "state.json").read_text())["runs"]
    except (OSError, ValueError, KeyError):
        return set()
    return {key for key, entry in runs.items() if entry["status"] == "completed"}


def wait_for_first_runs(out: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while not completed(out) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert completed(out) and proc.poll() is None, "the sweep should be part-way through"


def resume(out: Path) -> list[Event]:
    events: list[Event] = []
    outcome = run_sweep(str(SEED), {"optimizer.lr": LRS}, jobs=2, out=out, overrides=SLOW, progress=events.append)
    assert all(row["status"] == "completed" for row in outcome.rows)
    return events


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_stopped_sweep_resumes_with_only_the_missing_runs(tmp_path: Path, sig: signal.Signals) -> None:
    proc = start(tmp_path)
    wait_for_first_runs(tmp_path, proc)
    os.killpg(proc.pid, sig)
    out, err = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "Traceback" not in err, (proc.returncode, out, err)
    done = completed(tmp_path)
    assert 0 < len(done) < len(LRS), (done, out, err)
    events = resume(tmp_path)
    assert {e.record.spec.key for e in events if e.kind == "reused"} == done
    assert len([e for e in events if e.kind == "finished"]) == len(LRS) - len(done)
