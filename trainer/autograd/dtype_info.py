"""Facts about dtypes as PyTorch states them: `finfo`, `iinfo`, `promote_types`, `result_type`, `can_cast`."""

from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import as_dtype, get_default_dtype, public
from .tensor import Tensor

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def _category(dt: np.dtype) -> int:
    return _CATEGORY[dt.kind]


class finfo:  # noqa: N801 - PyTorch's name
    """Machine limits of a floating point dtype (the default dtype when none is given)."""

    def __init__(self, type: Any = None) -> None:  # noqa: A002 - PyTorch's name
        dt = get_default_dtype() if type is None else as_dtype(type)
        if dt.kind != "f":
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        info = np.finfo(dt)
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.precision)
        self.dtype = dt.name

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:  # noqa: N801 - PyTorch's name
    """Machine limits of an integer dtype."""

    def __init__(self, type: Any) -> None:  # noqa: A002
        dt = as_dtype(type)
        if dt.kind not in "iub":
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        info = np.iinfo(np.uint8 if dt.kind == "b" else dt)
        self.bits, self.max, self.min, self.dtype = int(info.bits), int(info.max), int(info.min), dt.name

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


def _promote(a: np.dtype, b: np.dtype) -> np.dtype:
    """The smallest dtype of the higher category that holds both (within a category, numpy's rule)."""
    ca, cb = _category(a), _category(b)
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def promote_types(type1: Any, type2: Any) -> Any:
    """The dtype an operation on `type1` and `type2` tensors gives."""
    return public(_promote(as_dtype(type1), as_dtype(type2)))


def _scalar_dtype(x: Any) -> np.dtype:
    if isinstance(x, bool | np.bool_):
        return np.dtype(np.bool_)
    if isinstance(x, int | np.integer):
        return np.dtype(np.int64)
    if isinstance(x, float | np.floating):
        return get_default_dtype()
    raise TypeError(f"result_type() received an invalid combination of arguments - got ({type(x).__name__})")


def result_type(tensor1: Any, tensor2: Any) -> Any:
    """The dtype `tensor1 op tensor2` gives, with PyTorch's priorities: dimensioned tensors, then 0-d tensors,
    then Python scalars; a lower-priority operand only counts when its category is higher."""
    groups: tuple[list[np.dtype], ...] = ([], [], [])
    for x in (tensor1, tensor2):
        if isinstance(x, Tensor):
            groups[0 if x._array.ndim else 1].append(x._array.dtype)
        else:
            groups[2].append(_scalar_dtype(x))
    result: np.dtype | None = None
    for group in groups:
        top = max((_category(dt) for dt in group), default=-1)
        if result is None or top > _category(result):
            for dt in group:
                if result is None or _category(dt) == top:
                    result = dt if result is None or _category(result) < top else _promote(result, dt)
    return public(result)


def can_cast(from_: Any, to: Any) -> bool:
    """Whether PyTorch's casting rules allow `from_` to `to`: never to a lower category (float to int, int to bool)."""
    return _category(as_dtype(from_)) <= _category(as_dtype(to))


__all__ = ["finfo", "iinfo", "promote_types", "result_type", "can_cast"]
