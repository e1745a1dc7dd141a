"""`torch.distributions.ExponentialFamily`: entropy and KL from the log-normalizer's gradient (Bregman)."""

from __future__ import annotations

from typing import Any

from .. import autograd as _ag
from ..autograd import Tensor
from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """p(x) = h(x) exp(<theta, t(x)> - F(theta)); subclasses give theta and F."""

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        raise NotImplementedError

    def _log_normalizer(self, *natural_params: Any) -> Tensor:
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self) -> float:
        raise NotImplementedError

    def entropy(self) -> Tensor:
        """F(theta) - <theta, grad F(theta)> - E[log h(x)].

        The gradient of F is taken at detached copies of theta (as PyTorch does), so the entropy's own gradient
        could not reach the distribution's parameters either way; it is taken first-order, since not every
        log normalizer's ops have a create_graph rule.
        """
        result: Any = -self._mean_carrier_measure
        nparams = [p.detach().requires_grad_() for p in self._natural_params]
        lg_normal = self._log_normalizer(*nparams)
        gradients = _ag.grad(lg_normal.sum(), nparams)
        result = result + lg_normal
        for p, g in zip(nparams, gradients, strict=True):
            result = result - (p * g).reshape(tuple(self._batch_shape) + (-1,)).sum(-1)
        return result
