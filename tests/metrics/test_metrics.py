"""Metrics, early stopping and the summary's best values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainer.metrics.evaluate import accuracy, compute_metrics, default_metrics, higher_is_better, mae, r2, rmse
from trainer.training.early_stopping import EarlyStopping
from trainer.training.summary import best_of, build_summary


def test_accuracy_multiclass_binary_logits_and_probabilities():
    logits = np.array([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]])
    assert accuracy(logits, np.array([0, 1, 1])) == pytest.approx(2 / 3)
    assert accuracy(np.array([[1.5], [-0.2]]), np.array([1, 0])) == 1.0
    assert accuracy(np.array([[0.7], [0.4]]), np.array([[1.0], [1.0]]), logits=False) == 0.5


def test_regression_metrics():
    pred = np.array([[1.0], [2.0], [3.0]])
    target = np.array([[1.0], [2.0], [5.0]])
    assert mae(pred, target) == pytest.approx(2 / 3)
    assert rmse(pred, target) == pytest.approx(math.sqrt(4 / 3))
    assert r2(target, target) == 1.0
    assert r2(np.full((3, 1), target.mean()), target) == pytest.approx(0.0)
    assert compute_metrics(["mae", "mse"], pred, target) == {"mae": pytest.approx(2 / 3), "mse": pytest.approx(4 / 3)}


def test_defaults_and_direction():
    assert default_metrics("regression") == ("mae", "r2")
    assert default_metrics("multiclass") == ("accuracy",) and default_metrics("binary") == ("accuracy",)
    assert higher_is_better("val_accuracy") and higher_is_better("train_r2")
    assert not higher_is_better("val_loss") and not higher_is_better("val_mae")


def test_early_stopping_patience_and_min_delta():
    stop = EarlyStopping("val_loss", patience=2, min_delta=0.1)
    assert [stop.update(e, v) for e, v in enumerate([1.0, 0.95, 0.8, 0.79, 0.78], start=1)] == [
        False, False, False, False, True]
    assert stop.best == 0.8 and stop.best_epoch == 3
    again = EarlyStopping("val_loss", patience=2)
    again.load_state_dict(stop.state_dict())
    assert again.state_dict() == stop.state_dict()


def test_early_stopping_max_mode_and_nan():
    stop = EarlyStopping("val_accuracy", patience=1, mode="max")
    assert not stop.update(1, 0.5)
    assert stop.update(2, math.nan)


def test_summary_best_and_final_values():
    history = [{"epoch": 1, "train_loss": 3.0, "val_accuracy": 0.5, "lr": 0.1, "seconds": 0.1},
               {"epoch": 2, "train_loss": 1.0, "val_accuracy": 0.9, "lr": 0.1, "seconds": 0.1},
               {"epoch": 3, "train_loss": math.nan, "val_accuracy": None, "lr": 0.1, "seconds": 0.1}]
    columns = ["epoch", "train_loss", "val_accuracy", "lr", "seconds"]
    summary = build_summary(history, columns, status="diverged", epochs=10, monitor="train_loss", wall_time=1.0,
                            extra={"seed": 0})
    assert summary["final_train_loss"] is None and summary["best_train_loss"] == 1.0
    assert summary["best_val_accuracy"] == 0.9 and summary["best_val_accuracy_epoch"] == 2
    assert summary["best_epoch"] == 2 and summary["epochs_run"] == 3 and summary["seed"] == 0
    assert best_of([], "train_loss") == (None, None)
