"""`torch.autograd.Variable`, the pre-0.4 wrapper: `Variable(t, requires_grad=...)` is a tensor sharing `t`'s
storage, cut from the graph; every tensor counts as a Variable for `isinstance`."""

from __future__ import annotations

import warnings
from typing import Any

from .creation import tensor
from .tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, Tensor)


class Variable(metaclass=_VariableMeta):
    def __new__(cls, data: Any = None, requires_grad: bool = False, volatile: bool = False) -> Tensor:  # type: ignore[misc]
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                          UserWarning, stacklevel=2)
        t = (data if isinstance(data, Tensor) else tensor([] if data is None else data)).detach()
        return t.requires_grad_(requires_grad) if requires_grad else t


__all__ = ["Variable"]
