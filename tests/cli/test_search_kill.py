"""`kill -9` of a model-based sweep's process group mid-batch, then the same command: the runs that had
finished are kept, the trials left running are asked again at the same points, no process is left,
no trial stays RUNNING in the Optuna study, and the study ends with exactly --trials trials."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import optuna
import pytest

from tests.cli.helpers import CONFIGS, TRAINER_BIN, plain_env

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

ARGS = ["sweep", str(CONFIGS / "spirals.yaml"), "--search", "tpe", "--trials", "6", "--batch", "4",
        "--range", "optimizer.lr=1e-3:1e-1:log", "--prune", "median", "-j", "2", "--quiet",
        "--set", "training.epochs=30", "--set", "data.n=90"]


def in_group(pgid: int) -> list[int]:
    """Pids of live processes whose process group is `pgid` (from /proc, not ps)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


def runs(out: Path) -> dict:
    try:
        return json.loads((out / "state.json").read_text())["runs"]
    except (OSError, ValueError, KeyError):
        return {}


def test_kill_9_mid_sweep_then_the_same_command_finishes_the_study(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    command = [str(TRAINER_BIN), *ARGS, "--out", str(out)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=plain_env())
    deadline = time.monotonic() + 240
    while not any(r["status"] == "completed" for r in runs(out).values()):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while in_group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert in_group(proc.pid) == [], "workers outlived the killed sweep"
    before = json.loads((out / "study.json").read_text())
    assert "running" in {t["status"] for t in before["trials"]}
    kept = {key: (out / "runs" / key / "summary.json").read_bytes()
            for key, r in runs(out).items() if r["status"] == "completed"}

    again = subprocess.run(command, capture_output=True, text=True, env=plain_env(), timeout=600)
    assert again.returncode == 0, again.stderr
    after = json.loads((out / "study.json").read_text())
    assert len(after["trials"]) == 6 and {t["status"] for t in after["trials"]} <= {"completed", "pruned"}
    assert [t["params"] for t in after["trials"][:4]] == [t["params"] for t in before["trials"][:4]]
    assert kept and all((out / "runs" / key / "summary.json").read_bytes() == data for key, data in kept.items())

    study = optuna.load_study(study_name="trainer-sweep", storage=optuna.storages.JournalStorage(
        optuna.storages.journal.JournalFileBackend(str(out / "study.journal"))))
    states = [t.state.name for t in study.get_trials(deepcopy=False)]
    assert "RUNNING" not in states and "WAITING" not in states
    assert states.count("COMPLETE") + states.count("PRUNED") == 6
