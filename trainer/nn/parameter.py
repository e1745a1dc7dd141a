"""`Parameter`: a tensor that a `Module` registers as one of its learnable weights."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.dtypes import get_default_dtype
from ..autograd.tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor with `requires_grad=True` by default that modules pick up when assigned as attributes.

    Like `torch.nn.Parameter`, wrapping a tensor shares its data instead of copying it.
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            arr = np.zeros((0,), dtype=get_default_dtype())
        elif isinstance(data, Tensor):
            arr = data._array
        else:
            arr = Tensor._from_data(data)._array
        if requires_grad and arr.dtype.kind not in "fc":
            raise RuntimeError(f"Only Tensors of floating point dtype can require gradients, got {arr.dtype}")
        self._array = arr
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self._parents = ()
        self._backward = None
        self._op = ""
        self._vc = None
        self._base = None

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol: Any) -> tuple:
        return (_rebuild_parameter, (self._array, self.requires_grad, self.grad))

    def __deepcopy__(self, memo: dict) -> Parameter:
        if id(self) in memo:
            return memo[id(self)]
        copy = Parameter(self._array.copy(), self.requires_grad)
        if self.grad is not None:
            copy.grad = Tensor._wrap(self.grad._array.copy())
        memo[id(self)] = copy
        return copy


def _rebuild_parameter(data: np.ndarray, requires_grad: bool, grad: Tensor | None) -> Parameter:
    """Unpickle a `Parameter` (its graph fields are never pickled: parameters are leaves)."""
    p = Parameter(data, requires_grad)
    p.grad = grad
    return p
