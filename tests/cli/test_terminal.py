"""The display on a real terminal (a pseudo-terminal of fixed size): the run's progress bar counts batches inside
a long epoch, and a compare shows one live line instead of a line per run; on a pipe the lines stay as they were."""

from __future__ import annotations

import subprocess

from .helpers import SEED, TRAINER_BIN, plain_env, run_in_pty, screen_lines

OPTIMIZERS = "adam,adamw,rmsprop,adagrad"  # all four converge at the seed config's lr 0.08


def test_a_long_epoch_shows_its_batch_count(tmp_path):
    # 12000 rows in batches of 4: one epoch of 3000 steps, enough batches to show them from the first
    code, raw = run_in_pty("run", SEED, "--out", tmp_path / "r", "--set", "data.n=12000", "--set",
                           "training.batch_size=4", "--set", "training.epochs=1")
    assert code == 0, raw
    screen = "\n".join(screen_lines(raw))
    assert "epoch 1/1" in screen and "/3000" in screen and "batch " in screen, screen[-2000:]
    assert "run completed" in screen


def test_compare_on_a_terminal_is_one_live_line(tmp_path):
    code, raw = run_in_pty("compare", SEED, "--optimizers", OPTIMIZERS, "--set", "training.epochs=5",
                           "--out", tmp_path / "cmp", "--jobs", "2")
    assert code == 0, raw
    lines = screen_lines(raw)
    live = [line for line in lines if line.startswith("compare ") and "done" in line]
    assert live and "done 4/4" in live[-1] and "best train_loss" in live[-1], raw[-3000:]
    assert not any(line.lstrip().startswith(("[1/4]", "[4/4]")) for line in lines)  # no line per run
    assert any("compare: " in line and "seed.yaml" in line for line in lines)  # the table's title follows


def test_compare_on_a_pipe_keeps_a_line_per_run(tmp_path):
    done = subprocess.run([str(TRAINER_BIN), "compare", str(SEED), "--optimizers", "adam,adamw", "--set",
                           "training.epochs=3", "--out", str(tmp_path / "cmp"), "--jobs", "2"],
                          capture_output=True, text=True, timeout=180, env=plain_env())
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "compare: 2 runs" and "\x1b" not in done.stdout
    assert sorted(line.split()[0] for line in lines if line.startswith("[")) == ["[1/2]", "[2/2]"]
    assert "done 2/2" not in done.stdout
