"""`ChannelShuffle`: `F.channel_shuffle` as a layer."""

from __future__ import annotations

from ..autograd.tensor import Tensor
from .functional.shuffling import channel_shuffle
from .module import Module


class ChannelShuffle(Module):
    """Interleave the channels of (N, C, *) inputs from `groups` groups (ShuffleNet)."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
