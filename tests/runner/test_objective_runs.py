"""Objective runs: Adam finds the minimum, noisy runs are reproducible and resume bit-identically."""

from __future__ import annotations

import time

import pytest

import trainer
from trainer.training import Callback


def objective(kind: str, epochs: int, lr: float, **settings):
    return {"name": kind, "objective": {"type": kind, **settings}, "optimizer": {"type": "adam", "lr": lr},
            "training": {"epochs": epochs, "log_every": epochs}}


@pytest.mark.parametrize(("kind", "lr", "epochs"), [("rosenbrock", 0.5, 1500), ("booth", 0.2, 600)])
def test_adam_from_the_default_start_reaches_the_minimum(tmp_path, kind, lr, epochs):
    started = time.perf_counter()
    result = trainer.run(objective(kind, epochs, lr), out=tmp_path / kind)
    last = result.history[-1]
    assert last["distance_to_minimum"] < 1e-3 and last["f"] < 1e-6
    assert time.perf_counter() - started < 30  # about 0.3 ms a step on a laptop


class InterruptAt(Callback):
    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    def on_epoch_end(self, state, event):
        if event.epoch == self.epoch:
            raise KeyboardInterrupt


def without_seconds(run_dir):
    return [line.rsplit(",", 1)[0] for line in (run_dir / "metrics.csv").read_text().splitlines()]


def test_a_noisy_run_resumes_bit_identically(tmp_path):
    config = objective("himmelblau", 40, 0.05, noise=2.0)
    config["training"]["checkpoint_every"] = 10
    ref = trainer.run(config, out=tmp_path / "ref")
    with pytest.raises(KeyboardInterrupt):
        trainer.run(config, out=tmp_path / "run", callbacks=[InterruptAt(17)])
    resumed = trainer.run(resume=tmp_path / "run")
    assert resumed.summary["resumed_from_epoch"] == 17
    assert without_seconds(tmp_path / "ref") == without_seconds(tmp_path / "run")
    assert (tmp_path / "ref" / "model.npz").read_bytes() == (tmp_path / "run" / "model.npz").read_bytes()
    assert ref.history[-1]["x"] == resumed.history[-1]["x"]


def test_noise_is_reproducible_per_seed(tmp_path):
    config = objective("quadratic", 30, 0.05, dimension=5, condition_number=100.0, noise=0.1)
    first = trainer.run(config, out=tmp_path / "a").history
    again = trainer.run(config, out=tmp_path / "b").history
    other = trainer.run({**config, "seed": 1}, out=tmp_path / "c").history
    clean = trainer.run({**config, "objective": {**config["objective"], "noise": 0.0}}, out=tmp_path / "d").history
    assert [r["f"] for r in first] == [r["f"] for r in again]
    assert [r["f"] for r in first] != [r["f"] for r in other]
    assert first[0]["train_loss"] == clean[0]["train_loss"]  # the noise is on the gradient, not on f
    assert first[-1]["f"] != clean[-1]["f"]


def test_float32_is_honoured_when_asked(tmp_path):
    config = objective("booth", 5, 0.1)
    config["training"]["dtype"] = "float32"
    result = trainer.run(config, out=tmp_path / "run")
    assert result.model.point.dtype == trainer.float32 and result.config["training"]["dtype"] == "float32"


def test_lbfgs_and_schedulers_work_on_objectives(tmp_path):
    config = objective("rosenbrock", 30, 1.0)
    config["optimizer"] = {"type": "lbfgs", "lr": 1.0, "line_search_fn": "strong_wolfe"}
    assert trainer.run(config, out=tmp_path / "lbfgs").history[-1]["distance_to_minimum"] < 1e-6
    config = objective("booth", 50, 0.5)
    config["scheduler"] = {"type": "cosine"}
    result = trainer.run(config, out=tmp_path / "cosine")
    assert result.config["scheduler"]["T_max"] == 50 and result.history[-1]["lr"] < 0.01


def test_early_stopping_can_watch_the_distance_and_coordinates_have_no_best(tmp_path):
    config = objective("booth", 500, 0.5)
    config["training"]["early_stopping"] = {"patience": 3, "monitor": "distance_to_minimum", "min_delta": 0.01}
    result = trainer.run(config, out=tmp_path / "run")
    assert result.summary["stop_reason"] == "early_stopping" and len(result.history) < 500
    assert result.summary["monitor"] == "distance_to_minimum"
    assert result.summary["final_x"] == result.history[-1]["x"] and "best_x" not in result.summary
