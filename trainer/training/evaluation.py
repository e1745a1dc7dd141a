"""One evaluation of a model on arrays: its loss and metrics, as the loop records them after every epoch.

The loop and `trainer evaluate` both call `evaluate_model`, so a saved model re-evaluated on the same
rows gives the numbers metrics.csv holds, bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..autograd import Tensor, from_numpy, no_grad
from ..metrics import compute_metrics
from ..nn import Module


def evaluate_model(model: Module, x: np.ndarray, y: np.ndarray, *, metrics: Sequence[str], logits: bool,
                   predictions: Callable[[np.ndarray], np.ndarray],
                   loss_fn: Callable[[Tensor, Tensor], Tensor] | None = None) -> dict[str, float]:
    """`loss` (when `loss_fn` is given) and every metric of `model` on `(x, y)`, in eval mode under no_grad.

    `y` is encoded as the loss reads it; `predictions` maps the raw output to what metrics compare with it.
    The model is put back in the mode it was in.
    """
    out: dict[str, float] = {}
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            pred = model(from_numpy(x))
            if loss_fn is not None:
                out["loss"] = float(loss_fn(pred, from_numpy(y)).item())
    finally:
        model.train(was_training)
    out.update(compute_metrics(tuple(metrics), predictions(pred.numpy()), y, logits=logits))
    return out
