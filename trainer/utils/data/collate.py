"""`default_collate` (samples -> one batch) and `default_convert` (numpy -> tensors), PyTorch's rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...autograd import Tensor, as_tensor, float64, int64, stack, tensor

_NOT_COLLATABLE = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"


def _rebuild(like: Any, items: Any) -> Any:
    """`type(like)(items)`, or the plain container when that type cannot be built so (as PyTorch falls back)."""
    try:
        return type(like)(items)
    except TypeError:
        return items if not isinstance(like, Mapping) else dict(items)


def default_convert(data: Any) -> Any:
    """Numpy arrays and scalars become tensors, inside mappings, named tuples and sequences too."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        return data if data.dtype.kind in "OSUV" else as_tensor(data)
    if isinstance(data, np.generic):
        return as_tensor(data)
    if isinstance(data, Mapping):
        return _rebuild(data, {k: default_convert(v) for k, v in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        return _rebuild(data, [default_convert(d) for d in data])
    return data


def default_collate(batch: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch, recursively.

    Tensors stack on a new first dimension; numpy arrays and scalars become tensors first; Python floats
    give a float64 tensor, ints an int64 one, bools a bool one; strings stay a list; mappings collate per
    key; tuples become lists of collated fields (named tuples stay named), as in PyTorch.
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(list(batch), 0)
    if isinstance(elem, np.ndarray | np.generic) and not isinstance(elem, np.str_ | np.bytes_):
        if elem.dtype.kind in "OSUV":
            raise TypeError(_NOT_COLLATABLE.format(elem.dtype))
        return stack([as_tensor(b) for b in batch], 0)
    if isinstance(elem, bool):
        return tensor(list(batch))
    if isinstance(elem, float):
        return tensor(list(batch), dtype=float64)
    if isinstance(elem, int):
        return tensor(list(batch), dtype=int64)
    if isinstance(elem, str | bytes):
        return list(batch)
    if isinstance(elem, Mapping):
        return _rebuild(elem, {key: default_collate([d[key] for d in batch]) for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return type(elem)(*(default_collate(list(s)) for s in zip(*batch, strict=True)))
    if isinstance(elem, Sequence):
        size = len(elem)
        if any(len(e) != size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = [default_collate(list(s)) for s in zip(*batch, strict=True)]
        return transposed if isinstance(elem, tuple) else _rebuild(elem, transposed)
    raise TypeError(_NOT_COLLATABLE.format(type(elem)))
