"""`torch.distributions.Bernoulli` (probs or logits)."""

from __future__ import annotations

from typing import Any

from .. import autograd as _ag
from ..autograd import Size, Tensor
from ..nn import functional as F
from . import constraints
from .binary import BinaryParam, check_probs_or_logits
from .exp_family import ExponentialFamily
from .utils import _is_number, broadcast_all

__all__ = ["Bernoulli"]


class Bernoulli(BinaryParam, ExponentialFamily):
    """0/1 outcomes with P(1) = probs (or sigmoid(logits)); `sample` is `torch.bernoulli(probs)`."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True
    _mean_carrier_measure = 0

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        check_probs_or_logits(probs, logits)
        if probs is not None:
            (self.probs,) = broadcast_all(probs)
        else:
            (self.logits,) = broadcast_all(logits)
        self._param = self.probs if probs is not None else self.logits
        batch_shape = Size() if _is_number(probs if probs is not None else logits) else self._param.size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Bernoulli:
        new = self._expanded(Bernoulli, batch_shape, _instance, ())
        self._expand_probs(new, new.batch_shape)
        return new

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        mode = (self.probs >= 0.5).to(self.probs.dtype)
        return _ag.where(self.probs == 0.5, float("nan"), mode).detach()

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        with _ag.no_grad():  # contiguous: trainer.bernoulli of a broadcast view fills in the wrong order
            return _ag.bernoulli(self.probs.expand(shape).contiguous())

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        dtype = _ag.promote_types(logits.dtype, value.dtype)  # PyTorch's loss promotes; trainer's F asks for one dtype
        return -F.binary_cross_entropy_with_logits(logits.to(dtype), value.to(dtype), reduction="none")

    def entropy(self) -> Tensor:
        return F.binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = _ag.arange(2, dtype=self._param.dtype).reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values

    @property
    def _natural_params(self) -> tuple[Tensor]:
        return (_ag.logit(self.probs),)

    def _log_normalizer(self, x: Tensor) -> Tensor:
        return _ag.log1p(_ag.exp(x))
