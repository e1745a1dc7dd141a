"""Checkpoints and `--resume`: a resumed run ends byte-identical to one that was never interrupted."""

from __future__ import annotations

import json
import shutil

import numpy as np

import trainer
from trainer.training import Callback
from trainer.training.checkpoint import load_checkpoint, save_checkpoint

from .helpers import CONFIGS, SEED, invoke, metrics_rows, metrics_without_seconds

CONFIG = CONFIGS / "blobs_onecycle.yaml"  # batches, shuffling, dropout, a per-batch scheduler, validation
SETTINGS = ["training.epochs=8"]


class InterruptAt(Callback):
    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    def on_epoch_end(self, state, event):
        if event.epoch == self.epoch:
            raise KeyboardInterrupt


class CopyRunDirAt(Callback):
    """Copies the run directory as it is on disk at the end of an epoch: what a SIGKILL would leave."""

    def __init__(self, epoch: int, run_dir, dest) -> None:
        self.epoch, self.run_dir, self.dest = epoch, run_dir, dest

    def on_epoch_end(self, state, event):
        if event.epoch == self.epoch:
            shutil.copytree(self.run_dir, self.dest)


def reference(tmp_path, overrides=SETTINGS, config=CONFIG):
    ref = tmp_path / "ref"
    assert invoke("run", config, "--out", ref, "-q", *[a for o in overrides for a in ("--set", o)]).exit_code == 0
    return ref


def assert_same_run(a, b):
    assert metrics_without_seconds(a) == metrics_without_seconds(b)
    assert (a / "model.npz").read_bytes() == (b / "model.npz").read_bytes()


def test_interrupted_run_resumes_bit_identically(tmp_path):
    ref = reference(tmp_path)
    run = tmp_path / "run"
    try:
        trainer.run(CONFIG, out=run, overrides=SETTINGS, callbacks=[InterruptAt(3)])
    except KeyboardInterrupt:
        pass
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "interrupted" and summary["epochs_run"] == 3
    snap, _ = load_checkpoint(run / "checkpoint.npz")
    assert snap.epoch == 3 and len(snap.history) == 3
    with np.load(run / "checkpoint.npz", allow_pickle=False) as npz:
        assert "__state__" in npz.files

    result = invoke("run", "--resume", run)
    assert result.exit_code == 0, result.output
    assert "resuming after epoch 3 of 8" in result.stdout
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "completed" and summary["resumed_from_epoch"] == 3 and summary["epochs_run"] == 8
    assert_same_run(ref, run)


def test_resume_from_a_periodic_checkpoint_after_a_hard_kill(tmp_path):
    overrides = [*SETTINGS, "training.checkpoint_every=3"]
    ref = reference(tmp_path, overrides)
    run, killed = tmp_path / "run", tmp_path / "killed"
    trainer.run(CONFIG, out=run, overrides=overrides, callbacks=[CopyRunDirAt(5, run, killed)])
    assert not (killed / "summary.json").exists()
    assert load_checkpoint(killed / "checkpoint.npz")[0].epoch == 3
    assert invoke("run", "--resume", killed, "-q").exit_code == 0
    assert_same_run(ref, killed)
    assert_same_run(ref, run)
    assert load_checkpoint(run / "checkpoint.npz")[0].epoch == 8  # a checkpointing run also saves its end


def test_resume_can_extend_a_completed_run(tmp_path):
    ref = reference(tmp_path, ["training.epochs=30"], SEED)
    run = tmp_path / "run"
    assert invoke("run", SEED, "--out", run, "-q", "--set", "training.epochs=20",
                  "--set", "training.checkpoint_every=10").exit_code == 0
    done = invoke("run", "--resume", run)
    assert done.exit_code == 2 and "already completed all 20 epochs" in done.stderr
    assert invoke("run", "--resume", run, "-q", "--set", "training.epochs=30").exit_code == 0
    assert [int(r["epoch"]) for r in metrics_rows(run)] == list(range(1, 31))
    assert_same_run(ref, run)


def test_resume_errors(tmp_path):
    run = tmp_path / "run"
    assert invoke("run", SEED, "--out", run, "-q", "--set", "training.epochs=2").exit_code == 0
    no_checkpoint = invoke("run", "--resume", run)
    assert no_checkpoint.exit_code == 2 and "checkpoint_every" in no_checkpoint.stderr
    both = invoke("run", SEED, "--resume", run)
    assert both.exit_code == 2 and "not both" in both.stderr
    nothing = invoke("run", "--resume", tmp_path / "elsewhere")
    assert nothing.exit_code == 2 and "no run to resume" in nothing.stderr


def test_checkpoint_that_does_not_fit_the_model_names_the_parameter(tmp_path):
    run = tmp_path / "run"
    assert invoke("run", SEED, "--out", run, "-q", "--set", "training.epochs=4",
                  "--set", "training.checkpoint_every=2").exit_code == 0
    snap, meta = load_checkpoint(run / "checkpoint.npz")  # as written before checkpoints held their config
    save_checkpoint(run / "checkpoint.npz", snap, {"name": meta["name"]}, history=False)
    import yaml

    edited = yaml.safe_load((run / "config.yaml").read_text())  # someone edits the run's config by hand
    edited["model"]["layers"][0]["out_features"] = 5
    edited["model"]["layers"][2]["in_features"] = 5
    config = yaml.safe_dump(edited)
    (run / "config.yaml").write_text(config)
    result = invoke("run", "--resume", run, "--set", "training.epochs=6")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "'0.weight'" in result.stderr and "(32, 3)" in result.stderr
    assert (run / "config.yaml").read_text() == config


def test_resume_refuses_overrides_that_change_the_run(tmp_path):
    run = tmp_path / "run"
    assert invoke("run", SEED, "--out", run, "-q", "--set", "training.epochs=4",
                  "--set", "training.checkpoint_every=2").exit_code == 0
    for override in ("optimizer.type=sgd", "data.val_fraction=0.2", "seed=3"):
        result = invoke("run", "--resume", run, "--set", override, "--set", "training.epochs=6")
        assert result.exit_code == 2 and "would change the run being resumed" in result.stderr, override
    moved = invoke("run", "--resume", run, "--out", tmp_path / "other", "--set", "training.epochs=6")
    assert moved.exit_code == 2 and "--out" in moved.stderr


def test_resume_after_a_hard_kill_restores_the_same_best_weights(tmp_path):
    """The best epoch's weights are in the checkpoint: killed after the best epoch (19) and resumed, the run
    still ends with that epoch's weights in model.npz and the last epoch's in last_model.npz."""
    config = CONFIGS / "sine_scheduler_early_stopping.yaml"
    overrides = ["training.epochs=40", "training.early_stopping.patience=5", "training.checkpoint_every=3"]
    ref = reference(tmp_path, overrides, config)
    run, killed = tmp_path / "run", tmp_path / "killed"
    trainer.run(config, out=run, overrides=overrides, callbacks=[CopyRunDirAt(22, run, killed)])
    snap, _ = load_checkpoint(killed / "checkpoint.npz")
    assert snap.epoch == 21 and snap.best["epoch"] == 19
    assert invoke("run", "--resume", killed, "-q").exit_code == 0
    assert_same_run(ref, killed)
    assert (ref / "last_model.npz").read_bytes() == (killed / "last_model.npz").read_bytes()
    done = json.loads((killed / "summary.json").read_text())
    assert done["model_epoch"] == done["best_epoch"] == 19 and done["restored_best"] and done["epochs_run"] == 24


def test_an_interrupted_run_keeps_its_last_weights_and_the_best_beside_them(tmp_path):
    config = CONFIGS / "sine_scheduler_early_stopping.yaml"
    overrides = ["training.epochs=40", "training.early_stopping.patience=5"]
    ref = reference(tmp_path, overrides, config)
    run = tmp_path / "run"
    try:
        trainer.run(config, out=run, overrides=overrides, callbacks=[InterruptAt(22)])
    except KeyboardInterrupt:
        pass
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "interrupted" and summary["model_epoch"] == 22 and not summary["restored_best"]
    assert (run / "best_model.npz").is_file() and not (run / "last_model.npz").exists()
    assert invoke("run", "--resume", run, "-q").exit_code == 0
    assert_same_run(ref, run)
    assert not (run / "best_model.npz").exists() and (run / "last_model.npz").is_file()
