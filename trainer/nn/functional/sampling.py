"""`gumbel_softmax`: a differentiable sample of a categorical distribution (PyTorch's draws for the same seed)."""

from __future__ import annotations

import warnings

import numpy as np

from ...autograd import ops
from ...autograd.tensor import Tensor
from ._util import as_tensor


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim: int = -1) -> Tensor:
    """softmax((logits + g) / tau) with g = -log(Exp(1)) Gumbel noise; `hard` gives the one-hot of its argmax in
    the forward pass and the soft sample's gradient (the straight-through estimator)."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", UserWarning, stacklevel=2)
    x = as_tensor(logits, "gumbel_softmax", "logits")
    noise = Tensor._wrap(np.empty_like(x._array)).exponential_()
    gumbels = ops.neg(noise.log())
    y_soft = ops.div(ops.add(x, gumbels), tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = Tensor._wrap(np.zeros_like(x._array)).scatter_(dim, index, 1.0)
    return ops.add(ops.sub(y_hard, y_soft.detach()), y_soft)
