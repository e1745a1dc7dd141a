"""The tensorboard logger and `trainer export tensorboard`, read back with tensorboard's own EventAccumulator."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

import trainer
from trainer.training.callbacks import Callback
from trainer.training.run_files import parse_metrics

from ..cli.helpers import SEED, invoke

EPOCHS = 6


def read(logdir: Path) -> EventAccumulator:
    acc = EventAccumulator(str(logdir), size_guidance={"scalars": 0, "tensors": 0})
    acc.Reload()
    return acc


def hparams_of(acc: EventAccumulator) -> dict[str, object]:
    """The session's hparams (name → value) as the HParams plugin reads them."""
    content = acc.PluginTagToContent("hparams")["_hparams_/session_start_info"]
    data = plugin_data_pb2.HParamsPluginData.FromString(content)
    out = {}
    for name, value in data.session_start_info.hparams.items():
        kind = value.WhichOneof("kind")
        out[name] = getattr(value, kind)
    return out


def assert_every_epoch(logdir: Path, run_dir: Path) -> None:
    """Each metrics.csv column is a scalar with one event per epoch, the csv value in float32 (TensorBoard's).

    A diverged epoch's NaN/inf cells are not logged."""
    rows = parse_metrics((run_dir / "metrics.csv").read_bytes())
    acc = read(logdir)
    for column in rows[0]:
        if column == "epoch":
            continue
        cells = [(r["epoch"], r[column]) for r in rows if r[column] is not None and math.isfinite(r[column])]
        events = acc.Scalars(column)
        assert [e.step for e in events] == [epoch for epoch, _ in cells], column
        with np.errstate(over="ignore"):  # TensorBoard keeps float32: a diverging run's 1e46 is -inf there
            expected = [float(np.float32(value)) for _, value in cells]
        assert [e.value for e in events] == expected, column


class CopyCheckpointAt(Callback):
    """Keeps a copy of checkpoint.npz as it was after `epoch` (to play a run killed later)."""

    def __init__(self, run_dir: Path, epoch: int, to: Path) -> None:
        self.run_dir, self.epoch, self.to = run_dir, epoch, to

    def on_epoch_end(self, state, event) -> None:
        if event.epoch == self.epoch:
            shutil.copy(self.run_dir / "checkpoint.npz", self.to)


def test_a_run_logs_every_epoch_and_its_config_as_hparams(tmp_path: Path) -> None:
    out = tmp_path / "run"
    trainer.run(SEED, out=out, overrides=[f"training.epochs={EPOCHS}", "training.loggers=[tensorboard]"])
    assert_every_epoch(out / "tb", out)
    acc = read(out / "tb")
    params = hparams_of(acc)
    assert params["optimizer.type"] == "adam" and params["optimizer.lr"] == pytest.approx(0.08)
    assert params["model.layers.0.out_features"] == 32 and params["status"] == "completed"
    summary = json.loads((out / "summary.json").read_text())
    final = acc.Scalars("final_train_loss")
    assert [(e.step, e.value) for e in final] == [(EPOCHS, pytest.approx(summary["final_train_loss"], rel=1e-6))]


def test_a_resumed_run_shows_each_epoch_once(tmp_path: Path) -> None:
    """A run killed after epoch 6 with its checkpoint at 4 logged 5 and 6 already: the resume's purge hides them."""
    out, saved = tmp_path / "run", tmp_path / "checkpoint-4.npz"
    trainer.run(SEED, out=out, overrides=[f"training.epochs={EPOCHS}", "training.loggers=[tensorboard]",
                                          "training.checkpoint_every=4"],
                callbacks=[CopyCheckpointAt(out, 4, saved)])
    shutil.copy(saved, out / "checkpoint.npz")
    (out / "summary.json").unlink()
    trainer.run(resume=out)
    assert len(list((out / "tb").glob("events.out.tfevents.*"))) == 2
    assert_every_epoch(out / "tb", out)


def test_export_of_a_run_and_a_compare(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    trainer.run(SEED, out=run_dir, overrides=["training.epochs=4"])
    assert not (run_dir / "tb").exists()
    result = invoke("export", "tensorboard", run_dir)
    assert result.exit_code == 0, result.output
    assert_every_epoch(run_dir / "tb", run_dir)
    assert invoke("export", "tensorboard", run_dir).exit_code == 0  # again: replaced, not doubled
    assert_every_epoch(run_dir / "tb", run_dir)

    cmp = tmp_path / "cmp"
    result = invoke("compare", SEED, "-O", "adam,sgd", "--set", "training.epochs=4", "--out", cmp, "-j", 1,
                    "--logger", "tensorboard", "--quiet")
    assert result.exit_code == 0, result.output
    runs = sorted((cmp / "runs").iterdir())
    assert len(runs) == 2
    assert json.loads((cmp / "runs" / "sgd" / "summary.json").read_text())["status"] == "diverged"
    for run in runs:  # the compare's own logger: each run's tb/
        assert_every_epoch(run / "tb", run)
    result = invoke("export", "tensorboard", cmp, "--to", tmp_path / "tb")
    assert result.exit_code == 0, result.output
    types = set()
    for run in runs:  # one HParams session per run, each naming its optimizer
        assert_every_epoch(tmp_path / "tb" / run.name, run)
        types.add(hparams_of(read(tmp_path / "tb" / run.name))["optimizer.type"])
    assert types == {"adam", "sgd"}
