"""User errors say what is true: the file, the dotted key, the cause and a hint; exit 2, never a traceback."""

from __future__ import annotations

from .helpers import CONFIGS, SEED, invoke

SEED_TEXT = SEED.read_text()


def write(tmp_path, text: str, name: str = "config.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(result, *words: str) -> str:
    """The stderr of a run refused with exit 2, checked to hold every word."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def test_extending_an_inferred_onecycle_on_resume_says_why_it_cannot(tmp_path):
    run = tmp_path / "run"
    assert invoke("run", CONFIGS / "blobs_onecycle.yaml", "--out", run, "-q", "--set", "training.epochs=4",
                  "--set", "training.checkpoint_every=2").exit_code == 0
    err = refused(invoke("run", "--resume", run, "--set", "training.epochs=6"),
                  str(run / "config.yaml"), "training.epochs", "total_steps = 24 (4 epochs × 6 batches)",
                  "cannot extend it to 6 epochs", "start a new run", "--set training.epochs=6")
    assert "leave total_steps" not in err


def test_a_too_short_onecycle_in_a_new_run_still_says_leave_total_steps_out(tmp_path):
    config = write(tmp_path, SEED_TEXT.replace("optimizer: {type: adam, lr: 0.08}",
                                               "optimizer: {type: adam, lr: 0.08}\n"
                                               "scheduler: {type: onecycle, max_lr: 0.1, total_steps: 10}"))
    refused(invoke("validate", config), "scheduler", "onecycle is 10 steps long", "leave total_steps")
