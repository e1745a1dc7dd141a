"""Targets as each loss reads them (the facts are the loss's catalogue entry): encoding, output width, predictions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from ..config.registry import LossFacts
from ..data import Dataset


def output_width(facts: LossFacts, data: Dataset) -> int:
    """How many outputs the model's last layer must give for this loss and data."""
    if facts.targets in ("binary", "sign"):
        return 1
    if facts.targets == "gaussian":
        return 2 * data.out_features
    return data.out_features


def convert_targets(facts: LossFacts, data: Dataset) -> Dataset:
    """The dataset with its targets encoded as the loss expects (class labels -> 0/1, -1/+1 or one-hot)."""
    if not data.is_classification or facts.targets == "index":
        return data
    dtype = data.x_train.dtype

    def encode(y: np.ndarray | None) -> np.ndarray | None:
        if y is None:
            return None
        if facts.targets == "distribution":
            return np.eye(int(data.n_classes), dtype=dtype)[y]
        if facts.targets == "sign":
            return np.where(y == 1, 1.0, -1.0).astype(dtype).reshape(-1, 1)
        return y.astype(dtype).reshape(-1, 1)

    return replace(data, y_train=encode(data.y_train), y_val=encode(data.y_val))


def point_prediction(loss_type: str, loss_args: dict[str, Any]) -> Any:
    """A numpy function from the model's output to what metrics compare with the (encoded) targets.

    gaussian_nll: the mean columns; poisson_nll with log_input: exp of the log-rate; hinge_embedding:
    margin/2 - distance (positive means class 1, as for logits). None where the output is used as is.
    """
    if loss_type == "gaussian_nll":
        return lambda pred: pred[:, : pred.shape[1] // 2]
    if loss_type == "poisson_nll" and loss_args.get("log_input", True):
        return np.exp
    if loss_type == "hinge_embedding":
        margin = float(loss_args.get("margin", 1.0))
        return lambda pred: margin / 2 - pred
    return None
