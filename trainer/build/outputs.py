"""How a trained model's raw outputs read as predictions: values, class labels, class probabilities.

The loss decides (its catalogue facts): one logit per class (softmax), one binary logit or probability,
a -1/+1 margin, or regression values; labels follow the accuracy metric's rule, so a prediction is what
the metrics scored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..autograd.more_ops import log_softmax_array
from ..config.registry import lookup
from ..config.schema import RunConfig
from ..errors import UserError
from ..metrics import predicted_labels
from ..nn.functional.activations import sigmoid_array
from .targets import point_prediction


@dataclass(frozen=True)
class OutputReader:
    """Reads model outputs for one loss: `values` (what metrics see), `labels` (class indices), `proba`."""

    loss: str
    targets: str  # the loss's target kind (config.registry.LossFacts.targets)
    classification: bool
    logits: bool
    point: Callable[[np.ndarray], np.ndarray] | None = None

    def values(self, output: np.ndarray) -> np.ndarray:
        """The output as the metrics compared it with the targets (e.g. gaussian_nll's mean columns)."""
        return output if self.point is None else self.point(output)

    def labels(self, output: np.ndarray) -> np.ndarray:
        """Class indices `(n,)`."""
        return predicted_labels(self.values(output), logits=self.logits)

    @property
    def has_proba(self) -> bool:
        """Whether the outputs model class probabilities (a margin loss such as hinge_embedding's do not)."""
        return self.classification and (self.targets != "sign" or self.loss == "soft_margin")

    def proba(self, output: np.ndarray) -> np.ndarray:
        """`(n, n_classes)` probabilities: softmax of per-class scores, or P(class 0), P(class 1) for one score."""
        if not self.has_proba:
            what = "class labels" if self.classification else "values"
            raise UserError(f"'{self.loss}' outputs {what}, not class probabilities", key="--proba",
                            hint="drop --proba to get the predicted " + ("labels" if self.classification else "values"))
        pred = np.asarray(self.values(output))
        if pred.ndim == 2 and pred.shape[1] > 1:
            return np.exp(log_softmax_array(pred, 1))
        p1 = sigmoid_array(pred) if self.logits else np.clip(pred, 0.0, 1.0)
        p1 = p1.reshape(-1, 1)
        return np.concatenate([1.0 - p1, p1], axis=1)


def output_reader(cfg: RunConfig, task: str) -> OutputReader:
    """The reader of this config's model outputs; `task` is the data's (regression, binary or multiclass)."""
    facts = lookup("loss", cfg.loss.type).loss
    return OutputReader(loss=cfg.loss.type, targets=facts.targets, classification=task != "regression",
                        logits=facts.logits, point=point_prediction(cfg.loss.type, cfg.loss.model_dump()))
