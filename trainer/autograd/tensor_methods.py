"""Tensor methods that are not ops: the `new_*` factories, `type_as`, storage facts (`stride`, `is_contiguous`,
`element_size`, ...), the matrix transposes `mT`/`H`, `sum_to_size`, `apply_`/`map_`, and the CPU's no-ops
(`pin_memory`, `share_memory_`); they register on Tensor at import."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from . import ops
from .creation import _size
from .device import as_device
from .dtypes import as_dtype, float16
from .tensor import Tensor


def _new(self: Tensor, array: np.ndarray, device: Any, requires_grad: bool) -> Tensor:
    if device is not None:
        as_device(device)
    t = Tensor._wrap(array)
    return t.requires_grad_(requires_grad) if requires_grad else t


def _dtype(self: Tensor, dtype: Any) -> np.dtype:
    return self._array.dtype if dtype is None else as_dtype(dtype)


def new_tensor(self: Tensor, data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
               layout: Any = None, pin_memory: bool = False) -> Tensor:
    """A copy of `data` with this tensor's dtype (or `dtype`), outside the graph."""
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
                      "or sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
        data = data._array
    return _new(self, np.array(data, dtype=_dtype(self, dtype)), device, requires_grad)


def _filled(fill: Callable[..., np.ndarray]):
    def new(self: Tensor, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
            layout: Any = None, pin_memory: bool = False) -> Tensor:
        return _new(self, fill(_size(size), dtype=_dtype(self, dtype)), device, requires_grad)

    return new


def new_full(self: Tensor, size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False, layout: Any = None, pin_memory: bool = False) -> Tensor:
    """A tensor of `size` filled with `fill_value`, in this tensor's dtype (or `dtype`)."""
    return _new(self, np.full(_size((size,)), fill_value, dtype=_dtype(self, dtype)), device, requires_grad)


def type_as(self: Tensor, other: Tensor) -> Tensor:
    """This tensor cast to `other`'s dtype (itself when they agree)."""
    return self.to(other._array.dtype)


def stride(self: Tensor, dim: int | None = None) -> tuple[int, ...] | int:
    """Steps in elements between neighbours along each dimension (numpy's byte strides over the item size)."""
    arr = self._array
    steps = tuple(s // arr.itemsize for s in arr.strides)
    if dim is None:
        return steps
    if not arr.ndim:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    if not -arr.ndim <= dim < arr.ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-arr.ndim}, {arr.ndim - 1}], "
                         f"but got {dim})")
    return steps[dim]


def is_contiguous(self: Tensor, memory_format: Any = None) -> bool:
    """Whether the elements lie in row-major order without gaps."""
    return bool(self._array.flags.c_contiguous)


def storage_offset(self: Tensor) -> int:
    """Where this tensor starts in its storage, in elements."""
    arr, base = self._array, self._array
    while isinstance(base.base, np.ndarray):
        base = base.base
    return (arr.__array_interface__["data"][0] - base.__array_interface__["data"][0]) // arr.itemsize


def sum_to_size(self: Tensor, *size: Any) -> Tensor:
    """Sum over the broadcast dimensions down to `size` (which this tensor must be expandable from)."""
    shape = _size(size)
    arr_shape = tuple(self._array.shape)
    lead = len(arr_shape) - len(shape)
    if lead < 0 or any(s != 1 and s != n for s, n in zip(shape, arr_shape[lead:])):
        raise RuntimeError(f"size {{{list(shape)}}} is not expandable to size {{{list(arr_shape)}}}.")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and arr_shape[lead + i] != 1)
    out = ops.sum(self, dim=dims, keepdim=True) if dims else self
    return ops.reshape(out, shape) if lead else out


def _elementwise_(self: Tensor, fn: Callable, *others: Tensor) -> Tensor:
    if self.requires_grad:
        raise RuntimeError(f"Can't call {'map_' if others else 'apply_'}() on Variable that requires grad. Use "
                           f"var.detach().{'map_' if others else 'apply_'}() instead.")
    arrays = [np.broadcast_to(o._array, self._array.shape) for o in others]
    flat = [a.reshape(-1) for a in (self._array, *arrays)]
    values = [fn(*(a[i].item() for a in flat)) for i in range(self._array.size)]
    self._array[...] = np.asarray(values, dtype=self._array.dtype).reshape(self._array.shape)
    self._bump()
    return self


def apply_(self: Tensor, callable: Callable[[Any], Any]) -> Tensor:  # noqa: A002 - PyTorch's name
    """Replace each element `x` with `callable(x)` (a Python function; slow, as in PyTorch)."""
    return _elementwise_(self, callable)


def map_(self: Tensor, tensor: Tensor, callable: Callable[[Any, Any], Any]) -> Tensor:  # noqa: A002
    """Replace each element `x` with `callable(x, y)`, `y` the matching element of `tensor` (broadcast)."""
    return _elementwise_(self, callable, tensor)


def _transposed(name: str, batches: bool) -> Callable[[Tensor], Tensor]:
    """`mT`/`mH`/`adjoint()` (the last two dimensions swapped; real tensors, so no conjugate) or `H` (2-D only)."""
    what = "matrices or batches of matrices" if batches else "matrices (2-D tensors)"

    def transposed(self: Tensor) -> Tensor:
        ndim = self._array.ndim
        if ndim == 0:
            warnings.warn(f"{name} is deprecated on 0-D tensors. Consider using x.conj().", UserWarning,
                          stacklevel=2)
            return self
        if ndim == 1 or (ndim > 2 and not batches):
            hint = " For batches of matrices, consider using tensor.mH" if ndim > 2 else ""
            raise RuntimeError(f"{name} is only supported on {what}. Got {ndim}-D tensor.{hint}")
        return ops.transpose(self, -2, -1)

    return transposed


def _returns_self(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    return self


def _false(self: Tensor, *args: Any, **kwargs: Any) -> bool:
    return False


def pin_memory(self: Tensor, device: Any = None) -> Tensor:
    """Page-locked memory is for copies to an accelerator, and the CPU is all there is (PyTorch's CPU build says so)."""
    raise RuntimeError("Cannot access accelerator device when none is available.")


_METHODS: dict[str, Any] = {
    "new_tensor": new_tensor, "new_zeros": _filled(np.zeros), "new_ones": _filled(np.ones),
    "new_empty": _filled(np.empty), "new_full": new_full, "type_as": type_as,
    "stride": stride, "is_contiguous": is_contiguous, "storage_offset": storage_offset, "sum_to_size": sum_to_size,
    "apply_": apply_, "map_": map_, "adjoint": _transposed("adjoint()", batches=True),
    "element_size": lambda self: self._array.itemsize,
    "ndimension": lambda self: self._array.ndim,
    "is_floating_point": lambda self: self._array.dtype.kind == "f",
    "is_signed": lambda self: self._array.dtype.kind in "fi",
    "is_same_size": lambda self, other: self._array.shape == other._array.shape,
    "data_ptr": lambda self: self._array.__array_interface__["data"][0],
    "half": lambda self: self.to(float16), "short": lambda self: self.to(np.int16),
    "byte": lambda self: self.to(np.uint8), "char": lambda self: self.to(np.int8),
    "pin_memory": pin_memory, "share_memory_": _returns_self,
    "is_pinned": _false, "is_shared": _false, "is_inference": _false,
}
_PROPERTIES: dict[str, Callable[[Tensor], Any]] = {
    "mT": _transposed("tensor.mT", batches=True), "mH": _transposed("tensor.mH", batches=True),
    "H": _transposed("tensor.H", batches=False),
    "itemsize": lambda self: self._array.itemsize, "nbytes": lambda self: self._array.nbytes,
    "is_cpu": lambda self: True, "is_sparse": lambda self: False, "is_quantized": lambda self: False,
    "is_meta": lambda self: False, "is_mkldnn": lambda self: False, "is_nested": lambda self: False,
}


for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
for _name, _fn in _PROPERTIES.items():
    setattr(Tensor, _name, property(_fn))
