"""`Tensor`: a numpy array plus the graph that reverse-mode autograd walks back."""

from __future__ import annotations

import bisect
import heapq
import itertools
import sys
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._lazy import _attribute
from . import grad_mode
from .broadcast_check import broadcast_error
from .device import CPU, as_device, device, is_device
from .dtypes import (
    as_dtype,
    dtype,
    float32,
    get_default_dtype,
    int64,
    public,
    scalar_type_name,
    tensor_type_name,
)
from .hooks import HOOKS, RemovableHandle, add_hook, hooks_of
from .nodes import Node, grad_fn_of, node_name
from .printing import tensor_repr
from .size import Size

_node_counter = itertools.count(1)
_RETAINING: dict[int, weakref.ref] = {}  # non-leaf tensors whose .grad backward fills (retain_grad)
_last_inplace = [0]  # the stamp (a `_node_counter` value) of the latest in-place change to any tensor
# tensors whose graph node an in-place op replaced: id -> [(stamp of the change, the node it replaced)]
_REBASED: dict[int, list[tuple[int, Tensor]]] = {}

BackwardFn = Callable[[np.ndarray], Sequence[np.ndarray | None]]


def _freed_backward(_: np.ndarray) -> Sequence[np.ndarray | None]:
    raise RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved tensors after "
        "they have already been freed). Specify retain_graph=True if you need to backward through the "
        "graph a second time."
    )


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a gradient that numpy broadcasting widened back down to `shape`."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    if grad.shape != shape:
        raise RuntimeError(f"internal error: gradient of shape {grad.shape} does not fit input {shape}")
    return grad


def to_arguments(args: tuple, dtype: Any, device: Any) -> Any:
    """The dtype `Tensor.to(*args, dtype=, device=)` asks for (None: keep its own); the devices are checked."""
    for arg in args:
        if isinstance(arg, Tensor):
            dtype = arg._array.dtype
        elif is_device(arg):
            as_device(arg)
        elif dtype is None:
            dtype = arg
        else:
            raise TypeError("to() received an invalid combination of arguments")
    if device is not None:
        as_device(device)
    return dtype


def _legacy_array(args: tuple, dtype: np.dtype | None = None) -> np.ndarray:
    """The array of `torch.Tensor(*args)`: sizes give zeros, a sequence or array its values, in the default dtype
    (or `dtype`: `torch.FloatTensor(*args)`, `legacy_types`)."""
    dtype = get_default_dtype() if dtype is None else dtype
    if not args:
        return np.zeros((0,), dtype)
    if all(isinstance(a, int | np.integer) and not isinstance(a, bool) for a in args):
        return np.zeros(tuple(int(a) for a in args), dtype)
    if len(args) == 1 and isinstance(args[0], Size):
        return np.zeros(tuple(args[0]), dtype)
    if len(args) != 1:
        raise TypeError(f"Tensor(): expected sizes or one sequence of data, got {len(args)} arguments")
    data = args[0]
    if isinstance(data, Tensor):
        return data._array if data._array.dtype == dtype else data._array.astype(dtype)
    return np.array(data, dtype=dtype)


class Tensor:
    """An n-dimensional array that can record the operations applied to it.

    `_array` is the numpy array the engine reads and optimizers update in place; `data` is, as in
    PyTorch, a tensor sharing that storage outside the graph; `grad` is a Tensor or None.
    """

    # `_ctx` is set only by the ops whose higher-order rule needs an argument (`higher_order`); unset elsewhere
    __slots__ = ("_array", "grad", "requires_grad", "_parents", "_backward", "_op", "_seq", "_vc", "_base", "_ctx",
                 "__weakref__")
    __array_priority__ = 1000  # numpy defers to our reflected operators

    def __init__(self, *args: Any, requires_grad: bool = False, dtype: Any = None, device: Any = None) -> None:
        """`Tensor(data)` or `Tensor(*sizes)`, as PyTorch's legacy constructor: always the default float dtype."""
        if device is not None:
            as_device(device)
        self._init(_legacy_array(args) if dtype is None else _to_array(args[0], dtype), requires_grad)

    @classmethod
    def _from_data(cls, data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
        """`torch.tensor(data, dtype=, requires_grad=)`: a copy of `data`, its dtype inferred as PyTorch does."""
        t = object.__new__(cls)
        t._init(_to_array(data, dtype), requires_grad)
        return t

    def _init(self, arr: np.ndarray, requires_grad: bool) -> None:
        if requires_grad and arr.dtype.kind not in "fc":
            raise RuntimeError(f"only Tensors of floating point dtype can require gradients, got {arr.dtype}")
        self._array: np.ndarray = arr
        self.grad: Tensor | None = None
        self.requires_grad: bool = bool(requires_grad)
        self._parents: tuple[Tensor, ...] = ()
        self._backward: BackwardFn | None = None
        self._op: str = ""
        self._vc: _VersionCounter | None = None  # shared by the tensors viewing one storage; made on first use
        self._base: Tensor | None = None

    # ----- construction of graph nodes -------------------------------------------------------
    @classmethod
    def _wrap(cls, data: np.ndarray) -> Tensor:
        """A tensor around an existing array, no copy, no graph."""
        t = object.__new__(Tensor)
        t._array = data if data.__class__ is np.ndarray else _as_array(data)
        t.grad = None
        t.requires_grad = False
        t._parents = ()
        t._backward = None
        t._op = ""
        t._vc = None
        t._base = None
        return t

    @staticmethod
    def _make(data: np.ndarray, parents: tuple[Tensor, ...], backward: BackwardFn, op: str) -> Tensor:
        """The result of an op: records `backward` only if grad mode is on and a parent needs it."""
        out = object.__new__(Tensor)  # `_wrap(data)`, inlined, each slot stored once: every op pays for this
        if data.__class__ is not np.ndarray:  # a ufunc of 0-d arrays gives a numpy scalar, which is immutable
            data = _as_array(data)
        out._array = data
        out.grad = None
        out._vc = None
        out._base = None
        base = data.base
        if base is not None:  # a numpy view of a parent's storage shares its version counter
            for p in parents:
                arr = p._array
                if (arr is base or arr.base is base) and (len(parents) == 1 or np.may_share_memory(data, arr)):
                    out._vc = p._counter()  # (parameters share one arena chunk: the parent it views, not a neighbour)
                    out._base = p if p._base is None else p._base
                    break
        if grad_mode._enabled[0]:
            for p in parents:
                if p.requires_grad:
                    out.requires_grad = True
                    out._parents = parents
                    out._backward = backward
                    out._op = op
                    out._seq = next(_node_counter)
                    return out
        out.requires_grad = False
        out._parents = ()
        out._backward = None
        out._op = ""
        return out

    # ----- basic properties ------------------------------------------------------------------
    @property
    def data(self) -> Tensor:
        """A tensor sharing this one's storage, detached from the graph (changes to it are not tracked)."""
        return Tensor._wrap(self._array)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        self._array = value._array

    @property
    def shape(self) -> Size:
        return Size(self._array.shape)

    @property
    def dtype(self) -> dtype:
        return public(self._array.dtype)

    @property
    def ndim(self) -> int:
        return self._array.ndim

    @property
    def is_leaf(self) -> bool:
        """True for tensors the user created (not results of recorded ops)."""
        return self._backward is None

    @property
    def grad_fn(self) -> Node | None:
        """The backward node of the op that produced this tensor (`<MulBackward0 object at ...>`), None for leaves."""
        return grad_fn_of(self)

    @property
    def T(self) -> Tensor:  # noqa: N802 - PyTorch's name
        if self.ndim < 2:
            return self
        return _ops.transpose(self, -2, -1) if self.ndim == 2 else self.permute(*reversed(range(self.ndim)))

    def size(self, dim: int | None = None) -> Size | int:
        return Size(self._array.shape) if dim is None else self._array.shape[dim]

    def dim(self) -> int:
        return self._array.ndim

    def numel(self) -> int:
        return int(self._array.size)

    nelement = numel

    def __len__(self) -> int:
        if self._array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._array.shape[0]

    __hash__ = object.__hash__  # identity, as a C slot (tensors key optimizer state dicts)

    def __bool__(self) -> bool:
        if self._array.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._array)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        """An integer (or bool) tensor of one element used as a Python index: `classes[label]`, `range(n)`."""
        if self._array.size != 1 or self._array.dtype.kind not in "iub":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._array.reshape(()))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    # ----- conversion ------------------------------------------------------------------------
    def item(self) -> float | int | bool:
        if self._array.size != 1:
            raise RuntimeError(f"a Tensor with {self._array.size} elements cannot be converted to Scalar")
        return self._array.item()

    def numpy(self) -> np.ndarray:
        if self.requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._array

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """`np.asarray(t)`: the tensor's values (refused while it requires grad, as `numpy()`)."""
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype, copy=False)

    def tolist(self) -> Any:
        return self._array.tolist()

    def detach(self) -> Tensor:
        """A tensor sharing this one's storage and version counter, cut from the graph."""
        t = Tensor._wrap(self._array)
        t._vc = self._counter()
        return t

    def detach_(self) -> Tensor:
        self._parents = ()
        self._backward = None
        self._op = ""
        self.requires_grad = False
        return self

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in `.grad` during backward (leaves always keep theirs)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if not self.is_leaf:
            key = id(self)
            _RETAINING[key] = weakref.ref(self, lambda _: _RETAINING.pop(key, None))

    @property
    def retains_grad(self) -> bool:
        return id(self) in _RETAINING

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call `hook(grad)` whenever this tensor's gradient is computed; a tensor it returns replaces the gradient.

        A leaf's hooks see the sum of its contributions of one backward pass, before it is added to `.grad`; a
        non-leaf's run before its gradient flows on (and before `retain_grad` keeps it).
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        return add_hook(hooks_of(self).pre, hook)

    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], None]) -> RemovableHandle:
        """Call `hook(tensor)` after backward has accumulated this leaf's `.grad`."""
        if not self.is_leaf:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        return add_hook(hooks_of(self).post, hook)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if not self.is_leaf:
            raise RuntimeError("you can only change requires_grad flags of leaf variables")
        if requires_grad and self._array.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    def to(self, *args: Any, dtype: Any = None, device: Any = None, non_blocking: bool = False,
           copy: bool = False) -> Tensor:
        """`to(dtype)`, `to(device)`, `to(device, dtype)`, `to(other_tensor)` or keywords; only the CPU exists."""
        dtype = to_arguments(args, dtype, device)
        out = self if dtype is None else _ops.cast(self, as_dtype(dtype))
        return _ops.clone(out) if copy and out is self else out

    def type(self, dtype: Any = None, non_blocking: bool = False, **kwargs: Any) -> Tensor | str:
        """`type()` names the tensor type (`'torch.FloatTensor'`); `type(dtype)` converts, as `to(dtype)`, and so does
        `type(torch.DoubleTensor)` (a legacy type, `legacy_types`) or its name."""
        if dtype is None:
            return tensor_type_name(self._array.dtype)
        return self.to(getattr(dtype, "_tensor_dtype", dtype))

    def float(self) -> Tensor:
        return self.to(float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def long(self) -> Tensor:
        return self.to(int64)

    def int(self) -> Tensor:
        return self.to(np.int32)

    def bool(self) -> Tensor:
        return self.to(np.bool_)

    def clone(self) -> Tensor:
        return _ops.clone(self)

    def contiguous(self, memory_format: Any = None) -> Tensor:
        """This tensor if its elements lie in row-major order, else a row-major copy (in the graph)."""
        return self if self._array.flags.c_contiguous else _ops.clone(self)

    # ----- devices (trainer runs on the CPU only) -------------------------------------------
    @property
    def device(self) -> device:
        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    def cpu(self) -> Tensor:
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Tensor:
        as_device("cuda" if device is None else device if not isinstance(device, int) else f"cuda:{device}")
        return self

    def get_device(self) -> int:
        return -1

    # ----- layouts: a dense tensor's side of the sparse COO methods (`autograd/sparse.py`, loaded on first use) ----
    @property
    def layout(self) -> Any:
        return _attribute("trainer.autograd", "sparse", "strided")

    def to_sparse(self, *args: Any, **kwargs: Any) -> Tensor:
        return _attribute("trainer.autograd", "sparse", "to_sparse")(self, *args, **kwargs)

    def to_sparse_coo(self) -> Tensor:
        return _attribute("trainer.autograd", "sparse", "to_sparse")(self)

    def to_dense(self, dtype: Any = None, *, masked_grad: bool | None = None) -> Tensor:
        return self if dtype is None else self.to(dtype)

    def _sparse_method(self, name: str) -> Any:  # the sparse-only methods: PyTorch's errors for the strided layout
        return _attribute("trainer.autograd", "sparse", "DENSE_METHODS")[name].__get__(self)

    coalesce = property(lambda self: self._sparse_method("coalesce"))
    is_coalesced = property(lambda self: self._sparse_method("is_coalesced"))
    indices = property(lambda self: self._sparse_method("indices"))
    values = property(lambda self: self._sparse_method("values"))
    _indices = property(lambda self: self._sparse_method("_indices"))
    _values = property(lambda self: self._sparse_method("_values"))
    _nnz = property(lambda self: self._sparse_method("_nnz"))
    sparse_dim = property(lambda self: self._sparse_method("sparse_dim"))
    dense_dim = property(lambda self: self._sparse_method("dense_dim"))


    # ----- in-place operations (PyTorch's rules: leaves, graph recording, version counters) ---
    @property
    def _version(self) -> int:
        """How many in-place changes this tensor's storage has had (shared with its views)."""
        return 0 if self._vc is None else self._vc.version

    def _counter(self) -> _VersionCounter:
        vc = self._vc
        if vc is None:
            vc = self._vc = _VersionCounter()
        return vc

    def _bump(self) -> None:
        """Count one in-place change of this tensor's storage."""
        stamp = next(_node_counter)
        self._counter().bump(stamp)
        _last_inplace[0] = stamp

    def _check_inplace(self) -> None:
        """Refuse in-place changes to leaves that require grad (and their views) while grad mode is on."""
        if not grad_mode._enabled[0]:
            return
        if self.requires_grad and self._backward is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        base = self._base
        if base is not None and base.requires_grad and base._backward is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")

    def _inplace(self, fn: Callable[..., Tensor], args: tuple = (), keep_self: bool = True, view: bool = False,
                 ) -> Tensor:
        """`self = fn(self, *args)` in place, recorded in the graph when grad mode is on and an operand needs it.

        Recorded, self becomes the op's node and its old node moves to a new tensor (holding a copy of the old
        values if `keep_self`, i.e. the op's backward reads its input); `view` ops rebind self to fn's view.
        """
        self._check_inplace()
        if not (grad_mode._enabled[0] and (self.requires_grad or _any_requires_grad(args))):
            res = fn(self, *args)
            if view:
                self._array = res._array
            else:
                self._store(res._array)
            self._bump()
            return self
        if self._base is not None and not view:
            return self._inplace_on_view(fn, args)
        if self._base is not None:
            raise RuntimeError("in-place view operations on a view of a tensor that is part of a graph are not "
                               "supported by trainer's engine; clone() the view first")
        prev = Tensor._wrap(self._array.copy() if keep_self and not view else self._array)
        prev.requires_grad = self.requires_grad
        vc = self._counter()
        if self._backward is not None:
            prev._parents, prev._backward, prev._op, prev._seq = self._parents, self._backward, self._op, self._seq
            _move_ctx(self, prev)
            if prev._array is not self._array and prev._op in _SAVES_OUTPUT:
                prev._backward = _modified_backward(prev, vc, vc.version)
        prev._vc = vc if prev._array is self._array else None
        self._bump()
        _rebased(self).append((_last_inplace[0], prev))
        res = fn(prev, *args)
        if view:
            self._array = res._array
        else:
            self._store(res._array)
        if res._backward is None:
            self.requires_grad, self._parents, self._backward, self._op = False, (), None, ""
        else:
            self.requires_grad, self._parents, self._backward, self._op = True, res._parents, res._backward, res._op
            self._seq = res._seq
            _move_ctx(res, self)
        return self

    def _inplace_on_view(self, fn: Callable[..., Tensor], args: tuple) -> Tensor:
        """PyTorch's rebase: an in-place op on a view rewrites its base (a CopySlices node over the old base and
        the op applied to the viewed region), and the view becomes a view of the new base."""
        base = self._base
        pos = _positions(self._array, base._array)
        if pos is None:
            raise RuntimeError("in-place operations on this view of a tensor that is part of a graph are not "
                               "supported by trainer's engine; clone() the view first")
        shape = base._array.shape

        def rewrite(old: Tensor, *a: Any) -> Tensor:
            flat = old._array.reshape(-1)
            region = Tensor._make(flat[pos], (old,), lambda g: (_scattered(g, pos, shape),), "AsStrided")
            res = fn(region, *a)
            new = flat.copy()
            new[pos] = res._array
            return Tensor._make(new.reshape(shape), (old, res),
                                lambda g: (_without(g, pos), g.reshape(-1)[pos]), "CopySlices")

        base._inplace(rewrite, args, False)
        node = Tensor._make(self._array, (base,), lambda g: (_scattered(g, pos, shape),), "AsStrided")
        self.requires_grad, self._parents, self._backward, self._op = (
            node.requires_grad, node._parents, node._backward, node._op)
        if node._backward is not None:
            self._seq = node._seq
        return self

    def _store(self, arr: np.ndarray) -> None:
        """Write an op's result into this tensor's storage, with PyTorch's shape and dtype rules."""
        target = self._array
        if arr.shape != target.shape:
            raise RuntimeError(f"output with shape {list(target.shape)} doesn't match the broadcast shape "
                               f"{list(arr.shape)}")
        if arr.dtype != target.dtype and not np.can_cast(arr.dtype, target.dtype, "same_kind"):
            raise _cast_error(arr.dtype, target.dtype)
        np.copyto(target, arr, casting="unsafe")

    def _ufunc_(self, ufunc: np.ufunc, other: Any) -> Tensor:
        """`self = ufunc(self, other)` straight into the storage (nothing to record)."""
        self._check_inplace()
        arr = self._array
        o = other._array if isinstance(other, Tensor) else other
        try:
            ufunc(arr, o, out=arr, casting="same_kind")
        except TypeError:
            if isinstance(other, float) and arr.dtype.kind != "f" or ufunc is np.true_divide:
                raise _cast_error(get_default_dtype(), arr.dtype) from None
            try:
                res = np.result_type(arr, o)
            except TypeError:
                res = None
            if res is None or np.can_cast(res, arr.dtype, "same_kind"):
                name = scalar_type_name(arr.dtype)
                raise RuntimeError(f"\"{ufunc.__name__}\" not implemented for '{name}'") from None
            raise _cast_error(res, arr.dtype) from None
        except ValueError:
            error = broadcast_error(arr.shape, np.shape(o))
            if error is not None:
                raise error from None
            shape = np.broadcast_shapes(arr.shape, np.shape(o))
            raise RuntimeError(f"output with shape {list(arr.shape)} doesn't match the broadcast shape "
                               f"{list(shape)}") from None
        self._bump()
        return self

    def _binary_(self, ufunc: np.ufunc, other: Any, op: Callable[[Any, Any], Tensor], keep_self: bool) -> Tensor:
        if grad_mode._enabled[0] and (self.requires_grad or isinstance(other, Tensor) and other.requires_grad):
            return self._inplace(op, (other,), keep_self)
        return self._ufunc_(ufunc, other)

    def add_(self, other: Any, alpha: float = 1) -> Tensor:
        if alpha != 1:
            if grad_mode._enabled[0] and (self.requires_grad or isinstance(other, Tensor) and other.requires_grad):
                return self._inplace(lambda s, o: _ops.add(s, _ops.mul(o, alpha)), (other,), False)
            other = (other._array if isinstance(other, Tensor) else np.asarray(other)) * alpha
        return self._binary_(np.add, other, _ops.add, False)

    def sub_(self, other: Any, alpha: float = 1) -> Tensor:
        if alpha != 1:
            return self.add_(other, alpha=-alpha)
        return self._binary_(np.subtract, other, _ops.sub, False)

    def mul_(self, other: Any) -> Tensor:
        return self._binary_(np.multiply, other, _ops.mul, True)

    def div_(self, other: Any) -> Tensor:
        return self._binary_(np.true_divide, other, _ops.div, True)

    def pow_(self, exponent: Any) -> Tensor:
        return self._binary_(np.power, exponent, _ops.pow, True)

    def _nondifferentiable_(self, ufunc: np.ufunc, other: Any, name: str) -> Tensor:
        if grad_mode._enabled[0] and (self.requires_grad or isinstance(other, Tensor) and other.requires_grad):
            self._check_inplace()
            raise RuntimeError(f"the derivative for '{name}' is not implemented")
        return self._ufunc_(ufunc, other)

    def floor_divide_(self, other: Any) -> Tensor:
        return self._nondifferentiable_(np.floor_divide, other, "floor_divide")

    def __iadd__(self, other: Any) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: Any) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other: Any) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)

    def __ipow__(self, other: Any) -> Tensor:
        return self.pow_(other)

    def __ifloordiv__(self, other: Any) -> Tensor:
        return self.floor_divide_(other)

    def __imod__(self, other: Any) -> Tensor:
        return self.remainder_(other)

    def __iand__(self, other: Any) -> Tensor:
        return self._nondifferentiable_(np.bitwise_and, other, "bitwise_and")

    def __ior__(self, other: Any) -> Tensor:
        return self._nondifferentiable_(np.bitwise_or, other, "bitwise_or")

    def __ixor__(self, other: Any) -> Tensor:
        return self._nondifferentiable_(np.bitwise_xor, other, "bitwise_xor")

    def addcmul_(self, tensor1: Any, tensor2: Any, value: float = 1) -> Tensor:
        """self += value * tensor1 * tensor2."""
        return self.add_(_ops.mul(tensor1, tensor2), alpha=value)

    def addcdiv_(self, tensor1: Any, tensor2: Any, value: float = 1) -> Tensor:
        """self += value * tensor1 / tensor2."""
        return self.add_(_ops.div(tensor1, tensor2), alpha=value)

    def lerp_(self, end: Any, weight: Any) -> Tensor:
        """self += weight * (end - self), rounded as `torch.lerp` (from whichever end is nearer)."""
        lerp = _attribute("trainer.autograd", "extensions", "load")()["lerp"]  # the families load together
        return self._inplace(lerp, (end, weight), False)

    def neg_(self) -> Tensor:
        return self._inplace(_ops.neg, (), False)

    def abs_(self) -> Tensor:
        return self._inplace(_ops.abs)

    def sqrt_(self) -> Tensor:
        return self._inplace(_ops.sqrt, (), False)

    def exp_(self) -> Tensor:
        return self._inplace(_ops.exp, (), False)

    def log_(self) -> Tensor:
        return self._inplace(_ops.log)

    def sin_(self) -> Tensor:
        return self._inplace(_ops.sin)

    def cos_(self) -> Tensor:
        return self._inplace(_ops.cos)

    def tanh_(self) -> Tensor:
        return self._inplace(_ops.tanh, (), False)

    def sigmoid_(self) -> Tensor:
        return self._inplace(_ops.sigmoid, (), False)

    def relu_(self) -> Tensor:
        return self._inplace(_ops.relu, (), False)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        if min is None and max is None:
            raise RuntimeError("clamp: At least one of 'min' or 'max' must not be None")
        if not (grad_mode._enabled[0] and (self.requires_grad or _any_requires_grad((min, max)))):
            self._check_inplace()
            lo = min._array if isinstance(min, Tensor) else min
            hi = max._array if isinstance(max, Tensor) else max
            if self._array.dtype.kind != "f" and any(isinstance(v, float) for v in (lo, hi)):
                raise _cast_error(get_default_dtype(), self._array.dtype)
            np.clip(self._array, lo, hi, out=self._array)
            self._bump()
            return self
        return self._inplace(lambda s, lo, hi: _ops.clamp(s, lo, hi), (min, max))

    clip_ = clamp_

    def clamp_min_(self, min: Any) -> Tensor:  # noqa: A002
        return self.clamp_(min=min)

    def clamp_max_(self, max: Any) -> Tensor:  # noqa: A002
        return self.clamp_(max=max)

    def zero_(self) -> Tensor:
        return self.fill_(0)

    def fill_(self, value: Any) -> Tensor:
        if not (grad_mode._enabled[0] and (self.requires_grad or isinstance(value, Tensor) and value.requires_grad)):
            self._check_inplace()
            self._array.fill(value._array if isinstance(value, Tensor) else value)
            self._bump()
            return self
        return self._inplace(_fill, (value,), False)

    def masked_fill_(self, mask: Any, value: Any) -> Tensor:
        """Set the elements where the boolean `mask` holds to `value`."""
        m = mask._array if isinstance(mask, Tensor) else np.asarray(mask)
        if m.dtype != np.bool_:
            raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {m.dtype}")
        if not (grad_mode._enabled[0] and (self.requires_grad or isinstance(value, Tensor) and value.requires_grad)):
            self._check_inplace()
            v = value._array if isinstance(value, Tensor) else value
            np.copyto(self._array, v, casting="unsafe", where=np.broadcast_to(m, self._array.shape))
            self._bump()
            return self
        return self._inplace(lambda s, v: _ops.where(m, _ops.cast(_ops._as_tensor(v, s), s.dtype), s), (value,), False)

    def copy_(self, src: Any, non_blocking: bool = False) -> Tensor:
        """Copy `src` (broadcast, cast to this dtype) into this tensor's storage."""
        if not (grad_mode._enabled[0] and (self.requires_grad or isinstance(src, Tensor) and src.requires_grad)):
            self._check_inplace()
            np.copyto(self._array, src._array if isinstance(src, Tensor) else np.asarray(src), casting="unsafe")
            self._bump()
            return self
        return self._inplace(_copy, (src,), False)

    def _fill_random(self, values: np.ndarray) -> Tensor:
        """Write draws in memory order, as PyTorch's TensorIterator visits a (possibly transposed) tensor."""
        self._check_inplace()
        a = self._array
        if not a.flags.c_contiguous and a.ndim > 1:
            a = a.transpose(sorted(range(a.ndim), key=lambda i: -abs(a.strides[i])))
        np.copyto(a, values.reshape(a.shape), casting="unsafe")
        self._bump()
        return self

    def _float_draw_dtype(self, name: str) -> np.dtype:
        if self._array.dtype.kind != "f":
            raise RuntimeError(f"{name} is only implemented for floating types, got {self._array.dtype}")
        return np.dtype(np.float64) if self._array.dtype == np.float64 else np.dtype(np.float32)

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with U(a, b) draws, PyTorch's numbers for the same generator state."""
        gen = _random.generator_or_default(generator)
        return self._fill_random(gen.uniform(self._array.size, self._float_draw_dtype("uniform_"), a, b))

    def exponential_(self, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with Exp(lambd) draws, PyTorch's numbers for the same generator state."""
        if lambd <= 0:
            raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
        gen = _random.generator_or_default(generator)
        return self._fill_random(gen.exponential(self._array.size, self._float_draw_dtype("exponential_"), lambd))

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with N(mean, std^2) draws, PyTorch's numbers for the same generator state."""
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
        gen = _random.generator_or_default(generator)
        d = self._float_draw_dtype("normal_")
        return self._fill_random(gen.normal(self._array.size, d, mean, std, self._array.flags.c_contiguous))

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """Fill with 0/1 draws: 1 with probability p (a float or a tensor of probabilities)."""
        gen = _random.generator_or_default(generator)
        if isinstance(p, Tensor):
            probs = np.broadcast_to(p._array, self._array.shape)
            return self._fill_random(gen.bernoulli_tensor(probs))
        return self._fill_random(gen.bernoulli_scalar(self._array.size, float(p)))

    def random_(self, from_: int | None = None, to: int | None = None, *, generator: Any = None) -> Tensor:
        """Fill with integers in [from_, to); one bound means [0, from_); none, the dtype's whole range."""
        gen = _random.generator_or_default(generator)
        if from_ is None and to is None:
            return self._fill_random(gen.full_range(self._array.size, self._array.dtype))
        if to is None:
            from_, to = 0, from_
        return self._fill_random(gen.integers(self._array.size, from_, to))

    def unsqueeze_(self, dim: int) -> Tensor:
        return self._inplace(lambda s: _ops.unsqueeze(s, dim), (), False, view=True)

    def squeeze_(self, dim: Any = None) -> Tensor:
        return self._inplace(lambda s: _ops.squeeze(s, dim), (), False, view=True)

    def t_(self) -> Tensor:
        if self.ndim > 2:
            raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return self._inplace(lambda s: s.T, (), False, view=True)

    def __setitem__(self, index: Any, value: Any) -> None:
        self._check_inplace()
        idx = _index_of(index)
        if grad_mode._enabled[0] and (self.requires_grad or isinstance(value, Tensor) and value.requires_grad):
            if not isinstance(value, Tensor):
                value = Tensor._wrap(np.asarray(value, dtype=self._array.dtype))
            self._inplace(_assigned, (value, idx), False)
            return
        self._array[idx] = value._array if isinstance(value, Tensor) else value
        self._bump()

    # ----- autograd --------------------------------------------------------------------------
    def backward(self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
                 inputs: Any = None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's `.grad` that requires grad (or only `inputs`' leaves).

        With `create_graph` the gradients are graphs themselves (`higher_order`), and the graph is kept unless
        `retain_graph=False`, as in PyTorch.
        """
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if gradient is None:
            if self._array.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            seed = np.array(1, dtype=self._array.dtype) if self._array.ndim == 0 else np.ones_like(self._array)
        else:
            seed = np.asarray(gradient._array if isinstance(gradient, Tensor) else gradient, dtype=self._array.dtype)
            if seed.shape != self._array.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output has shape {seed.shape} and output has shape {self.shape}"
                )
        only = None
        if inputs is not None:
            leaves = [inputs] if isinstance(inputs, Tensor) else list(inputs)
            if not leaves or any(not t.is_leaf or not t.requires_grad for t in leaves):
                raise RuntimeError("backward(inputs=...) takes a non-empty list of leaf tensors that require grad")
            only = {id(t) for t in leaves}
        if create_graph:
            graph_seed = gradient if isinstance(gradient, Tensor) else Tensor._wrap(seed)
            run_graph = _attribute("trainer.autograd", "higher_order", "run_graph_backward")
            run_graph(self, graph_seed, retain_graph is None or bool(retain_graph), only)
            return
        _run_backward(self, seed, bool(retain_graph), only)

    # ----- printing --------------------------------------------------------------------------
    def __format__(self, format_spec: str) -> str:
        """PyTorch's rule: a 0-dim tensor formats as its Python number (`f"{loss:.4f}"`), others as `str()`."""
        if self._array.ndim == 0:
            return self.item().__format__(format_spec)
        return object.__format__(self, format_spec)

    def __repr__(self) -> str:
        """PyTorch's `tensor([...], dtype=..., grad_fn=<...>)` at the current print options (`str` is the same)."""
        return tensor_repr(self._array, node_name(self._op) if self._op else None, self.requires_grad)


class _VersionCounter:
    """One storage's count of in-place changes, shared by the tensors that view it.

    `stamps` holds the `_node_counter` values of the latest changes, so a graph node (whose `_seq` comes
    from the same counter) can tell whether a value it saved changed after it was recorded.
    """

    __slots__ = ("version", "stamps")

    def __init__(self) -> None:
        self.version = 0
        self.stamps: list[int] = []

    def bump(self, stamp: int) -> None:
        self.version += 1
        self.stamps.append(stamp)
        if len(self.stamps) > 64:
            del self.stamps[:32]

    def changed_since(self, seq: int) -> bool:
        return bool(self.stamps) and self.stamps[-1] > seq

    def version_at(self, seq: int) -> int:
        return self.version - (len(self.stamps) - bisect.bisect_left(self.stamps, seq))


# Which saved values each op's backward reads (checked against the version counters): ops here read
# none of their inputs; `_SAVES_OTHER` ops read input i only if the other input requires grad; every
# other op (including ones this table does not know) reads all its inputs. `_SAVES_OUTPUT` ops read
# their own result.
_SAVES_NO_INPUT = frozenset({
    "Add", "Sub", "Neg", "Reshape", "Transpose", "Permute", "Squeeze", "Unsqueeze", "Expand", "Clone", "ToCopy",
    "Sum", "Mean", "Cat", "Stack", "Index", "Where", "Exp", "Sqrt", "Tanh", "Sigmoid", "Relu", "Softmax",
    "LogSoftmax", "Std", "Fill", "Copy", "Sum1", "Mean1", "Squeeze0", "Select", "Slice", "Sort", "Topk", "Gather",
    "Cumsum", "Flip", "Roll", "T", "Unbind", "Repeat", "Tril", "Triu", "Round", "Round1", "Sign", "MaskedFill",
    "ScatterAdd", "Scatter", "Scatter1", "Normal1", "Normal2", "Normal3", "AsStrided", "CopySlices", "Floor", "Ceil",
    "Trunc", "UpsampleNearest1D", "UpsampleNearest2D", "UpsampleNearestExact1D", "UpsampleNearestExact2D",
    "UpsampleLinear1D", "UpsampleBilinear2D",
    "ConstantPadNd", "ReflectionPad1D", "ReflectionPad2D", "ReflectionPad3D", "ReplicationPad1D", "ReplicationPad2D",
    "ReplicationPad3D", "CircularPad", "Im2Col", "Col2Im",
})
# math_ops: the ops reading only their result (PyTorch saves only `result`) and those reading nothing
_SAVES_NO_INPUT |= {"Rsqrt", "Reciprocal", "Expm10", "Exp20", "Tan", "Deg2Rad", "Rad2Deg", "Frac", "Lerp", "Fmod"}
_SAVES_NO_INPUT |= {"AffineGridGenerator"}  # grid_sampling: theta's gradient needs only the base grid
_SAVES_OTHER = frozenset({"Mul", "MatMul", "VecMat", "Mm", "Mv", "Dot", "Bmm"})
_SAVES_OUTPUT = frozenset({
    "Exp", "Sqrt", "Tanh", "Sigmoid", "Relu", "Softmax", "LogSoftmax", "Std", "Max", "Min", "Max1", "Min1", "Amax",
    "LogSumExp", "Cumprod",
    # math_ops: PyTorch also saves the result of sgn, hypot and copysign, so changing it in place fails there too
    "Rsqrt", "Reciprocal", "Expm10", "Exp20", "Tan", "Sgn", "Hypot", "Copysign", "Copysign1",
})


def _as_array(data: Any) -> np.ndarray:
    """A tensor's storage as an ndarray: a numpy scalar (what a ufunc of 0-d arrays returns) becomes a 0-d array,
    so in-place ops (`total += loss`) and views can write it; an ndarray subclass is viewed as an ndarray."""
    return np.asarray(data)


def _cast_error(result: np.dtype, target: np.dtype) -> RuntimeError:
    return RuntimeError(f"result type {scalar_type_name(result)} can't be cast to the desired output type "
                        f"{scalar_type_name(target)}")


def _assigned(t: Tensor, value: Tensor, idx: Any) -> Tensor:
    """`t` with `t[idx] = value`, as a node (PyTorch's CopySlices): the written positions' gradient goes to value."""
    new = np.array(t._array, copy=True)
    new[idx] = value._array

    def backward(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gt = np.array(g, copy=True)
        gt[idx] = 0
        return gt, g[idx]

    return Tensor._make(new, (t, value), backward, "CopySlices")


def _positions(view: np.ndarray, base: np.ndarray) -> np.ndarray | None:
    """The flat (C-order) indices into `base` of each element of the numpy view `view` (None if unknown).

    `base` may be any dense layout with positive strides (a convolution's channels-last result, a transpose).
    """
    if view.dtype != base.dtype:
        return None
    item = base.itemsize
    if base.flags.c_contiguous:
        ids = np.arange(base.size, dtype=np.int64)  # base's flat indices, laid out as base's elements
    else:
        laid = np.empty_like(base, dtype=np.int64)  # order "K": base's memory layout, if it is dense
        if any(s <= 0 for s in base.strides) or [s // item for s in base.strides] != [s // 8 for s in laid.strides]:
            return None
        laid[...] = np.arange(base.size, dtype=np.int64).reshape(base.shape)
        ids = laid.ravel(order="K")  # the indices in memory order (a view)
    offset = view.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    if offset % item or any(s % item for s in view.strides):
        return None
    strides = tuple(s // item * ids.itemsize for s in view.strides)
    pos = np.lib.stride_tricks.as_strided(ids[offset // item:], shape=view.shape, strides=strides)
    return np.array(pos, copy=True)


def _scattered(g: np.ndarray, pos: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    out = np.zeros(int(np.prod(shape)), dtype=g.dtype)
    np.add.at(out, pos.reshape(-1), np.broadcast_to(g, pos.shape).reshape(-1))
    return out.reshape(shape)


def _without(g: np.ndarray, pos: np.ndarray) -> np.ndarray:
    out = np.array(g, copy=True)
    out.reshape(-1)[pos] = 0
    return out


def _move_ctx(source: Tensor, target: Tensor) -> None:
    """Give `target` the `_ctx` of the node it takes over from `source` (or none)."""
    ctx = getattr(source, "_ctx", None)
    if ctx is not None:
        target._ctx = ctx
    elif getattr(target, "_ctx", None) is not None:
        del target._ctx


def _any_requires_grad(args: tuple) -> bool:
    return any(isinstance(a, Tensor) and a.requires_grad for a in args)


def _rebased(t: Tensor) -> list[tuple[int, Tensor]]:
    """The (stamp, replaced node) history of a tensor whose node in-place ops replaced."""
    key = id(t)
    entry = _REBASED.get(key)
    if entry is None:
        entry = _REBASED[key] = (weakref.ref(t, lambda _: _REBASED.pop(key, None)), [])
    return entry[1]


def _fill(t: Tensor, value: Any) -> Tensor:
    out = np.full(t._array.shape, value._array if isinstance(value, Tensor) else value, dtype=t._array.dtype)
    return Tensor._make(out, (t,), lambda g: (np.zeros_like(g),), "Fill")


def _copy(t: Tensor, src: Any) -> Tensor:
    s = src if isinstance(src, Tensor) else Tensor._wrap(np.asarray(src))
    out = np.array(np.broadcast_to(s._array, t._array.shape), dtype=t._array.dtype)
    return Tensor._make(out, (t, s), lambda g: (np.zeros_like(g), g), "Copy")


def _modified_error(t: Tensor, vc: _VersionCounter, seq: int) -> RuntimeError:
    which = f", which is output 0 of {t._op}," if t._op else ""
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
        f"[{tensor_type_name(t._array.dtype)} {list(t._array.shape)}]{which} is at version {vc.version}; "
        f"expected version {vc.version_at(seq)} instead. Hint: enable anomaly detection to find the operation "
        "that failed to compute its gradient, with trainer.autograd.detect_anomaly()."
    )


def _modified_backward(node: Tensor, vc: _VersionCounter, version: int) -> BackwardFn:
    """The backward of a node whose saved result an in-place op overwrote: it raises, as PyTorch's would."""
    op, shape, dtype = node._op, node._array.shape, node._array.dtype

    def backward(_: np.ndarray) -> Sequence[np.ndarray | None]:
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an inplace operation: "
            f"[{tensor_type_name(dtype)} {list(shape)}], which is output 0 of {op}, is at version "
            f"{vc.version}; expected version {version} instead. Hint: enable anomaly detection to find the "
            "operation that failed to compute its gradient, with trainer.autograd.detect_anomaly()."
        )

    return backward


def _check_saved(node: Tensor) -> None:
    """Before the backward of a node recorded before some in-place change: refuse saved values that changed
    since, and send gradients meant for a parent whose node an in-place op replaced to the node it had."""
    seq, op, parents = node._seq, node._op, node._parents
    if op not in _SAVES_NO_INPUT:
        other = op in _SAVES_OTHER and len(parents) == 2
        for i, p in enumerate(parents):
            if other and not parents[1 - i].requires_grad or op == "Div" and i == 0 and not parents[1].requires_grad:
                continue
            vc = p._vc
            if vc is not None and vc.changed_since(seq):
                raise _modified_error(p, vc, seq)
    if op in _SAVES_OUTPUT:
        vc = node._vc
        if vc is not None and vc.changed_since(seq):
            raise _modified_error(node, vc, seq)
    if _REBASED:
        fixed = tuple(_as_of(p, seq) for p in parents)
        if any(a is not b for a, b in zip(fixed, parents)):
            node._parents = fixed


def _as_of(t: Tensor, seq: int) -> Tensor:
    """The tensor that was `t`'s graph node when the node numbered `seq` was recorded."""
    entry = _REBASED.get(id(t))
    if entry is not None:
        for stamp, prev in entry[1]:
            if stamp > seq:
                return prev
    return t


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    """numpy array for `Tensor(...)` with PyTorch's dtype inference (floats become float32)."""
    if isinstance(data, Tensor):
        data = data._array
    elif isinstance(data, list | tuple):
        data = _untensor(data)
    if dtype is not None:
        return np.array(data, dtype=as_dtype(dtype))
    if isinstance(data, np.ndarray):
        return data.copy()
    arr = np.array(data)
    if arr.dtype.kind == "f":
        return arr.astype(get_default_dtype(), copy=False)
    if arr.dtype.kind in "iu":
        return arr.astype(int64, copy=False)
    if arr.dtype.kind == "O":
        raise TypeError(f"cannot make a tensor from {type(data).__name__} of mixed or non-numeric values")
    return arr


def _untensor(data: list | tuple) -> Any:
    """Nested lists that hold tensors (`tensor([t1, t2])`) as nested lists of arrays."""
    return [x._array if isinstance(x, Tensor) else _untensor(x) if isinstance(x, list | tuple) else x for x in data]


def _index_of(index: Any) -> Any:
    """Translate tensor indices to numpy ones."""
    if isinstance(index, Tensor):
        return index._array
    if isinstance(index, tuple):
        return tuple(i._array if isinstance(i, Tensor) else i for i in index)
    return index


def _sole_reference_count() -> int:
    """What `sys.getrefcount` reports for an array that one local name of the calling frame refers to."""
    arr = np.empty(0)
    return sys.getrefcount(arr)


_SOLE_REFS = _sole_reference_count()


def _accumulate_leaf(leaf: Tensor, g: np.ndarray, owned: bool = False) -> None:
    """Add one gradient contribution into a leaf's `.grad`.

    The first contribution becomes the `.grad` array itself when the caller `owned` it (nothing else can
    see or write it, like PyTorch's AccumulateGrad stealing an unshared gradient); otherwise it is copied.
    Later contributions are added in place.
    """
    if leaf.grad is None:
        leaf.grad = Tensor._wrap(g if owned else np.array(g, dtype=leaf._array.dtype, copy=True))
    else:
        grad = leaf.grad._array
        if grad.flags.writeable and grad.dtype == leaf._array.dtype and grad.shape == g.shape:
            grad += g
        else:
            leaf.grad._array = grad + g


def _hooked_grad(t: Tensor, g: np.ndarray) -> np.ndarray:
    """`g` passed through the tensor's gradient hooks in order, each seeing the previous one's result."""
    for hook in list(HOOKS[id(t)].pre.values()):
        result = hook(Tensor._wrap(g))
        if result is None:
            continue
        new = result._array if isinstance(result, Tensor) else np.asarray(result)
        name = getattr(hook, "__name__", type(hook).__name__)
        if new.shape != g.shape:
            raise RuntimeError(f"hook '{name}' has changed the size of value")
        if new.dtype != g.dtype:
            raise RuntimeError(f"hook '{name}' has changed the type of value (was {tensor_type_name(g.dtype)} "
                               f"got {tensor_type_name(new.dtype)})")
        g = new
    return g


def _finish_hooked_leaves(pending: dict[int, tuple[Tensor, np.ndarray]], capture: bool) -> None:
    """Hooked leaves get their pass's summed gradient through their hooks, then into `.grad`, then post hooks
    (not when `autograd.grad` only `capture`s the gradients)."""
    for leaf, g in pending.values():
        _accumulate_leaf(leaf, _hooked_grad(leaf, g))
        for hook in () if capture else list(HOOKS[id(leaf)].post.values()):
            hook(leaf)


def _run_backward(root: Tensor, seed: np.ndarray, retain_graph: bool, only: set[int] | None = None,
                  capture: bool = False) -> None:
    """Walk the graph from `root` in reverse creation order (a valid reverse topological order,
    since every node is created after its inputs), without recursion.

    While one node is pending (a chain, the usual network) it is simply the next one to run: every other
    consumer of it was created later and would be pending too. Only when several are pending do they wait
    in a heap ordered by creation, their gradients in `grads`.

    A gradient reaching a leaf becomes its `.grad` without a copy when nothing else refers to it: the
    array owns its memory (so it is writable) and its reference count shows only the local name here and
    the tuple the backward rule returned it in,
    i.e. the backward rule kept no reference and did not return it for two parents. Anything else is
    copied, so later in-place accumulation and optimizer steps never write into shared memory. By the
    same test, a node reached through several consumers sums their gradients in place once its pending
    gradient is an array nobody else holds.
    """
    hooked = HOOKS  # tensors with gradient hooks (usually none)
    pending: dict[int, tuple[Tensor, np.ndarray]] | None = None  # hooked leaves: their summed gradient, to the end
    if root._backward is None:
        if only is None or id(root) in only:
            if hooked and id(root) in hooked:
                _finish_hooked_leaves({id(root): (root, seed)}, capture)
            else:
                _accumulate_leaf(root, seed)
        return
    grads: dict[int, np.ndarray] = {}  # the gradients of the nodes in `heap`
    owned: set[int] = set()  # nodes in `heap` whose pending gradient only `grads` refers to: summed into in place
    heap: list[tuple[int, Tensor]] = []
    pop, push = heapq.heappop, heapq.heappush
    held, refs, ndarray, wrap = _SOLE_REFS + 1, sys.getrefcount, np.ndarray, Tensor._wrap
    mutated = _last_inplace[0]  # nodes recorded after the latest in-place change need no version check
    node, g = root, seed
    while True:
        if node._seq < mutated:
            _check_saved(node)
        if hooked and id(node) in hooked:
            g = _hooked_grad(node, g)
        if _RETAINING and id(node) in _RETAINING:
            _accumulate_leaf(node, g)
        results = node._backward(g)
        del g
        parents = node._parents
        if not retain_graph:
            node._backward = _freed_backward
            node._parents = ()
        nxt = None  # the only pending node, while there is just one: its gradient is in `ng`
        for i, parent in enumerate(parents):
            pg = results[i]
            if pg is None or not parent.requires_grad:
                continue
            data = parent._array
            if pg.shape != data.shape:
                pg = unbroadcast(pg, data.shape)
            if pg.dtype is not data.dtype and pg.dtype != data.dtype:
                pg = pg.astype(data.dtype)
            # not inside a call, whose arguments would hold `pg`; numpy scalars (0-d results) are immutable;
            # `results` holds one more reference to a gradient the rule returned as is
            unshared = type(pg) is ndarray and pg.base is None and refs(pg) <= held
            if parent._backward is None:
                if only is None or id(parent) in only:
                    if hooked and id(parent) in hooked:
                        key = id(parent)
                        if pending is None:
                            pending = {}
                        pending[key] = (parent, pending[key][1] + pg if key in pending else pg)
                    elif unshared and parent.grad is None:  # the common first contribution: becomes `.grad`
                        parent.grad = wrap(pg)
                    else:
                        _accumulate_leaf(parent, pg, unshared)
                continue
            if nxt is None and not heap:
                nxt, ng, n_owned = parent, pg, unshared
                continue
            if parent is nxt:  # a second gradient for it from this node (x * x)
                if n_owned:
                    ng += pg
                else:
                    ng = ng + pg
                    n_owned = type(ng) is ndarray
                continue
            if nxt is not None:  # a second pending node: both wait in the heap
                key = id(nxt)
                grads[key] = ng
                push(heap, (-nxt._seq, nxt))
                if n_owned:
                    owned.add(key)
                nxt = ng = None
            key = id(parent)
            prev = grads.get(key)
            if prev is None:
                grads[key] = pg
                push(heap, (-parent._seq, parent))
                if unshared:
                    owned.add(key)
            elif key in owned:
                prev += pg
            else:
                grads[key] = total = prev + pg
                if type(total) is ndarray:
                    owned.add(key)
        if nxt is not None:
            node, g = nxt, ng
            del ng
        elif heap:
            node = pop(heap)[1]
            key = id(node)
            owned.discard(key)
            g = grads.pop(key)
        else:
            if pending:
                _finish_hooked_leaves(pending, capture)
            return


# ops builds Tensors, so it imports this module; Tensor methods that call ops look it up at call time.
from . import ops as _ops  # noqa: E402
from . import random as _random  # noqa: E402
