"""`torch.distributions.NegativeBinomial`: failures before total_count successes (a Gamma-Poisson mixture)."""

from __future__ import annotations

from typing import Any

from .. import autograd as _ag
from ..autograd import Tensor
from ..nn import functional as F
from . import constraints
from ._draws import poisson
from .binary import BinaryParam, check_probs_or_logits
from .distribution import Distribution
from .gamma import Gamma
from .utils import broadcast_all, lazy_property

__all__ = ["NegativeBinomial"]


class NegativeBinomial(BinaryParam, Distribution):
    """`sample` is torch.poisson of a Gamma(total_count, exp(-logits)) sample: the same counts as PyTorch's."""

    arg_constraints = {"total_count": constraints.greater_than_eq(0), "probs": constraints.half_open_interval(0.0, 1.0),
                       "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(self, total_count: Tensor | float, probs: Any = None, logits: Any = None,
                 validate_args: bool | None = None) -> None:
        check_probs_or_logits(probs, logits)
        if probs is not None:
            self.total_count, self.probs = broadcast_all(total_count, probs)
            self.total_count = self.total_count.type_as(self.probs)
        else:
            self.total_count, self.logits = broadcast_all(total_count, logits)
            self.total_count = self.total_count.type_as(self.logits)
        self._param = self.probs if probs is not None else self.logits
        super().__init__(self._param.size(), validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> NegativeBinomial:
        new = self._expanded(NegativeBinomial, batch_shape, _instance, ("total_count",))
        self._expand_probs(new, new.batch_shape)
        return new

    @property
    def mean(self) -> Tensor:
        return self.total_count * _ag.exp(self.logits)

    @property
    def mode(self) -> Tensor:
        return ((self.total_count - 1) * self.logits.exp()).floor().clamp(min=0.0)

    @property
    def variance(self) -> Tensor:
        return self.mean / _ag.sigmoid(-self.logits)

    @lazy_property
    def _gamma(self) -> Gamma:
        return Gamma(concentration=self.total_count, rate=_ag.exp(-self.logits), validate_args=False)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        with _ag.no_grad():
            rate = self._gamma.sample(sample_shape=sample_shape)
            return Tensor._wrap(poisson(rate._array))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        n = self.total_count
        log_unnormalized = n * F.logsigmoid(-self.logits) + value * F.logsigmoid(self.logits)
        log_normalization = -_ag.lgamma(n + value) + _ag.lgamma(1.0 + value) + _ag.lgamma(n)
        log_normalization = log_normalization.masked_fill(n + value == 0.0, 0.0)
        return log_unnormalized - log_normalization
