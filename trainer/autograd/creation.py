"""Functions that make tensors: `tensor`, `zeros`, `randn`, ..."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .dtypes import as_dtype, get_default_dtype
from .random import Generator, generator_or_default
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
    return Tensor._from_data(data, requires_grad=requires_grad, dtype=dtype)


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """Like `tensor`, but returns `data` itself when it already is a tensor of that dtype."""
    if isinstance(data, Tensor) and (dtype is None or data.dtype == as_dtype(dtype)):
        return data
    return Tensor._from_data(data, dtype=dtype)


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


def full_like(input: Tensor, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:  # noqa: A002
    return full(input.shape, fill_value, dtype=dtype or input.dtype, requires_grad=requires_grad)


def empty_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:  # noqa: A002
    return zeros_like(input, dtype=dtype, requires_grad=requires_grad)


def _random_filled(shape: tuple[int, ...], dtype: np.dtype, values: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._wrap(values.astype(dtype, copy=False).reshape(shape))
    return t.requires_grad_(requires_grad) if requires_grad else t


def _draw_dtype(d: np.dtype, name: str) -> np.dtype:
    if d.kind != "f":
        raise RuntimeError(f"\"{name}\" not implemented for '{d}'")
    return np.dtype(np.float64) if d == np.float64 else np.dtype(np.float32)


def randn(*shape: Any, size: Any = None, generator: Generator | None = None, dtype: Any = None,
          requires_grad: bool = False) -> Tensor:
    """Standard normal draws: PyTorch's numbers for the same seed (the default generator or `generator`)."""
    gen = generator_or_default(generator)
    s, d = _size(shape, size), _float_dtype(dtype)
    return _random_filled(s, d, gen.normal(math.prod(s), _draw_dtype(d, "normal_kernel_cpu")), requires_grad)


def rand(*shape: Any, size: Any = None, generator: Generator | None = None, dtype: Any = None,
         requires_grad: bool = False) -> Tensor:
    """Uniform [0, 1) draws: PyTorch's numbers for the same seed (the default generator or `generator`)."""
    gen = generator_or_default(generator)
    s, d = _size(shape, size), _float_dtype(dtype)
    return _random_filled(s, d, gen.uniform(math.prod(s), _draw_dtype(d, "check_uniform_bounds")), requires_grad)


def randint(low: int, high: int | None = None, size: Any = (), *, generator: Generator | None = None,
            dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Integers in [low, high) (`randint(high, size)` for [0, high)), as `random() % range + low`."""
    gen = generator_or_default(generator)
    if isinstance(high, tuple | list):  # randint(high, size)
        if size != ():
            raise TypeError("randint() got the size twice")
        high, size = None, high
    if high is None:
        low, high = 0, low
    s = _size((size,))
    d = np.dtype(np.int64) if dtype is None else as_dtype(dtype)
    return _random_filled(s, d, gen.integers(math.prod(s), int(low), int(high)), requires_grad)


def randperm(n: int, *, generator: Generator | None = None, dtype: Any = None, requires_grad: bool = False
             ) -> Tensor:
    """A random permutation of 0 .. n-1, PyTorch's swap shuffle."""
    gen = generator_or_default(generator)
    d = np.dtype(np.int64) if dtype is None else as_dtype(dtype)
    return _random_filled((int(n),), d, gen.permutation(n), requires_grad)


def normal(mean: float, std: float, size: Any, *, generator: Generator | None = None, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """`torch.normal(mean, std, size)` for float mean and std."""
    t = empty(_size((size,)), dtype=dtype).normal_(mean, std, generator=generator)
    return t.requires_grad_(requires_grad) if requires_grad else t


def bernoulli(input: Tensor, p: float | None = None, *, generator: Generator | None = None) -> Tensor:  # noqa: A002
    """0/1 draws with the probabilities in `input` (or the float `p`), in input's dtype."""
    out = Tensor._wrap(np.empty(input._array.shape, input._array.dtype))  # row-major, as PyTorch fills it
    return out.bernoulli_(input if p is None else p, generator=generator)


def rand_like(input: Tensor, *, dtype: Any = None, generator: Generator | None = None) -> Tensor:  # noqa: A002
    return rand(input.shape, dtype=dtype or input.dtype, generator=generator)


def randn_like(input: Tensor, *, dtype: Any = None, generator: Generator | None = None) -> Tensor:  # noqa: A002
    return randn(input.shape, dtype=dtype or input.dtype, generator=generator)


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


def is_tensor(obj: Any) -> bool:
    """True for trainer tensors (and Parameters), as `torch.is_tensor`."""
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:  # noqa: A002
    """True when the tensor's dtype is a floating-point one."""
    return input._array.dtype.kind == "f"
