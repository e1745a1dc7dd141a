"""Evaluation metrics on numpy arrays: accuracy for classification, mae/mse/rmse/r2 for regression."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .fused import REGRESSION, RegressionTarget, regression_metrics


class Metric(NamedTuple):
    """A metric: its function, the task it applies to, and whether larger is better."""

    name: str
    fn: Callable[..., float]
    task: str
    higher_is_better: bool
    doc: str


def accuracy(pred: np.ndarray, target: np.ndarray, *, logits: bool = True) -> float:
    """Fraction of correct labels.

    `pred` (n, C) with C > 1 is scored by argmax against integer (or one-hot) targets; a single
    column (or a 1-D vector) is a binary score, thresholded at 0 for logits or 0.5 for probabilities.
    """
    pred = np.asarray(pred)
    target = np.asarray(target)
    labels = predicted_labels(pred, logits=logits)
    if pred.ndim == 2 and pred.shape[1] > 1:
        truth = target.argmax(axis=1) if target.ndim == 2 and target.shape[1] == pred.shape[1] else target
    else:
        truth = target > 0.5
    return float(np.mean(labels == np.asarray(truth).reshape(-1)))


def predicted_labels(pred: np.ndarray, *, logits: bool = True) -> np.ndarray:
    """Class indices `(n,)` as accuracy reads them: argmax of several columns, or one score thresholded
    at 0 (logits) or 0.5 (probabilities)."""
    pred = np.asarray(pred)
    if pred.ndim == 2 and pred.shape[1] > 1:
        return pred.argmax(axis=1)
    return (pred > (0.0 if logits else 0.5)).astype(np.int64).reshape(-1)


def _flat(pred: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    return pred.reshape(pred.shape[0], -1), target.reshape(target.shape[0], -1)


def mse(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean squared error over all elements."""
    p, t = _flat(pred, target)
    return float(np.mean((p - t) ** 2))


def rmse(pred: np.ndarray, target: np.ndarray) -> float:
    """Root mean squared error."""
    return float(np.sqrt(mse(pred, target)))


def mae(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean absolute error over all elements."""
    p, t = _flat(pred, target)
    return float(np.mean(np.abs(p - t)))


def r2(pred: np.ndarray, target: np.ndarray) -> float:
    """Coefficient of determination, averaged uniformly over output columns (scikit-learn's default)."""
    p, t = _flat(pred, target)
    ss_res = np.sum((t - p) ** 2, axis=0)
    ss_tot = np.sum((t - t.mean(axis=0)) ** 2, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(ss_tot > 0, 1.0 - ss_res / ss_tot, np.where(ss_res == 0, 1.0, 0.0))
    return float(np.mean(scores))


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("accuracy", accuracy, "classification", True, "fraction of correctly predicted labels"),
        Metric("mae", mae, "regression", False, "mean absolute error"),
        Metric("mse", mse, "regression", False, "mean squared error"),
        Metric("rmse", rmse, "regression", False, "root mean squared error"),
        Metric("r2", r2, "regression", True, "coefficient of determination"),
    )
}

DEFAULT_METRICS = {"classification": ("accuracy",), "regression": ("mae", "r2")}


def default_metrics(task: str) -> tuple[str, ...]:
    """The metrics computed when the config names none (`binary` and `multiclass` are classification)."""
    return DEFAULT_METRICS["regression" if task == "regression" else "classification"]


def compute_metrics(names: tuple[str, ...] | list[str], pred: np.ndarray, target: np.ndarray, *,
                    logits: bool = True) -> dict[str, float]:
    """Every named metric of `pred` against `target` (regression ones in one fused pass)."""
    if names and REGRESSION.issuperset(names):
        return regression_metrics(names, pred, target)
    out: dict[str, float] = {}
    for name in names:
        metric = METRICS[name]
        out[name] = metric.fn(pred, target, logits=logits) if name == "accuracy" else metric.fn(pred, target)
    return out


def metric_scorer(names: tuple[str, ...] | list[str], target: np.ndarray, *, logits: bool = True
                  ) -> Callable[[np.ndarray], dict[str, float]]:
    """`compute_metrics(names, pred, target)` as a function of `pred` alone, for one target scored again and again."""
    names = tuple(names)
    if names and REGRESSION.issuperset(names):
        return RegressionTarget(names, target)
    return lambda pred: compute_metrics(names, pred, target, logits=logits)


def higher_is_better(column: str) -> bool:
    """Whether a metrics column (`val_accuracy`, `train_loss`, ...) improves upwards."""
    name = column.split("_", 1)[1] if column.startswith(("train_", "val_")) else column
    metric = METRICS.get(name)
    return bool(metric and metric.higher_is_better)
