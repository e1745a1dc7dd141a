"""`torch.distributions.StudentT` (df, loc, scale)."""

from __future__ import annotations

import math
from typing import Any

from .. import autograd as _ag
from ..autograd import Tensor
from . import constraints
from .chi2 import Chi2
from .distribution import Distribution
from .utils import _standard_normal, broadcast_all

__all__ = ["StudentT"]


class StudentT(Distribution):
    """loc + scale * X / sqrt(Z / df), X ~ N(0, 1), Z ~ Chi2(df): the normals are drawn first, then the gammas."""

    arg_constraints = {"df": constraints.positive, "loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, df: Tensor | float, loc: Tensor | float = 0.0, scale: Tensor | float = 1.0,
                 validate_args: bool | None = None) -> None:
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale)
        self._chi2 = Chi2(self.df)
        super().__init__(self.df.size(), validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> StudentT:
        return self._expanded(StudentT, batch_shape, _instance, ("df", "loc", "scale", "_chi2"))

    @property
    def mean(self) -> Tensor:
        return _ag.where(self.df <= 1, float("nan"), self.loc)

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        df = self.df
        finite = self.scale.pow(2) * df / (df - 2)
        return _ag.where(df > 2, finite, _ag.where(df > 1, math.inf, float("nan")))

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        x = _standard_normal(self._extended_shape(sample_shape), self.df.dtype)
        z = self._chi2.rsample(sample_shape)
        return self.loc + self.scale * (x * _ag.rsqrt(z / self.df))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        y = (value - self.loc) / self.scale
        z = (self.scale.log() + 0.5 * self.df.log() + 0.5 * math.log(math.pi) + _ag.lgamma(0.5 * self.df)
             - _ag.lgamma(0.5 * (self.df + 1.0)))
        return -0.5 * (self.df + 1.0) * _ag.log1p(y**2.0 / self.df) - z

    def entropy(self) -> Tensor:
        df = self.df
        lbeta = _ag.lgamma(0.5 * df) + math.lgamma(0.5) - _ag.lgamma(0.5 * (df + 1))
        return (self.scale.log() + 0.5 * (df + 1) * (_ag.digamma(0.5 * (df + 1)) - _ag.digamma(0.5 * df))
                + 0.5 * df.log() + lbeta)
