"""`channel_shuffle` (ShuffleNet's): channels regrouped, `(N, g, C/g, *)` read as `(N, C/g, g, *)`."""

from __future__ import annotations

import numpy as np

from ...autograd.tensor import Tensor
from ._util import as_tensor


def channel_shuffle(input: Tensor, groups: int) -> Tensor:  # noqa: A002
    """Split the C channels of an (N, C, *) input into `groups` groups and interleave them."""
    x = as_tensor(input, "channel_shuffle", "input")
    if x.ndim <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with sizes {list(x.shape)}")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    n, c, *rest = x.shape
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups.")
    arr = x._array
    out = np.ascontiguousarray(arr.reshape(n, groups, c // groups, *rest).swapaxes(1, 2)).reshape(arr.shape)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (np.ascontiguousarray(g.reshape(n, c // groups, groups, *rest).swapaxes(1, 2)).reshape(arr.shape),)

    return Tensor._make(out, (x,), backward, "ChannelShuffle")
