"""`torch.distributions.Geometric`: the number of failures before the first success."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import autograd as _ag
from ..autograd import Size, Tensor
from ..nn import functional as F
from . import constraints
from .binary import BinaryProbs, check_probs_or_logits
from .distribution import Distribution
from .utils import _is_number, broadcast_all

__all__ = ["Geometric"]


class Geometric(BinaryProbs, Distribution):
    """P(k) = (1 - p)^k p; `sample` is floor(log(u) / log1p(-p)) with u = uniform_(tiny, 1), as PyTorch draws it."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        check_probs_or_logits(probs, logits)
        if probs is not None:
            (self.probs,) = broadcast_all(probs)
        else:
            (self.logits,) = broadcast_all(logits)
        given = probs if probs is not None else logits
        super().__init__(Size() if _is_number(given) else given.size(), validate_args=validate_args)
        if self._validate_args and probs is not None:
            value = self.probs
            valid = value > 0
            if not bool(valid.all()):
                raise ValueError(f"Expected parameter probs ({type(value).__name__} of shape {tuple(value.shape)}) "
                                 f"of distribution {self!r} to be positive but found invalid values:\n"
                                 f"{value.detach()[~valid]}")

    def expand(self, batch_shape: Any, _instance: Any = None) -> Geometric:
        new = self._expanded(Geometric, batch_shape, _instance, ())
        self._expand_probs(new, new.batch_shape)
        return new

    @property
    def mean(self) -> Tensor:
        return 1.0 / self.probs - 1.0

    @property
    def mode(self) -> Tensor:
        return _ag.zeros_like(self.probs)

    @property
    def variance(self) -> Tensor:
        return (1.0 / self.probs - 1.0) / self.probs

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        tiny = _ag.finfo(self.probs.dtype).tiny
        with _ag.no_grad(), np.errstate(divide="ignore"):  # probs == 1: log1p(-1) = -inf, the sample is 0
            u = self.probs.new_empty(shape).uniform_(tiny, 1)
            return (u.log() / (-self.probs).log1p()).floor()

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        value, probs = broadcast_all(value, self.probs)
        probs = _ag.where((probs == 1) & (value == 0), 0.0, probs)
        return value * (-probs).log1p() + self.probs.log()

    def entropy(self) -> Tensor:
        return F.binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none") / self.probs
