"""What each loss expects of the data: regression values or class labels, their encoding, the output width."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..data import Dataset


@dataclass(frozen=True)
class LossTarget:
    """How a loss reads targets.

    kind: `regression` (float, same shape as the output), `gaussian` (output holds mean and log-variance
    columns), `index` (int64 class indices, one output per class), `binary` (float 0/1, one output),
    `sign` (float -1/+1, one output) or `distribution` (probabilities; one-hot for class labels).
    `classification`: the loss wants class labels. `logits`: a binary output is thresholded at 0 (else 0.5).
    """

    kind: str
    classification: bool
    logits: bool = True


_TARGETS = {
    **{name: LossTarget("regression", False) for name in ("mse", "l1", "smooth_l1", "huber", "poisson_nll")},
    "gaussian_nll": LossTarget("gaussian", False),
    "cross_entropy": LossTarget("index", True),
    "nll": LossTarget("index", True),
    "bce": LossTarget("binary", True, logits=False),
    "bce_with_logits": LossTarget("binary", True),
    "hinge_embedding": LossTarget("sign", True),
    "soft_margin": LossTarget("sign", True),
    "kl_div": LossTarget("distribution", True),
}


def loss_target(loss_type: str) -> LossTarget:
    """The target convention of a loss (by canonical name)."""
    return _TARGETS[loss_type]


def output_width(target: LossTarget, data: Dataset) -> int:
    """How many outputs the model's last layer must give for this loss and data."""
    if target.kind in ("binary", "sign"):
        return 1
    if target.kind == "gaussian":
        return 2 * data.out_features
    return data.out_features


def convert_targets(target: LossTarget, data: Dataset) -> Dataset:
    """The dataset with its targets encoded as the loss expects (class labels -> 0/1, -1/+1 or one-hot)."""
    if not data.is_classification or target.kind == "index":
        return data
    dtype = data.x_train.dtype

    def encode(y: np.ndarray | None) -> np.ndarray | None:
        if y is None:
            return None
        if target.kind == "distribution":
            return np.eye(int(data.n_classes), dtype=dtype)[y]
        if target.kind == "sign":
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
