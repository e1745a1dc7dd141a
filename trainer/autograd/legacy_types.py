"""PyTorch's legacy tensor types: `torch.FloatTensor([1, 2])`, `torch.LongTensor(3)`,
`isinstance(t, torch.FloatTensor)`, `t.type(torch.DoubleTensor)`, `torch.set_default_tensor_type`, and
`torch.cuda.FloatTensor` (unavailable).

As in PyTorch, each is a class of the metaclass `tensortype` and not a subclass of `Tensor`: calling it builds a
`Tensor` of its dtype, and `isinstance` asks for a tensor of that dtype.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .dtypes import cxx_type_name, public, set_default_dtype
from .tensor import Tensor, _legacy_array

# PyTorch's class name -> its numpy dtype
_TYPES = {"FloatTensor": "float32", "DoubleTensor": "float64", "HalfTensor": "float16", "LongTensor": "int64",
          "IntTensor": "int32", "ShortTensor": "int16", "CharTensor": "int8", "ByteTensor": "uint8",
          "BoolTensor": "bool"}


class tensortype(type):  # noqa: N801 - PyTorch's name (`type(torch.FloatTensor)`)
    """The metaclass of the legacy tensor types; `cuda` ones exist by name only, trainer running on the CPU."""

    _numpy: np.dtype
    _cuda: bool

    def __repr__(cls) -> str:
        return f"<class '{cls._qualified}'>"

    @property
    def _qualified(cls) -> str:
        return f"torch.{'cuda.' if cls._cuda else ''}{cls.__name__}"

    @property
    def dtype(cls) -> Any:
        return public(cls._numpy.name)

    @property
    def is_cuda(cls) -> bool:
        return cls._cuda

    @property
    def is_sparse(cls) -> bool:
        return False

    @property
    def _tensor_dtype(cls) -> np.dtype:
        """What `Tensor.type(cls)` converts to."""
        if cls._cuda:
            raise TypeError(f"type {cls._qualified} not available. Torch not compiled with CUDA enabled.")
        return cls._numpy

    def __instancecheck__(cls, obj: object) -> bool:
        return not cls._cuda and isinstance(obj, Tensor) and obj._array.dtype == cls._numpy

    def __call__(cls, *args: Any, device: Any = None, **kwargs: Any) -> Tensor:
        if cls._cuda:
            raise TypeError(f"type {cls._qualified} not available. Torch not compiled with CUDA enabled.")
        if kwargs:
            raise TypeError(f"new() received an invalid combination of arguments - got ({_described(args, kwargs)}), "
                            "but expected one of:\n * (*, torch.device device = None)\n * (torch.Storage storage)\n"
                            " * (Tensor other)\n * (tuple of ints size, *, torch.device device = None)\n"
                            " * (object data, *, torch.device device = None)\n")
        return Tensor._wrap(_array(cls._numpy, args))


def _array(dtype: np.dtype, args: tuple) -> np.ndarray:
    """The storage of `<Type>Tensor(*args)`: `torch.Tensor(*args)`'s in this dtype, but a tensor only of this very
    dtype (shared, not converted) and no text."""
    data = args[0] if len(args) == 1 else None
    if isinstance(data, Tensor) and data._array.dtype != dtype:
        raise TypeError(f"expected {_options(dtype)} (got {_options(data._array.dtype)})")
    if isinstance(data, str | bytes):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    try:
        return _legacy_array(args, dtype)
    except TypeError as exc:
        raise TypeError(str(exc).replace("Tensor():", "new():")) from None


def _options(dtype: np.dtype) -> str:
    return (f"TensorOptions(dtype={cxx_type_name(dtype)}, device=cpu, layout=Strided, requires_grad=false (default), "
            "pinned_memory=false (default), memory_format=(nullopt))")


def _described(args: tuple, kwargs: dict[str, Any]) -> str:
    return ", ".join([type(a).__name__ for a in args] + [f"{k}={type(v).__name__}" for k, v in kwargs.items()])


def _make(name: str, cuda: bool = False) -> tensortype:
    numpy_name = _TYPES[name]
    module = "trainer.cuda" if cuda else "trainer"
    cls = tensortype(name, (), {"__module__": module, "__qualname__": name, "__doc__": f"`torch.{name}`."})
    cls._numpy, cls._cuda = np.dtype(numpy_name), cuda
    return cls


FloatTensor = _make("FloatTensor")
DoubleTensor = _make("DoubleTensor")
HalfTensor = _make("HalfTensor")
LongTensor = _make("LongTensor")
IntTensor = _make("IntTensor")
ShortTensor = _make("ShortTensor")
CharTensor = _make("CharTensor")
ByteTensor = _make("ByteTensor")
BoolTensor = _make("BoolTensor")
CUDA_TYPES = {name: _make(name, cuda=True) for name in _TYPES}  # `torch.cuda.FloatTensor`, ...


def set_default_tensor_type(t: Any) -> None:
    """The deprecated `torch.set_default_tensor_type(torch.DoubleTensor)` (or its name): sets the default dtype."""
    warnings.warn("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
                  "torch.set_default_dtype() and torch.set_default_device() as alternatives.", UserWarning,
                  stacklevel=2)
    cls = _by_name(t) if isinstance(t, str) else t
    if not isinstance(cls, tensortype):
        raise TypeError("invalid type object: only floating-point types are supported as the default type")
    if cls._cuda:
        raise TypeError(f"type {cls._qualified} not available. Torch not compiled with CUDA enabled.")
    if cls._numpy.kind != "f" or cls._numpy == np.float16:
        raise TypeError("only floating-point types are supported as the default type")
    set_default_dtype(cls._numpy)


def _by_name(name: str) -> tensortype:
    short = name.removeprefix("torch.")
    if short.startswith("cuda.") and short[5:] in CUDA_TYPES:
        return CUDA_TYPES[short[5:]]
    found = globals().get(short)
    if short not in _TYPES or not isinstance(found, tensortype):
        raise ValueError(f"invalid type: '{name}'")
    return found
