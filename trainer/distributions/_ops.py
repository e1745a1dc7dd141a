"""Small differentiable functions torch.distributions takes from torch.nn.functional (which this package
may not import): `logsigmoid`, `softplus`, `binary_cross_entropy_with_logits`, `one_hot`."""

from __future__ import annotations

import numpy as np

from ..autograd import Tensor


def _sigmoid(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def log_sigmoid(x: Tensor) -> Tensor:
    """log(sigmoid(x)), computed stably."""
    a = x._array
    out = np.minimum(a, 0) - np.log1p(np.exp(-np.abs(a)))
    return Tensor._make(out, (x,), lambda g: (g * _sigmoid(-a),), "LogSigmoid")


def softplus(x: Tensor) -> Tensor:
    """F.softplus(x) with beta=1, threshold=20 (linear above the threshold)."""
    a = x._array
    with np.errstate(over="ignore"):
        out = np.where(a > 20, a, np.log1p(np.exp(np.minimum(a, 20))))
    return Tensor._make(out, (x,), lambda g: (np.where(a > 20, g, g * _sigmoid(a)),), "Softplus")


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
    """Elementwise (reduction="none"): (1 - target) * input - log_sigmoid(input)."""
    return (1 - target) * input - log_sigmoid(input)


def one_hot(indices: Tensor, num_classes: int) -> Tensor:
    """F.one_hot: an int64 tensor with a trailing dimension of `num_classes`."""
    idx = indices._array
    return Tensor._wrap((idx[..., None] == np.arange(num_classes)).astype(np.int64))

