"""The functional forms PyTorch exposes at the top level (`torch.dropout`, `torch.embedding`, `torch.batch_norm`,
the losses, ...) whose positional arguments differ from `torch.nn.functional`'s: aten's order, `train` for
`training`, an integer `reduction` (0 none, 1 mean, 2 sum), `torch.embedding(weight, indices)`; each calls the
functional implementation."""

from __future__ import annotations

from typing import Any

from ..autograd.tensor import Tensor
from . import functional as F  # noqa: N812
from .functional import layers

__all__ = ["alpha_dropout", "alpha_dropout_", "batch_norm", "binary_cross_entropy_with_logits", "constant_pad_nd",
           "cosine_embedding_loss", "dropout", "dropout_", "embedding", "feature_alpha_dropout",
           "feature_alpha_dropout_", "feature_dropout", "feature_dropout_", "hinge_embedding_loss", "instance_norm",
           "kl_div", "margin_ranking_loss", "rrelu"]


def _reduction(reduction: int) -> str:
    """aten's reduction enum as F's name (values other than 1 and 2 leave the loss unreduced). Left out, the
    reduction is 0: PyTorch 2.13's top-level losses return the unreduced loss then, whatever their stubs say."""
    return {1: "mean", 2: "sum"}.get(int(reduction), "none")


def _probability(p: float) -> float:
    if not 0.0 <= p <= 1.0:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    return p


def dropout(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """`F.dropout(input, p, train)`."""
    return F.dropout(input, _probability(p), train)


def dropout_(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """In-place `dropout`."""
    return F.dropout(input, _probability(p), train, inplace=True)


def alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """`F.alpha_dropout(input, p, train)`."""
    return F.alpha_dropout(input, _probability(p), train)


def alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """In-place `alpha_dropout`."""
    return F.alpha_dropout(input, _probability(p), train, inplace=True)


def feature_dropout(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """Dropout of whole channels: one draw per (N, C), broadcast over the remaining dimensions."""
    return layers._feature_dropout(input, _probability(p), train, False)


def feature_dropout_(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """In-place `feature_dropout`."""
    return layers._feature_dropout(input, _probability(p), train, True)


def feature_alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """`F.feature_alpha_dropout(input, p, train)`."""
    return F.feature_alpha_dropout(input, _probability(p), train)


def feature_alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """In-place `feature_alpha_dropout`."""
    return F.feature_alpha_dropout(input, _probability(p), train, inplace=True)


def rrelu(input: Tensor, lower: float = 1 / 8, upper: float = 1 / 3, training: bool = False,  # noqa: A002
          generator: Any = None) -> Tensor:
    """`F.rrelu(input, lower, upper, training)`."""
    return F.rrelu(input, lower, upper, training)


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1, scale_grad_by_freq: bool = False,
              sparse: bool = False) -> Tensor:
    """The rows of `weight` at `indices`; a non-negative `padding_idx` gets no gradient."""
    return F.embedding(indices, weight, padding_idx if padding_idx >= 0 else None,
                       scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def batch_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None, running_mean: Tensor | None,  # noqa: A002
               running_var: Tensor | None, training: bool, momentum: float, eps: float,
               cudnn_enabled: bool) -> Tensor:
    """`F.batch_norm` in aten's argument order."""
    return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None,  # noqa: A002
                  running_mean: Tensor | None, running_var: Tensor | None, use_input_stats: bool, momentum: float,
                  eps: float, cudnn_enabled: bool) -> Tensor:
    """`F.instance_norm` in aten's argument order."""
    return F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def kl_div(input: Tensor, target: Tensor, reduction: int = 0, *, log_target: bool = False) -> Tensor:  # noqa: A002
    """`F.kl_div` with an integer reduction (1: the mean over every element)."""
    return F.kl_div(input, target, reduction=_reduction(reduction), log_target=log_target)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          reduction: int = 0) -> Tensor:
    """`F.cosine_embedding_loss` with an integer reduction."""
    return F.cosine_embedding_loss(input1, input2, target, margin, reduction=_reduction(reduction))


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, reduction: int = 0) -> Tensor:  # noqa: A002
    """`F.hinge_embedding_loss` with an integer reduction."""
    return F.hinge_embedding_loss(input, target, margin, reduction=_reduction(reduction))


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        reduction: int = 0) -> Tensor:
    """`F.margin_ranking_loss` with an integer reduction."""
    return F.margin_ranking_loss(input1, input2, target, margin, reduction=_reduction(reduction))


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,  # noqa: A002
                                     pos_weight: Tensor | None = None, reduction: int = 0) -> Tensor:
    """`F.binary_cross_entropy_with_logits` with `pos_weight` positional and an integer reduction."""
    return F.binary_cross_entropy_with_logits(input, target, weight, reduction=_reduction(reduction),
                                              pos_weight=pos_weight)


def constant_pad_nd(input: Tensor, pad: Any, value: float = 0) -> Tensor:  # noqa: A002
    """`F.pad(input, pad, 'constant', value)`."""
    return F.pad(input, pad, "constant", value)
