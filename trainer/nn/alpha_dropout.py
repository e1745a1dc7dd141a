"""`AlphaDropout` and `FeatureAlphaDropout`: dropout that keeps SELU networks' mean and variance."""

from __future__ import annotations

from ..autograd.tensor import Tensor
from .dropout import _DropoutNd
from .functional.self_normalizing_dropout import alpha_dropout, feature_alpha_dropout


class AlphaDropout(_DropoutNd):
    """Alpha dropout of each element in training mode (PyTorch's draws for the same seed); identity in eval."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels of (N, C, *) inputs in training mode; identity in eval."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return feature_alpha_dropout(input, self.p, self.training)
