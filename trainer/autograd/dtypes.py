"""dtype names and the rules that map user input to numpy dtypes.

The engine works with numpy dtypes. Users see `dtype` objects (`trainer.float32`, `tensor.dtype`),
which print as PyTorch's (`torch.float32`) and which numpy accepts wherever it takes a dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
float16 = np.dtype(np.float16)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
bool_ = np.dtype(np.bool_)
float = float32  # noqa: A001 - PyTorch alias
double = float64
long = int64

_ALIASES = {
    "float": float32, "float32": float32, "torch.float32": float32,
    "double": float64, "float64": float64, "torch.float64": float64,
    "half": float16, "float16": float16,
    "long": int64, "int64": int64, "int": int32, "int32": int32,
    "bool": bool_,
}

_SCALAR_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
                      "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
_ALIASES.update({f"torch.{name}tensor": np.dtype(d) for d, name in
                 ((d, n.lower()) for d, n in _SCALAR_TYPE_NAMES.items())})

_default_float = [float32]


def get_default_dtype() -> np.dtype:
    """The dtype of new floating-point tensors (float32 unless changed)."""
    return _default_float[0]


def set_default_dtype(dtype: Any) -> None:
    """Set the dtype of new floating-point tensors (float32 or float64)."""
    d = as_dtype(dtype)
    if d.kind != "f":
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float[0] = d


def as_dtype(dtype: Any) -> np.dtype:
    """Turn a dtype given as a string, numpy type or numpy dtype into a numpy dtype."""
    if isinstance(dtype, str):
        try:
            return _ALIASES[dtype.lower()]
        except KeyError:
            raise TypeError(f"unknown dtype {dtype!r}; expected one of {sorted(_ALIASES)}") from None
    return np.dtype(dtype)


def display_name(dtype: Any) -> str:
    """PyTorch's name, used in reprs: `torch.float64`."""
    d = np.dtype(dtype)
    return f"torch.{'bool' if d == bool_ else d.name}"


def scalar_type_name(dtype: Any) -> str:
    """PyTorch's scalar type name: Float, Long, ..."""
    d = np.dtype(dtype)
    return _SCALAR_TYPE_NAMES.get(d.name, d.name)


_CXX_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int", "int32": "int",
                   "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def cxx_type_name(dtype: Any) -> str:
    """The C++ type name some of PyTorch's messages print: `float`, `double`, `long int`, ..."""
    d = np.dtype(dtype)
    return _CXX_TYPE_NAMES.get(d.name, d.name)


def tensor_type_name(dtype: Any) -> str:
    """PyTorch's tensor type name, as `tensor.type()` gives it: `torch.FloatTensor`."""
    d = np.dtype(dtype)
    return f"torch.{_SCALAR_TYPE_NAMES[d.name]}Tensor" if d.name in _SCALAR_TYPE_NAMES else "torch.Tensor"


class dtype:  # noqa: N801 - PyTorch's name
    """A tensor's element type as users see it: `torch.float32` when printed, equal (and hashing equal) to
    the numpy dtype it stands for, and accepted by numpy as that dtype (numpy reads its `dtype` attribute)."""

    __slots__ = ("dtype",)

    def __init__(self, numpy_dtype: Any) -> None:
        self.dtype = np.dtype(numpy_dtype)

    def __repr__(self) -> str:
        return display_name(self.dtype)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, dtype):
            return self.dtype == other.dtype
        if other is None:  # numpy reads None as float64; PyTorch's dtypes never equal None
            return False
        try:
            return self.dtype == np.dtype(other)  # type: ignore[arg-type]
        except TypeError:
            return NotImplemented

    def __hash__(self) -> int:
        return hash(self.dtype)

    def __reduce__(self) -> tuple:
        return public, (self.dtype.str,)

    def __getattr__(self, name: str) -> Any:  # kind, name, itemsize, type, ... as numpy's
        return getattr(self.dtype, name)

    @property
    def is_floating_point(self) -> bool:
        return self.dtype.kind == "f"

    @property
    def is_complex(self) -> bool:
        return self.dtype.kind == "c"

    @property
    def is_signed(self) -> bool:
        return self.dtype.kind in "fic"

    def to_complex(self) -> dtype:
        return public({2: np.complex64, 4: np.complex64, 8: np.complex128}[self.dtype.itemsize])

    def to_real(self) -> dtype:
        return public({8: np.float32, 16: np.float64}.get(self.dtype.itemsize, self.dtype))


_PUBLIC: dict[np.dtype, dtype] = {}


def public(numpy_dtype: Any) -> dtype:
    """The one `dtype` object for a numpy dtype (so `t.dtype is trainer.float32` holds, as in PyTorch)."""
    d = np.dtype(numpy_dtype)
    found = _PUBLIC.get(d)
    if found is None:
        found = _PUBLIC[d] = dtype(d)
    return found


def default_dtype() -> dtype:
    """`get_default_dtype()` as users call it: the dtype object."""
    return public(_default_float[0])
