"""`torch.distributions.Gamma` (concentration, rate)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import autograd as _ag
from ..autograd import Size, Tensor
from . import constraints
from ._gamma import gammainc_op, standard_gamma
from .exp_family import ExponentialFamily
from .utils import _is_number, broadcast_all

__all__ = ["Gamma"]


class Gamma(ExponentialFamily):
    """Gamma(concentration, rate). Draws equal PyTorch's after the same seed; the rsample gradient is the exact
    implicit one (PyTorch's is a fitted approximation, within about 1e-3)."""

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True
    _mean_carrier_measure = 0

    def __init__(self, concentration: Tensor | float, rate: Tensor | float, validate_args: bool | None = None) -> None:
        self.concentration, self.rate = broadcast_all(concentration, rate)
        batch_shape = Size() if _is_number(concentration) and _is_number(rate) else self.concentration.size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Gamma:
        return self._expanded(Gamma, batch_shape, _instance, ("concentration", "rate"))

    @property
    def mean(self) -> Tensor:
        return self.concentration / self.rate

    @property
    def mode(self) -> Tensor:
        return ((self.concentration - 1) / self.rate).clamp(min=0)

    @property
    def variance(self) -> Tensor:
        return self.concentration / self.rate.pow(2)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = tuple(self._extended_shape(sample_shape))
        value = standard_gamma(self.concentration.expand(shape)) / self.rate.expand(shape)
        arr = value._array  # clamped in place, not recorded, as in PyTorch
        value._array = np.asarray(np.maximum(arr, np.finfo(arr.dtype).tiny), dtype=arr.dtype)
        return value

    def log_prob(self, value: Any) -> Tensor:
        value = _ag.as_tensor(value, dtype=self.rate.dtype)
        if self._validate_args:
            self._validate_sample(value)
        return (_ag.xlogy(self.concentration, self.rate) + _ag.xlogy(self.concentration - 1, value)
                - self.rate * value - _ag.lgamma(self.concentration))

    def entropy(self) -> Tensor:
        c = self.concentration
        return c - _ag.log(self.rate) + _ag.lgamma(c) + (1.0 - c) * _ag.digamma(c)

    def cdf(self, value: Tensor) -> Tensor:
        """P(concentration, rate * value): differentiable w.r.t. rate and value, not concentration (PyTorch's
        gammainc has no derivative in its first argument)."""
        if self._validate_args:
            self._validate_sample(value)
        x = self.rate * value
        return gammainc_op(np.broadcast_to(self.concentration._array, x.shape).astype(np.float64), x)

    @property
    def _natural_params(self) -> tuple[Tensor, Tensor]:
        return (self.concentration - 1, -self.rate)

    def _log_normalizer(self, x: Tensor, y: Tensor) -> Tensor:
        return _ag.lgamma(x + 1) + (x + 1) * _ag.log(-y.reciprocal())
