"""A checkpoint costs O(parameters + optimizer state): no history inside it, metrics.csv only appended to."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import trainer
from trainer.errors import UserError
from trainer.training import Callback, atomic, metrics_log
from trainer.training.checkpoint import load_checkpoint

from ..cli.helpers import SEED, invoke, metrics_without_seconds

EVERY = ["training.checkpoint_every=10", "training.log_every=1"]


class SizesAt(Callback):
    """checkpoint.npz's size after each checkpoint epoch."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir, self.sizes = run_dir, {}

    def on_epoch_end(self, state, event):
        if event.epoch % 10 == 0:
            self.sizes[event.epoch] = (self.run_dir / "checkpoint.npz").stat().st_size


def test_checkpoint_size_does_not_grow_with_epochs(tmp_path):
    sizes = SizesAt(tmp_path / "run")
    trainer.run(SEED, out=tmp_path / "run", overrides=["training.epochs=1000", *EVERY], callbacks=[sizes])
    assert abs(sizes.sizes[1000] - sizes.sizes[10]) < 64  # a few digits of elapsed time and the like
    with np.load(tmp_path / "run" / "checkpoint.npz", allow_pickle=False) as npz:
        assert "history" not in json.loads(str(npz["__state__"][()]))


def test_metrics_csv_bytes_written_are_the_rows_once(tmp_path, monkeypatch):
    written: dict[str, int] = {}
    checkpoints: list[int] = []
    write_bytes, append_rows = atomic.write_bytes, metrics_log.append_rows

    def counting_write(path, data, **options):
        written[Path(path).name] = written.get(Path(path).name, 0) + len(data)
        if Path(path).name == "checkpoint.npz":
            checkpoints.append(len(data))
        return write_bytes(path, data, **options)

    def counting_append(path, columns, rows):
        n = append_rows(path, columns, rows)
        written[Path(path).name] = written.get(Path(path).name, 0) + n
        return n

    monkeypatch.setattr(atomic, "write_bytes", counting_write)
    monkeypatch.setattr(metrics_log, "append_rows", counting_append)
    run = tmp_path / "run"
    trainer.run(SEED, out=run, overrides=["training.epochs=1000", *EVERY])
    assert written["metrics.csv"] == (run / "metrics.csv").stat().st_size  # every byte written once
    assert len(checkpoints) == 101 and max(checkpoints) - min(checkpoints) < 64  # every checkpoint costs the same


def test_history_is_rebuilt_from_metrics_csv_dropping_rows_after_the_checkpoint(tmp_path):
    overrides = ["training.epochs=30", *EVERY]
    ref, run, killed = tmp_path / "ref", tmp_path / "run", tmp_path / "killed"
    trainer.run(SEED, out=ref, overrides=overrides)

    class CopyAt(Callback):  # the run directory as a SIGKILL at epoch 14 would leave it
        def on_epoch_end(self, state, event):
            if event.epoch == 14:
                shutil.copytree(run, killed)

    trainer.run(SEED, out=run, overrides=overrides, callbacks=[CopyAt()])
    with open(killed / "metrics.csv", "a") as f:  # rows after the checkpoint, the last one cut off mid-write
        f.write("99,1.0,2.0,3.0,0.08,0.1\n15,0.123")
    snap, _ = load_checkpoint(killed / "checkpoint.npz")
    assert snap.epoch == 10 and [r["epoch"] for r in snap.history] == list(range(1, 11))
    assert invoke("run", "--resume", killed, "-q").exit_code == 0
    assert metrics_without_seconds(killed) == metrics_without_seconds(ref)
    assert (killed / "model.npz").read_bytes() == (ref / "model.npz").read_bytes()
    a, b = (json.loads((d / "summary.json").read_text()) for d in (ref, killed))
    same = [k for k in a if k.startswith(("best_", "final_"))]
    assert same and {k: a[k] for k in same} == {k: b[k] for k in same}


def test_a_checkpoint_whose_rows_are_missing_is_a_user_error(tmp_path):
    run = tmp_path / "run"
    trainer.run(SEED, out=run, overrides=["training.epochs=20", *EVERY])
    lines = (run / "metrics.csv").read_text().splitlines(keepends=True)
    (run / "metrics.csv").write_text("".join(lines[:5]))
    with pytest.raises(UserError, match="holds 4 whole rows but the checkpoint is at epoch 20"):
        load_checkpoint(run / "checkpoint.npz")
