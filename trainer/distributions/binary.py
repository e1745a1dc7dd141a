"""The parameter of a two-outcome distribution (Bernoulli, Binomial, Geometric, ...): `probs` or `logits`,
whichever was given, the other derived from it on first use."""

from __future__ import annotations

from typing import Any

from ..autograd import Size, Tensor
from .utils import lazy_property, logits_to_probs, probs_to_logits


def check_probs_or_logits(probs: Any, logits: Any) -> None:
    """PyTorch's refusal of neither or both."""
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")


class BinaryProbs:
    """`probs` and `logits` of one success probability, each derived from the other (sigmoid / logit)."""

    @lazy_property
    def logits(self) -> Tensor:
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self) -> Tensor:
        return logits_to_probs(self.logits, is_binary=True)

    def _expand_probs(self, new: Any, batch_shape: Size) -> None:
        """Give `new` (an `expand`'s instance) the forms this one holds, expanded; `_param` follows the last."""
        for name in ("probs", "logits"):
            if name in self.__dict__:
                setattr(new, name, getattr(self, name).expand(batch_shape))
                if "_param" in self.__dict__:
                    new._param = getattr(new, name)


class BinaryParam(BinaryProbs):
    """`BinaryProbs` whose given form is kept as `_param`, with PyTorch's `param_shape`."""

    @property
    def param_shape(self) -> Size:
        return self._param.size()
