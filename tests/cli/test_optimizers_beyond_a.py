"""Lion, the schedule-free optimizers, Prodigy and ADOPT from YAML in `run`, `compare` and `sweep`, with a scheduler
and gradient clipping; interrupted runs resume bit-identically, schedule-free ones saved at their evaluation point."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import yaml

import trainer
from trainer.training.checkpoint import load_checkpoint

from .helpers import SEED, invoke, metrics_rows
from .test_resume import InterruptAt, assert_same_run

NAMES = ["lion", "adamw_schedule_free", "sgd_schedule_free", "radam_schedule_free", "prodigy", "adopt"]
LR = {"lion": 0.003, "adamw_schedule_free": 0.01, "sgd_schedule_free": 0.001, "radam_schedule_free": 0.01,
      "prodigy": 1.0, "adopt": 0.01}


def _config(tmp_path, name: str, epochs: int = 4, **training) -> str:
    """seed.yaml with this optimizer, a StepLR scheduler, gradient-norm clipping and mini-batches."""
    cfg = yaml.safe_load(SEED.read_text())
    cfg["optimizer"] = {"type": name, "lr": LR[name]}
    cfg["scheduler"] = {"type": "step", "step_size": 2, "gamma": 0.5}
    cfg["training"] = {"epochs": epochs, "batch_size": 25, "log_every": 1, "grad_clip_norm": 1.0, **training}
    cfg["data"]["val_fraction"] = 0.2
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(cfg))
    return str(path)


@pytest.mark.parametrize("name", NAMES)
def test_run_from_yaml_with_a_scheduler_and_clipping(tmp_path, name):
    out = tmp_path / "run"
    result = invoke("run", _config(tmp_path, name), "--out", out, "-q")
    assert result.exit_code == 0, result.output
    rows = metrics_rows(out)
    assert len(rows) == 4 and all(math.isfinite(float(r["val_loss"])) for r in rows)
    assert [float(r["lr"]) for r in rows] == [LR[name], LR[name], LR[name] / 2, LR[name] / 2]
    assert float(rows[-1]["train_loss"]) < float(rows[0]["train_loss"])


def test_compare_runs_every_one(tmp_path):
    result = invoke("compare", _config(tmp_path, "lion", epochs=3), "-O", ",".join(NAMES), "--out", tmp_path / "cmp",
                    "-j", 1, "-q", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sorted(r["variant"] for r in rows) == sorted(NAMES)
    assert all(r["status"] == "completed" for r in rows)


def test_sweep_over_their_types_and_an_argument(tmp_path):
    result = invoke("sweep", _config(tmp_path, "adopt", epochs=2), "--grid", "optimizer.type=" + ",".join(NAMES),
                    "--grid", "optimizer.weight_decay=0,0.01", "--out", tmp_path / "sw", "-j", 1, "-q", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 2 * len(NAMES) and all(r["status"] == "completed" for r in rows)


@pytest.mark.parametrize("name", NAMES)
def test_interrupted_run_resumes_bit_identically_from_its_checkpoint(tmp_path, name):
    """Through the real checkpoint file; a schedule-free one is checkpointed and saved at its average x."""
    config = _config(tmp_path, name, epochs=6, checkpoint_every=1)
    ref = tmp_path / "ref"
    assert invoke("run", config, "--out", ref, "-q").exit_code == 0
    run = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        trainer.run(config, out=run, callbacks=[InterruptAt(3)])
    snap, _ = load_checkpoint(run / "checkpoint.npz")
    assert snap.epoch == 3
    if "schedule_free" in name:
        assert [g["train_mode"] for g in snap.optimizer["param_groups"]] == [False]  # checkpointed at the average
    result = invoke("run", "--resume", run, "-q")
    assert result.exit_code == 0, result.output
    assert_same_run(ref, run)
    snap, _ = load_checkpoint(run / "checkpoint.npz")
    with np.load(run / "model.npz") as saved:
        for name, value in snap.model.items():
            np.testing.assert_array_equal(saved[name], value)  # model.npz is the evaluation point too
