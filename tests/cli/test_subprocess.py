"""The real command in a real process: the seed run, light start-up, and POSIX signals (SIGINT, SIGTERM, SIGKILL)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from trainer.training.checkpoint import load_checkpoint

from .helpers import SEED, TRAINER_BIN, logged_epochs, metrics_rows, metrics_without_seconds, plain_env

LONG = ["--set", "training.epochs=1000000", "--set", "training.log_every=1"]


def trainer_cmd(*args) -> list[str]:
    return [str(TRAINER_BIN), *map(str, args)]


def start(*args) -> subprocess.Popen:
    return subprocess.Popen(trainer_cmd(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=plain_env())


def wait_for_epoch(proc: subprocess.Popen) -> str:
    """Read stdout until the first epoch line (the run is then surely inside the training loop)."""
    seen = ""
    for line in proc.stdout:
        seen += line
        if line.startswith("epoch"):
            return seen
    raise AssertionError(f"no epoch line; stderr: {proc.stderr.read()}")


def test_seed_run_in_a_subprocess(tmp_path):
    run = tmp_path / "tmp"
    done = subprocess.run(trainer_cmd("run", SEED, "--out", run), capture_output=True, text=True, timeout=120,
                          env=plain_env())
    assert done.returncode == 0, done.stderr
    assert logged_epochs(done.stdout, 200) == [1, *range(10, 201, 10)]
    assert "\x1b" not in done.stdout and "Traceback" not in done.stderr
    rows = metrics_rows(run)
    assert float(rows[-1]["train_loss"]) < 0.6 * float(rows[0]["train_loss"])


def test_start_up_imports_no_heavy_modules():
    code = ("import sys, trainer.cli.app; heavy = [m for m in ('matplotlib', 'dask', 'distributed', 'pydantic', "
            "'trainer.nn', 'trainer.optim', 'trainer.config') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_saves_a_checkpoint_and_exits_130(tmp_path, sig):
    run = tmp_path / "run"
    proc = start("run", SEED, "--out", run, *LONG)
    wait_for_epoch(proc)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err and f"--resume {run}" in err
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "interrupted" and summary["epochs_run"] >= 1
    snap, _ = load_checkpoint(run / "checkpoint.npz")
    assert snap.epoch == summary["epochs_run"] == len(metrics_rows(run))
    with np.load(run / "checkpoint.npz", allow_pickle=False) as npz:
        assert npz["__state__"].dtype.kind == "U"


def test_sigint_then_resume_matches_an_uninterrupted_run(tmp_path):
    run, ref = tmp_path / "run", tmp_path / "ref"
    proc = start("run", SEED, "--out", run, *LONG)
    wait_for_epoch(proc)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    total = load_checkpoint(run / "checkpoint.npz")[0].epoch + 5
    more = ["--set", f"training.epochs={total}"]
    assert subprocess.run(trainer_cmd("run", "--resume", run, "-q", *more), capture_output=True,
                          timeout=120).returncode == 0
    assert subprocess.run(trainer_cmd("run", SEED, "--out", ref, "-q", *more), capture_output=True,
                          timeout=120).returncode == 0
    assert metrics_without_seconds(run) == metrics_without_seconds(ref)
    assert (run / "model.npz").read_bytes() == (ref / "model.npz").read_bytes()


def test_sigkill_then_resume_from_the_last_periodic_checkpoint(tmp_path):
    run, ref = tmp_path / "run", tmp_path / "ref"
    proc = start("run", SEED, "--out", run, *LONG, "--set", "training.checkpoint_every=7")
    wait_for_epoch(proc)
    deadline = time.monotonic() + 60
    while not (run / "checkpoint.npz").exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert not (run / "summary.json").exists()
    epoch = load_checkpoint(run / "checkpoint.npz")[0].epoch
    assert epoch % 7 == 0
    more = ["--set", f"training.epochs={epoch + 3}"]
    assert subprocess.run(trainer_cmd("run", "--resume", run, "-q", *more), capture_output=True,
                          timeout=120).returncode == 0
    assert subprocess.run(trainer_cmd("run", SEED, "--out", ref, "-q", *more), capture_output=True,
                          timeout=120).returncode == 0
    assert metrics_without_seconds(run) == metrics_without_seconds(ref)
    assert (run / "model.npz").read_bytes() == (ref / "model.npz").read_bytes()
    assert not [p.name for p in run.iterdir() if p.name.endswith(".tmp")]
