"""`trainer.Size`: the tuple `Tensor.shape` and `Tensor.size()` return, printed as `torch.Size([3, 2])`."""

from __future__ import annotations

import math


class Size(tuple):
    """A tuple of ints that prints as PyTorch's `torch.Size` and knows its `numel()`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(n) for n in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        """The number of elements of a tensor of this shape."""
        return math.prod(self)

    def __getitem__(self, index):  # slices stay Sizes, as in PyTorch
        out = tuple.__getitem__(self, index)
        return Size(out) if isinstance(index, slice) else out

    def __add__(self, other):
        return Size(tuple.__add__(self, other))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))
