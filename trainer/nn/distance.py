"""`CosineSimilarity` and `PairwiseDistance`: modules over `trainer.nn.functional`'s distance functions."""

from __future__ import annotations

from ..autograd.tensor import Tensor
from .functional import distance
from .module import Module


class CosineSimilarity(Module):
    """Cosine similarity of x1 and x2 along `dim`, each norm clamped to at least `eps`."""

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return distance.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """||x1 - x2 + eps||_p over the last dimension (`norm` is p, as PyTorch names the attribute)."""

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return distance.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
