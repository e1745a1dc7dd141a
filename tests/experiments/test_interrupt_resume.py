"""SIGINT to a sweep's/compare's process group, or SIGTERM to its main process only: the runs in progress
save their checkpoints, state.json records them `interrupted`, and the same command resumes them
bit-identically (metrics.csv without its seconds column, model.npz bytes) instead of starting over."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import trainer
from trainer.experiments.jobs import Event

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"
TRAINER_BIN = Path(sys.executable).parent / "trainer"
# ~2.3 s a run on the 2026-12 Xeon (10000 epochs of SGD took 1.1 s there: too close to metrics.csv's first rows,
# written after 1 s, so the run could finish before the signal came)
EPOCHS = "training.epochs=20000"
LONG = 50_000  # epochs for tests that only interrupt: long enough never to finish before the signal
LRS = [0.01, 0.02]
OPTIMIZERS = "adam,sgd:lr=0.001"
ARGS = {
    "sweep": ["sweep", str(SEED), "--grid", "optimizer.lr=" + ",".join(map(str, LRS)), "--set", EPOCHS, "-j", "2"],
    "compare": ["compare", str(SEED), "-O", OPTIMIZERS, "--set", EPOCHS, "-j", "2"],
}

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups and signals are POSIX")


def api(kind: str, out: Path, events: list[Event] | None = None) -> None:
    """The same experiment as ARGS[kind], in this process."""
    progress = events.append if events is not None else None
    if kind == "sweep":
        trainer.sweep(str(SEED), {"optimizer.lr": LRS}, jobs=2, out=out, overrides=[EPOCHS], progress=progress)
    else:
        trainer.compare(str(SEED), OPTIMIZERS, jobs=2, out=out, overrides=[EPOCHS], progress=progress)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each experiment run once without interruption."""
    dirs = {}
    for kind in ARGS:
        dirs[kind] = tmp_path_factory.mktemp(f"reference-{kind}")
        api(kind, dirs[kind])
    return dirs


def start(kind: str, out: Path, epochs: int | None = None) -> subprocess.Popen:
    """The CLI experiment in its own process group, its workers training under out/tmp."""
    env = {**os.environ, "TMPDIR": str(out / "tmp")}
    (out / "tmp").mkdir(parents=True)
    args = [a if epochs is None or a != EPOCHS else f"training.epochs={epochs}" for a in ARGS[kind]]
    return subprocess.Popen([str(TRAINER_BIN), *args, "--out", str(out / "exp")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, env=env)


def wait_until_training(out: Path, proc: subprocess.Popen, runs: int = 2) -> None:
    """Until every worker has logged an epoch to metrics.csv in its staging run directory (the header alone
    is written before the first epoch, and a run interrupted then resumes from epoch 0)."""
    deadline = time.monotonic() + 60
    while sum(_rows(p) > 1 for p in training_metrics(out)) < runs:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.02)


def training_metrics(out: Path) -> list[Path]:
    """metrics.csv of the runs in flight: staged beside out/exp/runs/<key> by a local worker, else in a temp dir."""
    staged = (out / "exp" / "runs").glob(".*.tmp/run/metrics.csv")
    return [*staged, *(out / "tmp").glob("trainer-run-*/run/metrics.csv")]


def _rows(path: Path) -> int:
    try:
        return len(path.read_text().splitlines())
    except OSError:
        return 0


def metrics_without_seconds(run_dir: Path) -> str:
    return "\n".join(line.rsplit(",", 1)[0] for line in (run_dir / "metrics.csv").read_text().splitlines())


@pytest.mark.parametrize("kind", ["sweep", "compare"])
@pytest.mark.parametrize("how", ["sigint-group", "sigterm-main"])
def test_interrupted_runs_save_checkpoints_and_resume_bit_identically(
        tmp_path: Path, kind: str, how: str, reference: dict[str, Path]) -> None:
    proc = start(kind, tmp_path)
    wait_until_training(tmp_path, proc)
    signalled = time.monotonic()
    if how == "sigint-group":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - signalled < 5, "the runs should save their work within a couple of seconds"
    assert proc.returncode == 130 and "Traceback" not in err, (proc.returncode, out, err)
    assert "run the same command again" in err
    exp = tmp_path / "exp"
    state = json.loads((exp / "state.json").read_text())["runs"]
    assert len(state) == 2 and {entry["status"] for entry in state.values()} == {"interrupted"}, state
    for key in state:
        summary = json.loads((exp / "runs" / key / "summary.json").read_text())
        assert summary["status"] == "interrupted" and (exp / "runs" / key / "checkpoint.npz").is_file()

    events: list[Event] = []
    api(kind, exp, events)
    finished = [e.record for e in events if e.kind == "finished"]
    assert len(finished) == 2 and all(r is not None and r.status == "completed" for r in finished)
    for key in state:
        mine, ref = exp / "runs" / key, reference[kind] / "runs" / key
        assert json.loads((mine / "summary.json").read_text())["resumed_from_epoch"] > 0, "resumed, not restarted"
        assert metrics_without_seconds(mine) == metrics_without_seconds(ref)
        assert (mine / "model.npz").read_bytes() == (ref / "model.npz").read_bytes()


def workers_started(pgid: int) -> bool:
    """Whether a worker of the process group exists (spawned, or the forkserver workers fork from, which the
    `trainer` command forks from itself: any process of the group but the command and multiprocessing's
    resource tracker), read from /proc: `ps` cuts its args at $COLUMNS."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            in_group = int(stat.read_text().rsplit(")", 1)[1].split()[2]) == pgid
            cmdline = (stat.parent / "cmdline").read_bytes()
            if in_group and int(stat.parent.name) != pgid and b"resource_tracker" not in cmdline:
                return True
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we read it
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc lists processes on Linux")
def test_sigterm_to_the_group_while_workers_start_records_no_failure(tmp_path: Path) -> None:
    """A batch system's SIGTERM can reach workers before they handle it: their runs are interrupted, not failed."""
    proc = start("sweep", tmp_path, epochs=LONG)
    deadline = time.monotonic() + 60
    while not workers_started(proc.pid):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGTERM)
    signalled = time.monotonic()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (out, err)
    assert time.monotonic() - signalled < 5, (out, err)
    exp = tmp_path / "exp"
    if (exp / "state.json").exists():
        statuses = {entry["status"] for entry in json.loads((exp / "state.json").read_text())["runs"].values()}
        assert statuses <= {"interrupted", "completed"}, (statuses, out, err)


# Python 3.11's exit hook for process pools wakes each pool's manager thread without a lock while that thread
# may be closing the wakeup pipe (fixed in CPython 3.12.8, gh-125451). These patches hold the race window open:
# the manager closes the pipe a little late, the exit hook writes to it later still.
WIDEN_POOL_EXIT_RACE = """
import sys, time
import concurrent.futures.process as process
close, wakeup = process._ThreadWakeup.close, process._ThreadWakeup.wakeup
def late_close(self):
    time.sleep(0.3)
    close(self)
def slow_wakeup(self):
    if not self._closed:
        time.sleep(0.6)
        self._writer.send_bytes(b"")
process._ThreadWakeup.close, process._ThreadWakeup.wakeup = late_close, slow_wakeup
from trainer.cli.app import main
sys.argv[0] = "trainer"
main()
"""


def test_ctrl_c_leaves_no_process_pool_closing_its_pipes_as_the_interpreter_exits(tmp_path: Path) -> None:
    """Once interrupted, the pool is shut down and waited for, so Python's exit hook finds it closed (no traceback)."""
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    args = [f"training.epochs={LONG}" if a == EPOCHS else a for a in ARGS["compare"]]
    proc = subprocess.Popen([sys.executable, "-c", WIDEN_POOL_EXIT_RACE, *args, "--out",
                             str(tmp_path / "exp")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=env)
    wait_until_training(tmp_path, proc)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in err, (proc.returncode, out, err)
    assert "run the same command again" in err


TUNE = ["--tune", "lr=1e-3:1e-2:log", "--budget", "2"]


def test_an_interrupted_tuned_compare_resumes_its_trials_bit_identically(tmp_path: Path) -> None:
    """The trials of `compare --tune` are ordinary runs: interrupted, they resume; the same winner, the same numbers."""
    ref = tmp_path / "reference"
    trainer.compare(str(SEED), "adam,sgd", jobs=2, out=ref, overrides=[EPOCHS], tune="lr=1e-3:1e-2:log", budget=2)
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    exp = tmp_path / "exp"
    proc = subprocess.Popen([str(TRAINER_BIN), *ARGS["compare"][:2], "-O", "adam,sgd", *TUNE, "--set", EPOCHS,
                             "-j", "2", "--out", str(exp)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, env=env)
    wait_until_training(tmp_path, proc)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in err, (proc.returncode, out, err)
    interrupted = [k for k, v in json.loads((exp / "state.json").read_text())["runs"].items()
                   if v["status"] == "interrupted"]
    assert interrupted, "some trial was in progress"

    rows = trainer.compare(str(SEED), "adam,sgd", jobs=2, out=exp, overrides=[EPOCHS], tune="lr=1e-3:1e-2:log",
                           budget=2)
    assert [(r["variant"], r["tuned"]) for r in rows] == [
        (r["variant"], r["tuned"]) for r in trainer.compare(str(SEED), "adam,sgd", jobs=2, out=ref,
                                                            overrides=[EPOCHS], tune="lr=1e-3:1e-2:log", budget=2)]
    for key in interrupted:
        mine = exp / "runs" / key
        assert json.loads((mine / "summary.json").read_text())["resumed_from_epoch"] > 0, "resumed, not restarted"
        assert metrics_without_seconds(mine) == metrics_without_seconds(ref / "runs" / key)
        assert (mine / "model.npz").read_bytes() == (ref / "runs" / key / "model.npz").read_bytes()
