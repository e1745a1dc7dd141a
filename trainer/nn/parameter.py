"""`Parameter`: a tensor that a `Module` registers as one of its learnable weights; `UninitializedParameter` and
`UninitializedBuffer` (a lazy module's, before its first forward), and the `Buffer` marker."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from ..autograd.creation import _size
from ..autograd.device import as_device
from ..autograd.dtypes import as_dtype, get_default_dtype
from ..autograd.tensor import Tensor
from . import _arena


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


_SHAPE_MESSAGE = ("Can't access the shape of an uninitialized parameter or buffer. This error usually happens in "
                  "`load_state_dict` when trying to load an uninitialized parameter into an initialized one. Call "
                  "`forward` to initialize the parameters before accessing their attributes.")


def _use_message(cls: type, method: str) -> str:
    return (f"Attempted to use an uninitialized parameter in <method '{method}' of 'torch._C.TensorBase' objects>. "
            "This error happens when you are using a `LazyModule` or explicitly manipulating "
            f"`torch.nn.parameter.{cls.__name__}` objects. When using LazyModules Call `forward` with a dummy batch "
            "to initialize the parameters before calling torch functions")


class UninitializedTensorMixin:
    """What `UninitializedParameter` and `UninitializedBuffer` share: no shape yet, only a dtype (an empty
    placeholder array), until `materialize(shape)` gives them storage and their eager class."""

    __slots__ = ()
    cls_to_become: type = Tensor

    def materialize(self, shape: Any, device: Any = None, dtype: Any = None) -> None:
        """Storage of `shape` (this dtype unless `dtype`), zero-filled, and the eager class (Parameter/Tensor)."""
        d = self._array.dtype if dtype is None else as_dtype(dtype)
        shape = _size((shape,))
        self._array = _arena.take(shape, d) if self.cls_to_become is Parameter else np.zeros(shape, d)
        self.__class__ = self.cls_to_become

    @property
    def shape(self) -> Any:
        raise RuntimeError(_SHAPE_MESSAGE)

    def _refuse(self, method: str) -> Any:
        raise ValueError(_use_message(type(self), method))

    def numel(self) -> int:
        return self._refuse("numel")

    def dim(self) -> int:
        return self._refuse("dim")

    @property
    def ndim(self) -> int:
        return self._refuse("ndim")

    def share_memory_(self) -> Any:
        raise RuntimeError("Can't share memory on an uninitialized parameter or buffer. Call `forward` to initialize "
                           "the parameters before calling `module.share_memory()`.")

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def __reduce_ex__(self, protocol: Any) -> tuple:
        return (_rebuild_uninitialized, (type(self), self.requires_grad, self._array.dtype))

    def __deepcopy__(self, memo: dict) -> Any:
        if id(self) not in memo:
            memo[id(self)] = _rebuild_uninitialized(type(self), self.requires_grad, self._array.dtype)
        return memo[id(self)]


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is not known yet (a lazy module's, until its first forward)."""

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: Any = None) -> None:
        Parameter.__init__(self, Tensor._wrap(np.empty((0,), _placeholder_dtype(dtype, device))), requires_grad)


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer whose shape is not known yet (a lazy module's running statistics, until its first forward)."""

    __slots__ = ()
    cls_to_become = Tensor

    def __init__(self, requires_grad: bool = False, device: Any = None, dtype: Any = None) -> None:
        self._init(np.empty((0,), _placeholder_dtype(dtype, device)), requires_grad)


def _placeholder_dtype(dtype: Any, device: Any) -> np.dtype:
    if device is not None:
        as_device(device)
    return get_default_dtype() if dtype is None else as_dtype(dtype)


def _rebuild_uninitialized(cls: type, requires_grad: bool, dtype: np.dtype) -> Any:
    return cls(requires_grad, dtype=dtype)


def is_lazy(param: Any) -> bool:
    """Whether `param` is an `UninitializedParameter` or `UninitializedBuffer`."""
    return isinstance(param, UninitializedTensorMixin)


_BUFFERS: dict[int, tuple[Any, bool]] = {}  # id -> (weak reference, persistent) of the tensors `Buffer` made


class _BufferMeta(type):
    def __instancecheck__(cls, instance: Any) -> bool:
        entry = _BUFFERS.get(id(instance))
        return entry is not None and entry[0]() is instance


class Buffer(metaclass=_BufferMeta):
    """`nn.Buffer(data, persistent=True)`: a tensor (detached, sharing `data`'s storage) marked so that assigning
    it as a module attribute registers it as a buffer; `isinstance(t, nn.Buffer)` tells the marked ones."""

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True) -> Any:
        if data is None:
            data = Tensor._wrap(np.empty((0,), get_default_dtype()))
        t = data.detach().requires_grad_(data.requires_grad)
        key = id(t)
        _BUFFERS[key] = (weakref.ref(t, lambda _ref: _BUFFERS.pop(key, None)), bool(persistent))
        return t


def buffer_persistence(value: Any) -> bool | None:
    """Whether a tensor `Buffer` marked is persistent (None when it is not marked)."""
    entry = _BUFFERS.get(id(value))
    return entry[1] if entry is not None and entry[0]() is value else None
