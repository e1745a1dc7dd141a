"""Runs racing for one run directory, in real processes: one owns it, the others exit 2 naming its pid."""

from __future__ import annotations

import json
import subprocess

import trainer
from tests.cli.helpers import SEED, TRAINER_BIN, metrics_rows, plain_env
from trainer.training import Callback

EPOCHS = 6000  # a few seconds: long enough that every racer reaches the lock while the winner trains


def start(*args) -> subprocess.Popen:
    return subprocess.Popen([str(TRAINER_BIN), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=plain_env())


def finish(procs: list[subprocess.Popen]) -> list[tuple[int, int, str]]:
    """(pid, exit code, stderr) of every process."""
    return [(p.pid, p.wait(timeout=300), p.communicate()[1]) for p in procs]


def check_one_winner(results: list[tuple[int, int, str]], run, key: str) -> None:
    winners = [pid for pid, code, _ in results if code == 0]
    assert len(winners) == 1, results
    for pid, code, err in results:
        if pid == winners[0]:
            continue
        assert code == 2, err
        assert f"{run} is in use by pid {winners[0]}" in err and key in err and "hint:" in err
        assert "Traceback" not in err and "bug" not in err
    assert json.loads((run / "summary.json").read_text())["status"] == "completed"
    assert len(metrics_rows(run)) == EPOCHS
    assert not (run / ".lock").exists() and not list(run.glob(".*.tmp"))


def test_three_runs_into_one_fresh_out(tmp_path):
    run = tmp_path / "run"
    procs = [start("run", SEED, "--out", run, "-q", "--set", f"training.epochs={EPOCHS}") for _ in range(3)]
    check_one_winner(finish(procs), run, "--out")


class InterruptAt(Callback):
    def on_epoch_end(self, state, event):
        if event.epoch == 2:
            raise KeyboardInterrupt


def test_two_resumes_of_one_directory(tmp_path):
    run = tmp_path / "run"
    try:
        trainer.run(SEED, out=run, overrides=[f"training.epochs={EPOCHS}"], callbacks=[InterruptAt()])
    except KeyboardInterrupt:
        pass
    procs = [start("run", "--resume", run, "-q") for _ in range(2)]
    check_one_winner(finish(procs), run, "--resume")
