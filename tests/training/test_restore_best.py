"""restore_best and save_best: which weights model.npz, best_model.npz and last_model.npz hold, and the summary."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import trainer
from trainer.training.best import BestWeights, model_files
from trainer.training.state import Snapshot

from ..cli.helpers import CONFIGS, invoke, metrics_rows

SINE = CONFIGS / "sine_scheduler_early_stopping.yaml"  # early stopping on val_loss ends it near epoch 140
SPIRALS = CONFIGS / "spirals.yaml"
SHORT = ["training.epochs=40", "training.early_stopping.patience=5"]


def weights(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def summary(run: Path) -> dict:
    return json.loads((run / "summary.json").read_text())


def best_row(run: Path, column: str = "val_loss", higher: bool = False) -> dict:
    rows = metrics_rows(run)
    sign = -1 if higher else 1
    return min(rows, key=lambda r: (sign * float(r[column]), int(r["epoch"])))


@pytest.fixture(scope="module")
def early(tmp_path_factory):
    run = tmp_path_factory.mktemp("early") / "run"
    trainer.run(SINE, out=run, overrides=SHORT)
    return run


def test_restore_best_puts_the_best_epochs_weights_in_model_npz(early):
    s, best = summary(early), best_row(early)
    assert s["stop_reason"] == "early_stopping" and s["restored_best"] is True
    assert s["best_epoch"] == s["model_epoch"] == int(best["epoch"]) < s["epochs_run"]
    assert not (early / "best_model.npz").exists()
    assert not same(weights(early / "model.npz"), weights(early / "last_model.npz"))


def test_model_npz_reproduces_the_best_epochs_validation_loss_exactly(early):
    result = invoke("evaluate", early, "--json")
    assert result.exit_code == 0, result.output
    values, best = json.loads(result.stdout), best_row(early)
    assert values["model_epoch"] == int(best["epoch"])
    for column in ("val_loss", "val_mae", "val_r2"):
        assert repr(values[column]) == best[column]


def test_last_model_npz_holds_the_last_epochs_weights(early, tmp_path):
    s = summary(early)
    again = tmp_path / "again"
    trainer.run(SINE, out=again, overrides=[*SHORT, "training.early_stopping.restore_best=false"])
    assert summary(again)["restored_best"] is False and summary(again)["model_epoch"] == s["epochs_run"]
    assert same(weights(again / "model.npz"), weights(early / "last_model.npz"))
    assert same(weights(again / "best_model.npz"), weights(early / "model.npz"))
    assert not (again / "last_model.npz").exists()
    last = metrics_rows(again)[-1]
    assert repr(trainer.load_run(again).evaluate()["val_loss"]) == last["val_loss"]


def test_the_python_api_returns_the_restored_model(tmp_path):
    result = trainer.run(SINE, out=tmp_path / "r", overrides=SHORT)
    live = {k: v.numpy() for k, v in result.model.state_dict().items()}
    assert same(live, weights(tmp_path / "r" / "model.npz"))


def test_save_best_without_early_stopping_keeps_best_model_npz(tmp_path):
    run = tmp_path / "run"
    trainer.run(SPIRALS, out=run, overrides=["training.epochs=60", "training.save_best=true"])
    s, best = summary(run), best_row(run)
    assert s["restored_best"] is False and s["model_epoch"] == 60 and s["best_epoch"] == int(best["epoch"]) < 60
    loaded = trainer.load_run(run)
    assert repr(loaded.evaluate()["val_loss"]) == metrics_rows(run)[-1]["val_loss"]
    loaded.model.load_state_dict(weights(run / "best_model.npz"))
    assert repr(loaded.evaluate()["val_loss"]) == best["val_loss"]


def test_save_best_takes_its_own_monitor(tmp_path):
    run = tmp_path / "run"
    trainer.run(SPIRALS, out=run, overrides=["training.epochs=60", "training.save_best={monitor: val_accuracy}"])
    s, best = summary(run), best_row(run, "val_accuracy", higher=True)
    assert s["monitor"] == "val_accuracy" and s["best_epoch"] == int(best["epoch"]) < 60
    loaded = trainer.load_run(run)
    loaded.model.load_state_dict(weights(run / "best_model.npz"))
    assert repr(loaded.evaluate()["val_accuracy"]) == best["val_accuracy"]


def test_without_save_best_or_early_stopping_only_model_npz_is_written(tmp_path):
    run = tmp_path / "run"
    trainer.run(SPIRALS, out=run, overrides=["training.epochs=5"])
    assert not (run / "best_model.npz").exists() and not (run / "last_model.npz").exists()
    assert summary(run)["restored_best"] is False


def test_a_save_best_monitor_other_than_early_stoppings_is_refused(tmp_path):
    result = invoke("run", SINE, "--out", tmp_path / "r", "--set", "training.save_best={monitor: val_mae}")
    assert result.exit_code == 2
    assert "training.save_best.monitor" in result.stderr and "early stopping" in result.stderr


def test_an_unknown_save_best_monitor_is_refused(tmp_path):
    result = invoke("run", SPIRALS, "--out", tmp_path / "r", "--set", "training.save_best={monitor: val_mse}")
    assert result.exit_code == 2 and "training.save_best.monitor" in result.stderr


# ----- the rules, unit by unit ---------------------------------------------------------------------


class Weights:
    def __init__(self, value: float) -> None:
        self.value = value

    def state_dict(self):
        return {"w": np.array([self.value])}


def test_best_weights_keep_the_earliest_best_and_skip_non_finite_values():
    best = BestWeights("val_loss")
    for epoch, value in enumerate([3.0, 2.0, 2.0, float("nan"), 2.5], 1):
        best.update(epoch, value, Weights(epoch))
    assert best.epoch == 2 and best.value == 2.0 and best.model["w"][0] == 2
    higher = BestWeights("val_accuracy")
    for epoch, value in enumerate([0.5, 0.9, 0.7], 1):
        higher.update(epoch, value, Weights(epoch))
    assert higher.epoch == 2


def snapshot(epoch: int, best_epoch: int | None) -> Snapshot:
    best = None if best_epoch is None else {"epoch": best_epoch, "value": 1.0, "model": {"w": np.array([best_epoch])}}
    return Snapshot(epoch=epoch, model={"w": np.array([epoch])}, optimizer={}, scheduler=None, rng={},
                    shuffle_rng={}, history=[], early_stopping=None, elapsed=0.0, best=best)


@pytest.mark.parametrize(("status", "restore", "files", "model_epoch"), [
    ("completed", True, {"model.npz": 4, "last_model.npz": 9}, 4),
    ("diverged", True, {"model.npz": 4, "last_model.npz": 9}, 4),
    ("interrupted", True, {"model.npz": 9, "best_model.npz": 4}, 9),  # resumes from the last weights
    ("completed", False, {"model.npz": 9, "best_model.npz": 4}, 9),
])
def test_model_files(status, restore, files, model_epoch):
    out = model_files(snapshot(9, 4), status, restore)
    assert {name: int(arrays["w"][0]) for name, arrays in out.files.items()} == files
    assert out.model_epoch == model_epoch and out.restored_best == (model_epoch != 9)


@pytest.mark.parametrize("best_epoch", [None, 9])
def test_one_model_file_when_the_best_is_the_last_or_untracked(best_epoch):
    out = model_files(snapshot(9, best_epoch), "completed", True)
    assert list(out.files) == ["model.npz"] and out.model_epoch == 9 and not out.restored_best
