"""Functions that make tensors: `tensor`, `zeros`, `randn`, ..."""

from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import as_dtype, get_default_dtype
from .random import default_generator
from .tensor import Tensor


def _size(shape: tuple, size: Any = None) -> tuple[int, ...]:
    """A shape given as `f(2, 3)`, `f((2, 3))` or `f(size=(2, 3))`."""
    if size is not None:
        if shape:
            raise TypeError("give the size either positionally or as size=, not both")
        shape = (size,)
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def _float_dtype(dtype: Any) -> np.dtype:
    return get_default_dtype() if dtype is None else as_dtype(dtype)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of `data` (floats become float32 unless `dtype` says otherwise)."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """Like `tensor`, but returns `data` itself when it already is a tensor of that dtype."""
    if isinstance(data, Tensor) and (dtype is None or data.dtype == as_dtype(dtype)):
        return data
    return Tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with a numpy array (no dtype change)."""
    return Tensor._wrap(np.asarray(array))


def _filled(fill, shape: tuple[int, ...], dtype: Any, requires_grad: bool) -> Tensor:
    t = Tensor._wrap(fill(shape, dtype=_float_dtype(dtype)))
    return t.requires_grad_(requires_grad) if requires_grad else t


def zeros(*shape: Any, size: Any = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _filled(np.zeros, _size(shape, size), dtype, requires_grad)


def ones(*shape: Any, size: Any = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _filled(np.ones, _size(shape, size), dtype, requires_grad)


def empty(*shape: Any, size: Any = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _filled(np.zeros, _size(shape, size), dtype, requires_grad)


def full(size: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Like `torch.full`: an int fill gives int64, a bool fill bool, a float fill the default float dtype."""
    if dtype is None:
        if isinstance(fill_value, bool | np.bool_):
            dtype = np.bool_
        elif isinstance(fill_value, int | np.integer):
            dtype = np.int64
    t = Tensor._wrap(np.full(_size((size,)), fill_value, dtype=_float_dtype(dtype)))
    return t.requires_grad_(requires_grad) if requires_grad else t


def zeros_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:  # noqa: A002
    return zeros(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def ones_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:  # noqa: A002
    return ones(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn(*shape: Any, size: Any = None, dtype: Any = None, requires_grad: bool = False,
          generator: np.random.Generator | None = None) -> Tensor:
    """Standard normal draws from the library's seeded generator (or `generator`)."""
    gen = generator or default_generator()
    d = _float_dtype(dtype)
    draw = gen.standard_normal(_size(shape, size), dtype=d if d.itemsize >= 4 else np.float32)
    t = Tensor._wrap(draw.astype(d, copy=False))
    return t.requires_grad_(requires_grad) if requires_grad else t


def rand(*shape: Any, size: Any = None, dtype: Any = None, requires_grad: bool = False,
         generator: np.random.Generator | None = None) -> Tensor:
    """Uniform [0, 1) draws from the library's seeded generator (or `generator`)."""
    gen = generator or default_generator()
    d = _float_dtype(dtype)
    t = Tensor._wrap(gen.random(_size(shape, size), dtype=d if d.itemsize >= 4 else np.float32).astype(d, copy=False))
    return t.requires_grad_(requires_grad) if requires_grad else t


def randint(
    low: int, high: int | None = None, size: tuple = (), generator: np.random.Generator | None = None
) -> Tensor:
    gen = generator or default_generator()
    if high is None:
        low, high = 0, low
    return Tensor._wrap(gen.integers(low, high, size=size, dtype=np.int64))


def randperm(n: int, generator: np.random.Generator | None = None) -> Tensor:
    gen = generator or default_generator()
    return Tensor._wrap(gen.permutation(n).astype(np.int64))


def arange(start: float = 0, end: float | None = None, step: float = 1, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Like `torch.arange`: integers give int64, any float argument gives the default float dtype."""
    start, end, step = (v.item() if isinstance(v, Tensor) else v for v in (start, end, step))
    if end is None:
        start, end = 0, start
    if dtype is None:
        is_int = all(isinstance(v, int | np.integer) for v in (start, end, step))
        dtype = np.int64 if is_int else get_default_dtype()
    t = Tensor._wrap(np.arange(start, end, step, dtype=as_dtype(dtype)))
    return t.requires_grad_(requires_grad) if requires_grad else t


def linspace(start: float, end: float, steps: int, dtype: Any = None) -> Tensor:
    return Tensor._wrap(np.linspace(start, end, steps, dtype=_float_dtype(dtype)))


def eye(n: int, m: int | None = None, dtype: Any = None) -> Tensor:
    return Tensor._wrap(np.eye(n, m, dtype=_float_dtype(dtype)))
