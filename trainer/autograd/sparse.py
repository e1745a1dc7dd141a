"""Sparse COO tensors: `torch.sparse_coo_tensor`, `Tensor.to_sparse()`, `coalesce`, `indices`/`values`, the
`torch.sparse_coo` / `torch.strided` layouts, PyTorch's printing and the legacy `torch.sparse.FloatTensor`.

A sparse tensor is a `SparseTensor` (a Tensor subclass) whose `_array` is a `COO` holder: int64 `indices` of shape
(sparse_dim, nnz) and `values` of shape (nnz, *dense_shape). `COO` answers `shape`, `dtype`, `ndim` and `size` as
an array would, so the engine's bookkeeping works unchanged, and speaks numpy's protocols: `np.dot`/`np.matmul` with
a dense right operand give the dense product (so `torch.mm` and `torch.matmul` work), `dense + sparse` gives a dense
sum, and every other numpy use raises PyTorch's error for the sparse backend. Dense tensors pay nothing for this.

A sparse leaf that requires grad is, for the engine, a node whose backward stores what reaches it in `.grad`
(a sparse gradient stays sparse, a dense one dense, as PyTorch's AccumulateGrad), so sparse gradients never pass
through the dense leaf path.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import grad_mode
from .device import as_device
from .dtypes import as_dtype, display_name, get_default_dtype, int64, public
from .nodes import grad_fn_of, node_name
from .printing import OPTIONS, _Formatter, _nested, _summary
from .size import Size
from .tensor import Tensor, _node_counter, _to_array, to_arguments

_SPARSE_TYPES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor", "int64": "LongTensor",
                 "int32": "IntTensor", "int16": "ShortTensor", "int8": "CharTensor", "uint8": "ByteTensor",
                 "bool": "BoolTensor"}


class layout:  # noqa: N801 - PyTorch's name (`torch.layout`)
    """A tensor layout: `torch.strided` (dense) or `torch.sparse_coo`."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return f"torch.{self._name}"

    def __reduce__(self) -> str:
        return self._name


layout.__module__ = "torch"
strided = layout("strided")
sparse_coo = layout("sparse_coo")


def _not_for_sparse(op: str, backend: str = "SparseCPU") -> NotImplementedError:
    """PyTorch's dispatcher error for an operator without a kernel for the backend (its first sentences)."""
    return NotImplementedError(
        f"Could not run 'aten::{op}' with arguments from the '{backend}' backend. This could be because the operator "
        "doesn't exist for this backend, or was omitted during the selective/custom build process (if using custom "
        "build). If you are a Facebook employee using PyTorch on mobile, please visit https://fburl.com/ptmfixes "
        "for possible resolutions.")


_ATEN = {"add": "add.Tensor", "subtract": "sub.Tensor", "multiply": "mul.Tensor", "true_divide": "div.Tensor",
         "negative": "neg", "power": "pow.Tensor_Tensor", "equal": "eq.Tensor", "not_equal": "ne.Tensor",
         "less": "lt.Tensor", "less_equal": "le.Tensor", "greater": "gt.Tensor", "greater_equal": "ge.Tensor",
         "maximum": "maximum", "minimum": "minimum", "absolute": "abs", "exp": "exp", "log": "log", "sum": "sum",
         "mean": "mean.dim", "reshape": "view", "matmul": "mm", "dot": "mm", "copyto": "copy_", "clip": "clamp",
         "where": "where.self", "concatenate": "cat", "stack": "stack", "maximum.reduce": "max"}


class COO:
    """The storage of a sparse COO tensor: int64 `indices` (sparse_dim, nnz), `values` (nnz, *dense_shape)."""

    __slots__ = ("indices", "values", "shape", "coalesced")
    __array_priority__ = 2000
    base = None

    def __init__(self, indices: np.ndarray, values: np.ndarray, shape: tuple[int, ...], coalesced: bool) -> None:
        self.indices = indices
        self.values = values
        self.shape = tuple(shape)
        self.coalesced = coalesced

    # ----- what the engine reads of an array -------------------------------------------------
    @property
    def dtype(self) -> np.dtype:
        return self.values.dtype

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def sparse_dim(self) -> int:
        return self.indices.shape[0]

    @property
    def nnz(self) -> int:
        return self.indices.shape[1]

    @property
    def T(self) -> COO:  # noqa: N802 - numpy's name (the engine's `x.T` in matrix-product backward rules)
        return transposed(self, 0, 1)

    def astype(self, dtype: Any, copy: bool = True) -> COO:
        return COO(self.indices, self.values.astype(dtype, copy=copy), self.shape, self.coalesced)

    def dense(self) -> np.ndarray:
        """The dense array (duplicates summed)."""
        _check_in_range(self)
        out = np.zeros(self.shape, self.values.dtype)
        np.add.at(out, tuple(self.indices), self.values)
        return out

    # ----- numpy's protocols -----------------------------------------------------------------
    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        raise TypeError("can't convert Sparse layout tensor to numpy. Use Tensor.to_dense() first.")

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if ufunc is np.add and method == "__call__" and len(inputs) == 2 and not kwargs:
            a, b = inputs
            if isinstance(b, COO) and not isinstance(a, COO):  # dense + sparse is dense
                return _dense_plus(np.asarray(a), b)
            if isinstance(a, COO) and isinstance(b, COO):
                return added(a, b)
            raise RuntimeError("add(sparse, dense) is not supported. Use add(dense, sparse) instead.")
        raise _not_for_sparse(_ATEN.get(ufunc.__name__, ufunc.__name__))

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        if func in (np.dot, np.matmul) and len(args) == 2 and isinstance(args[0], COO) and not kwargs:
            other = args[1]
            if isinstance(other, np.ndarray) and other.ndim == 2 and args[0].ndim == 2:
                return spmm_array(args[0], other)
        raise _not_for_sparse(_ATEN.get(func.__name__, func.__name__))

    def __add__(self, other: Any) -> Any:  # the engine's sums of one pass's gradients (coalesced, as PyTorch's)
        if isinstance(other, COO):
            return coalesced(COO(np.concatenate([self.indices, other.indices], 1),
                                 np.concatenate([self.values, other.values]), self.shape, False))
        return _dense_plus(np.asarray(other), self)

    __radd__ = __add__

    def __mul__(self, other: Any) -> COO:
        if np.ndim(other) == 0:
            return COO(self.indices, self.values * other, self.shape, self.coalesced)
        raise _not_for_sparse("mul.Tensor")

    __rmul__ = __mul__

    def __neg__(self) -> COO:
        return COO(self.indices, -self.values, self.shape, self.coalesced)

    def __matmul__(self, other: Any) -> np.ndarray:
        return self.__array_function__(np.matmul, (), (self, other), {})

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise _not_for_sparse(_ATEN.get(name, name))

    def __repr__(self) -> str:
        return f"COO(shape={self.shape}, nnz={self.nnz}, dtype={self.dtype})"


# ----- COO helpers (numpy only) --------------------------------------------------------------------
def linear(indices: np.ndarray, shape: Sequence[int]) -> np.ndarray:
    """Row-major flat positions of the columns of `indices` in a grid of `shape`."""
    if not len(shape):
        return np.zeros(indices.shape[1], np.int64)
    return np.ravel_multi_index(tuple(indices), tuple(shape), mode="wrap") if indices.shape[1] else \
        np.zeros(0, np.int64)


def _check_in_range(c: COO) -> None:
    if c.nnz:
        _check_indices(c.indices, c.shape)


def _check_indices(indices: np.ndarray, shape: Sequence[int]) -> None:
    """PyTorch's invariant check: every index non-negative and below its dimension's size."""
    for d in range(indices.shape[0]):
        if not indices.shape[1]:
            return
        low, high = int(indices[d].min()), int(indices[d].max())
        if low < 0:
            raise RuntimeError(f"found negative index {low} for dim {d}")
        if high >= shape[d]:
            raise RuntimeError(f"size is inconsistent with indices: for dim {d}, size is {shape[d]} but found index "
                               f"{high}")


def coalesced(c: COO) -> COO:
    """Duplicates summed, entries in row-major order of their indices (PyTorch's `coalesce`)."""
    if c.coalesced:
        return c
    _check_in_range(c)
    sd = c.sparse_dim
    flat = linear(c.indices, c.shape[:sd])
    order = np.argsort(flat, kind="stable")
    flat = flat[order]
    keep = np.ones(flat.shape[0], bool)
    keep[1:] = flat[1:] != flat[:-1]
    starts = np.flatnonzero(keep)
    vals = c.values[order]
    summed = np.add.reduceat(vals, starts, axis=0) if vals.shape[0] else vals
    return COO(c.indices[:, order][:, starts], summed.astype(c.values.dtype, copy=False), c.shape, True)


def gathered(g: Any, indices: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A gradient (dense array or COO of `shape`) read at each column of `indices` (its sparse dims): values rows."""
    if not isinstance(g, COO):
        return np.asarray(g)[tuple(indices)]
    gc = coalesced(g)
    sd = indices.shape[0]
    out = np.zeros((indices.shape[1], *shape[sd:]), gc.values.dtype)
    if gc.nnz and indices.shape[1]:
        have, want = linear(gc.indices, shape[:sd]), linear(indices, shape[:sd])
        pos = np.clip(np.searchsorted(have, want), 0, have.shape[0] - 1)
        hit = have[pos] == want
        out[hit] = gc.values[pos[hit]]
    return out


def transposed(c: COO, d0: int, d1: int) -> COO:
    idx = c.indices.copy()
    idx[[d0, d1]] = idx[[d1, d0]]
    shape = list(c.shape)
    shape[d0], shape[d1] = shape[d1], shape[d0]
    return COO(idx, c.values, tuple(shape), False if c.nnz > 1 else c.coalesced)


def added(a: COO, b: COO) -> COO:
    """a + b: values added when both have the same indices, else the entries of both (uncoalesced)."""
    dtype = np.result_type(a.dtype, b.dtype)
    if a.indices.shape == b.indices.shape and np.array_equal(a.indices, b.indices):
        return COO(a.indices, (a.values + b.values).astype(dtype, copy=False), a.shape, a.coalesced and b.coalesced)
    if not b.nnz:
        return a.astype(dtype, copy=False)
    if not a.nnz:
        return b.astype(dtype, copy=False)
    both = COO(np.concatenate([a.indices, b.indices], 1), np.concatenate([a.values, b.values]).astype(dtype),
               a.shape, False)
    if a.coalesced and b.coalesced:  # the merge of two sorted lists of distinct entries: their coalesced union
        return coalesced(both)
    # PyTorch's merge: walk both lists, taking the smaller head, summing equal heads (as if both were sorted)
    sd = a.sparse_dim
    ka, kb = linear(a.indices, a.shape[:sd]).tolist(), linear(b.indices, b.shape[:sd]).tolist()
    take: list[tuple[int, int]] = []  # (position in a or -1, position in b or -1)
    p = q = 0
    while p < len(ka) and q < len(kb):
        if ka[p] == kb[q]:
            take.append((p, q))
            p, q = p + 1, q + 1
        elif ka[p] < kb[q]:
            take.append((p, -1))
            p += 1
        else:
            take.append((-1, q))
            q += 1
    take += [(k, -1) for k in range(p, len(ka))] + [(-1, k) for k in range(q, len(kb))]
    pa, pb = np.array(take, dtype=np.int64).T
    idx = np.where(pa >= 0, a.indices[:, np.maximum(pa, 0)], b.indices[:, np.maximum(pb, 0)])
    zero = np.zeros(a.values.shape[1:], dtype)
    va = np.where((pa >= 0).reshape(-1, *[1] * zero.ndim), a.values[np.maximum(pa, 0)], zero)
    vb = np.where((pb >= 0).reshape(-1, *[1] * zero.ndim), b.values[np.maximum(pb, 0)], zero)
    return COO(idx, (va + vb).astype(dtype, copy=False), a.shape, False)


def _dense_plus(dense: np.ndarray, c: COO) -> np.ndarray:
    if dense.shape != c.shape:
        raise RuntimeError(f"add: expected 'self' and 'other' to have same size, but self has size "
                           f"{list(dense.shape)} while other has size {list(c.shape)} (FYI: dense-sparse addition "
                           "does not currently support broadcasting)")
    out = np.array(dense, dtype=np.result_type(dense.dtype, c.dtype), copy=True)
    _check_in_range(c)
    np.add.at(out, tuple(c.indices), c.values)
    return out


def spmm_array(c: COO, d: np.ndarray) -> np.ndarray:
    """The dense product of a 2-D COO matrix and a dense matrix."""
    _check_in_range(c)
    out = np.zeros((c.shape[0], d.shape[1]), np.result_type(c.dtype, d.dtype))
    if c.nnz:
        rows, cols = c.indices
        np.add.at(out, rows, c.values[:, None] * d[cols])
    return out


# ----- the tensors ------------------------------------------------------------------------------------
class SparseTensor(Tensor):
    """A Tensor of layout `torch.sparse_coo`; `_array` is its `COO` storage."""

    __slots__ = ("_node",)
    _array: COO

    @property
    def _backward(self) -> Any:
        node = self._node
        if node is None and self.requires_grad:
            return self._accumulate
        return node

    @_backward.setter
    def _backward(self, fn: Any) -> None:
        if self._node is None and self.requires_grad:
            return  # a leaf: the engine freeing its node after backward leaves the accumulator in place
        self._node = fn

    def _accumulate(self, g: Any) -> tuple:
        """A sparse leaf's AccumulateGrad: a sparse gradient stays sparse, a dense one dense, sums as PyTorch's."""
        new = wrap_coo(g) if isinstance(g, COO) else Tensor._wrap(np.array(g, copy=True))
        if self.grad is None:
            self.grad = new
        else:
            old = self.grad._array
            total = added(old, g) if isinstance(old, COO) and isinstance(g, COO) else (
                _dense_plus(np.asarray(g), old) if isinstance(old, COO) else
                _dense_plus(old, g) if isinstance(g, COO) else old + g)
            self.grad = wrap_coo(total) if isinstance(total, COO) else Tensor._wrap(total)
        return ()

    @property
    def is_leaf(self) -> bool:
        return self._node is None

    @property
    def grad_fn(self) -> Any:
        return None if self._node is None else grad_fn_of(self)

    @property
    def data(self) -> SparseTensor:
        return wrap_coo(self._array)

    @property
    def layout(self) -> layout:
        return sparse_coo

    @property
    def is_sparse(self) -> bool:
        return True

    def __repr__(self) -> str:
        return sparse_repr(self)

    def __reduce_ex__(self, protocol: int) -> Any:
        c = self._array
        return (_rebuild, (c.indices, c.values, c.shape, c.coalesced, self.requires_grad))

    # ----- PyTorch's refusals for the sparse layout ------------------------------------------
    def numpy(self, *, force: bool = False) -> np.ndarray:
        raise TypeError("can't convert Sparse layout tensor to numpy. Use Tensor.to_dense() first.")

    def tolist(self) -> Any:
        raise RuntimeError("Cannot access data pointer of Tensor that doesn't have storage")

    def item(self) -> Any:
        if self._array.size != 1:
            raise RuntimeError(f"a Tensor with {self._array.size} elements cannot be converted to Scalar")
        return self.to_dense().item()

    def contiguous(self, memory_format: Any = None) -> Tensor:
        raise RuntimeError("unsupported memory format option Contiguous")

    def is_contiguous(self, memory_format: Any = None) -> bool:
        return False

    def stride(self, dim: int | None = None) -> Any:
        raise RuntimeError("Cannot access strides of Tensor that doesn't have strides")

    def view(self, *shape: Any) -> Tensor:
        raise _not_for_sparse("view")

    def reshape(self, *shape: Any) -> Tensor:
        raise RuntimeError("reshape is not implemented for sparse tensors")

    def __getitem__(self, index: Any) -> Tensor:
        raise _not_for_sparse("index.Tensor")

    def __setitem__(self, index: Any, value: Any) -> None:
        raise _not_for_sparse("index_put_")

    def type(self, dtype: Any = None, non_blocking: bool = False, **kwargs: Any) -> Any:
        if dtype is None:
            return f"torch.sparse.{_SPARSE_TYPES.get(self._array.dtype.name, self._array.dtype.name)}"
        return self.to(getattr(dtype, "_tensor_dtype", dtype))

    def detach(self) -> SparseTensor:
        return wrap_coo(self._array)

    def requires_grad_(self, requires_grad: bool = True) -> SparseTensor:
        if self._node is not None:
            raise RuntimeError("you can only change requires_grad flags of leaf variables")
        if requires_grad and self._array.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = bool(requires_grad)
        return self

    # ----- sparse facts ----------------------------------------------------------------------
    def sparse_dim(self) -> int:
        return self._array.sparse_dim

    def dense_dim(self) -> int:
        return self._array.ndim - self._array.sparse_dim

    def _nnz(self) -> int:
        return self._array.nnz

    def is_coalesced(self) -> bool:
        return self._array.coalesced

    def _indices(self) -> Tensor:
        return Tensor._wrap(self._array.indices)

    def indices(self) -> Tensor:
        if not self._array.coalesced:
            raise RuntimeError("Cannot get indices on an uncoalesced tensor, please call .coalesce() first")
        return Tensor._wrap(self._array.indices)

    def values(self) -> Tensor:
        if not self._array.coalesced:
            raise RuntimeError("Cannot get values on an uncoalesced tensor, please call .coalesce() first")
        return _sparse_ops.values_of(self, "Values")

    def _values(self) -> Tensor:
        return Tensor._wrap(self._array.values)

    def coalesce(self) -> SparseTensor:
        return _sparse_ops.coalesce(self)

    def to_dense(self, dtype: Any = None, *, masked_grad: bool | None = None) -> Tensor:
        return _sparse_ops.to_dense(self, dtype)

    def to_sparse(self, *args: Any, layout: Any = None, blocksize: Any = None, dense_dim: Any = None) -> Tensor:
        if args and args[0] != self._array.sparse_dim or layout is not None and layout is not sparse_coo:
            raise RuntimeError("sparse_coo_to_sparse: conversion from Sparse to Strided for input tensors with "
                               "sparse_dim()!=2 is not supported" if layout is strided else
                               "to_sparse: conversion from Sparse to Sparse with a different sparse_dim is not "
                               "supported")
        return self

    def to_sparse_coo(self) -> SparseTensor:
        return self

    def to(self, *args: Any, dtype: Any = None, device: Any = None, non_blocking: bool = False,
           copy: bool = False) -> SparseTensor:
        dtype = to_arguments(args, dtype, device)
        out = self if dtype is None or as_dtype(dtype) == self._array.dtype else _sparse_ops.cast(self, dtype)
        return _sparse_ops.clone(out) if copy and out is self else out

    def clone(self, *, memory_format: Any = None) -> SparseTensor:
        return _sparse_ops.clone(self)

    # ----- arithmetic and products (sparse_ops) ------------------------------------------
    def __add__(self, other: Any) -> Tensor:
        return _sparse_ops.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _sparse_ops.add(other, self)

    def add(self, other: Any, *, alpha: float = 1) -> Tensor:
        return _sparse_ops.add(self, other, alpha=alpha)

    def __sub__(self, other: Any) -> Tensor:
        return _sparse_ops.add(self, other, alpha=-1)

    def __rsub__(self, other: Any) -> Tensor:
        return _sparse_ops.add(other, self, alpha=-1)

    def sub(self, other: Any, *, alpha: float = 1) -> Tensor:
        return _sparse_ops.add(self, other, alpha=-alpha)

    def __mul__(self, other: Any) -> Tensor:
        return _sparse_ops.mul(self, other)

    __rmul__ = __mul__
    mul = __mul__

    def __truediv__(self, other: Any) -> Tensor:
        return _sparse_ops.div(self, other)

    div = __truediv__

    def __rtruediv__(self, other: Any) -> Tensor:
        raise _not_for_sparse("reciprocal")

    def __neg__(self) -> Tensor:
        return _sparse_ops.mul(self, -1, op="Neg")

    neg = __neg__

    def __pow__(self, exponent: Any) -> Tensor:
        return _sparse_ops.pow(self, exponent)

    pow = __pow__

    def __matmul__(self, other: Any) -> Tensor:
        return _sparse_ops.spmm(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _sparse_ops.mm(other, self)

    def mm(self, mat2: Any) -> Tensor:
        return _sparse_ops.spmm(self, mat2)

    matmul = mm

    def t(self) -> SparseTensor:
        return _sparse_ops.t(self)

    @property
    def T(self) -> SparseTensor:  # noqa: N802 - PyTorch's name
        return _sparse_ops.t(self) if self._array.ndim == 2 else self

    def transpose(self, dim0: int, dim1: int) -> SparseTensor:
        return _sparse_ops.transpose(self, dim0, dim1)

    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        return _sparse_ops.tensor_sum(self, dim, keepdim, dtype)


def wrap_coo(c: COO, requires_grad: bool = False) -> SparseTensor:
    """A sparse tensor around a COO storage, outside the graph."""
    t = object.__new__(SparseTensor)
    t._array = c
    t.grad = None
    t._node = None
    t.requires_grad = False
    t._parents = ()
    t._op = ""
    t._vc = None
    t._base = None
    t._seq = next(_node_counter)  # a leaf that requires grad is a node to the engine: created before its consumers
    if requires_grad:
        t.requires_grad_(True)
    return t


def make_sparse(c: COO, parents: tuple[Tensor, ...], backward: Any, op: str) -> SparseTensor:
    """A sparse op's result: records `backward` (named `backward`) if grad mode is on and a parent needs it."""
    out = wrap_coo(c)
    if grad_mode._enabled[0] and any(p.requires_grad for p in parents):
        out.requires_grad = True
        out._parents = parents
        out._node = backward
        out._op = op
    return out


def _rebuild(indices: np.ndarray, values: np.ndarray, shape: tuple, coalesced: bool, requires_grad: bool):
    return wrap_coo(COO(indices, values, shape, coalesced), requires_grad)


# ----- construction ----------------------------------------------------------------------------------
_WARNED: list[bool] = []


def _warn_unchecked() -> None:
    if not _WARNED:
        _WARNED.append(True)
        warnings.warn("Sparse invariant checks are implicitly disabled. Memory errors (e.g. SEGFAULT) will occur when "
                      "operating on a sparse tensor which violates the invariants, but checks incur performance "
                      "overhead. To silence this warning, explicitly opt in or out. See "
                      "`torch.sparse.check_sparse_tensor_invariants.__doc__` for guidance.", UserWarning, stacklevel=3)


class check_sparse_tensor_invariants:  # noqa: N801 - PyTorch's name
    """`torch.sparse.check_sparse_tensor_invariants`: a context manager (and decorator) turning the construction
    checks on (or off) by default; `enable()`, `disable()`, `is_enabled()` set and read the global default."""

    _enabled: list[bool | None] = [None]

    @staticmethod
    def is_enabled() -> bool:
        return bool(check_sparse_tensor_invariants._enabled[0])

    @staticmethod
    def enable() -> None:
        check_sparse_tensor_invariants._enabled[0] = True

    @staticmethod
    def disable() -> None:
        check_sparse_tensor_invariants._enabled[0] = False

    def __init__(self, enable: bool = True) -> None:
        self.state = enable
        self.saved: bool | None = None

    def __enter__(self) -> None:
        if self.saved is not None:
            raise RuntimeError("This context manager instance is already activated. Use a different context manager "
                               "instance for context nesting.")
        self.saved = check_sparse_tensor_invariants._enabled[0]
        check_sparse_tensor_invariants._enabled[0] = self.state

    def __exit__(self, *exc: Any) -> None:
        check_sparse_tensor_invariants._enabled[0] = self.saved
        self.saved = None

    def __call__(self, fn: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with check_sparse_tensor_invariants(self.state):
                return fn(*args, **kwargs)
        return wrapped


def _as_values(values: Any, dtype: Any) -> Tensor:
    if isinstance(values, Tensor):
        if isinstance(values, SparseTensor):
            raise RuntimeError("values must be a strided tensor")
        return values if dtype is None or values._array.dtype == as_dtype(dtype) else values.to(dtype)
    return Tensor._wrap(_to_array(values, dtype))


def sparse_coo_tensor(indices: Any, values: Any, size: Any = None, *, dtype: Any = None, device: Any = None,
                      pin_memory: bool = False, requires_grad: bool = False, check_invariants: bool | None = None,
                      is_coalesced: bool | None = None) -> SparseTensor:
    """`torch.sparse_coo_tensor`: a COO tensor from `indices` (sparse_dim x nnz) and `values` (nnz x dense dims);
    without `size`, the smallest size that holds the indices."""
    if device is not None:
        as_device(device)
    idx_t = indices if isinstance(indices, Tensor) else Tensor._wrap(_to_array(indices, None))
    idx = np.asarray(idx_t._array)
    if idx.ndim == 1:
        idx = idx.reshape(-1, 1)
    if idx.ndim != 2:
        raise RuntimeError(f"indices must be sparse_dim x nnz, but got: {list(idx.shape)}")
    idx = idx.astype(int64, copy=False)
    v = _as_values(values, dtype)
    vals = v._array
    if vals.ndim == 0:
        vals = vals.reshape(1)
        v = v.reshape(1)
    sd, nnz = idx.shape
    dense_shape = tuple(vals.shape[1:])
    if size is not None:
        n = len(size) if isinstance(size, Sequence) else 1
        if n != sd + len(dense_shape):
            raise RuntimeError(f"'len(size) == sparse_dim + dense_dim' is not satisfied: len(size) = {n}, "
                               f"sparse_dim = {sd}, dense_dim = {len(dense_shape)}")
    if vals.shape[0] != nnz:
        raise RuntimeError(f"indices and values must have same nnz, but got nnz from indices: {nnz}, nnz from "
                           f"values: {vals.shape[0]}")
    if size is None:
        if nnz:
            low = int(idx.min()) if idx.size else 0
            if low < 0:
                raise RuntimeError(f"found negative index {low} for dim {int(np.argmin(idx.min(axis=1)))}")
            shape = tuple(int(m) + 1 for m in idx.max(axis=1)) + dense_shape
        else:
            shape = (0,) * sd + dense_shape
    else:
        shape = tuple(int(s) for s in (size if isinstance(size, Sequence) else (size,)))
        if any(s < 0 for s in shape):
            raise RuntimeError("numel: integer multiplication overflow")
        if shape[sd:] != dense_shape:
            raise RuntimeError(f"values has incorrect size, expected {[nnz, *shape[sd:]]}, got {list(vals.shape)}")
    check = check_invariants if check_invariants is not None else check_sparse_tensor_invariants._enabled[0]
    if check is None:
        _warn_unchecked()
    elif check and size is not None:
        _check_indices(idx, shape)
    flag = nnz <= 1 if is_coalesced is None else bool(is_coalesced)
    if is_coalesced and check and nnz > 1:
        flat = linear(idx, shape[:sd])
        if np.any(flat[1:] <= flat[:-1]):
            raise RuntimeError("cannot set is_coalesced to true if indices correspond to uncoalesced COO tensor")
    if requires_grad and vals.dtype.kind not in "fc":
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    c = COO(idx, vals, shape, flag)
    if v.requires_grad and grad_mode._enabled[0]:
        return _sparse_ops.from_values(c, v)
    return wrap_coo(c, requires_grad)


def to_sparse(t: Tensor, sparse_dim: int | None = None, *, layout: Any = None, blocksize: Any = None,
              dense_dim: Any = None) -> SparseTensor:
    """`Tensor.to_sparse(sparse_dim)` / `to_sparse_coo()`: the nonzero entries (rows of its first `sparse_dim`
    dims that are not all zero) of a dense tensor."""
    if isinstance(t, SparseTensor):
        return t.to_sparse(*(() if sparse_dim is None else (sparse_dim,)), layout=layout)
    if layout is not None and layout is not sparse_coo:
        raise RuntimeError(f"to_sparse: conversion to {layout} layout is not supported by trainer (only "
                           "torch.sparse_coo)")
    a = t._array
    sd = a.ndim if sparse_dim is None else int(sparse_dim)
    if not 0 <= sd <= a.ndim:
        raise RuntimeError(f"dense_to_sparse: sparse_dim argument must be in [0,{a.ndim}] range, but {sd} is given")
    if sd == 0 and a.ndim:
        raise RuntimeError("dense_to_sparse: sparse_dim argument must be in >0 when self.dim()>0")
    return _sparse_ops.dense_to_sparse(t, sd)


# ----- printing ----------------------------------------------------------------------------------------
def _body(data: np.ndarray, indent: int) -> str:
    """PyTorch's `_tensor_str`: the bracketed elements at the current print options."""
    opts = OPTIONS
    if data.size == 0:
        return "[]"
    summarize = data.size > opts.threshold
    fmt = _Formatter(_summary(data, opts.edgeitems) if summarize else data, opts)
    return _nested(data, indent, summarize, fmt, opts)


def sparse_repr(t: SparseTensor) -> str:
    """PyTorch's `tensor(indices=tensor(...), values=tensor(...), size=..., nnz=..., layout=torch.sparse_coo)`."""
    c = t._array
    indent = len("tensor(")
    suffixes = [f"size={tuple(c.shape)}", f"nnz={c.nnz}"]
    if c.dtype not in (get_default_dtype(), int64, np.dtype(bool)):
        suffixes.append(f"dtype={display_name(c.dtype)}")
    ind = _body(c.indices, indent + len("indices=tensor("))
    if c.indices.size == 0:
        ind += f", size={tuple(c.indices.shape)}"
    val = _body(c.values, indent + len("values=tensor("))
    if c.values.size == 0:
        val += f", size={tuple(c.values.shape)}"
    text = "tensor(indices=tensor(" + ind + "),\n" + " " * indent + "values=tensor(" + val + ")"
    suffixes.append("layout=torch.sparse_coo")
    if t._node is not None:
        suffixes.append(f"grad_fn=<{node_name(t._op)}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    out = [text, ",\n" + " " * indent + suffixes[0]]  # PyTorch's `_add_suffixes(force_newline=True)`
    last = indent + len(suffixes[0])
    for suffix in suffixes[1:]:
        if last + len(suffix) + 2 > OPTIONS.linewidth:
            out.append(",\n" + " " * indent + suffix)
            last = indent + len(suffix)
        else:
            out.append(", " + suffix)
            last += len(suffix) + 2
    return "".join(out) + ")"


# ----- the legacy constructors: torch.sparse.FloatTensor(indices, values, size) ----------------------------
class _LegacySparseType(type):
    """The metaclass of `torch.sparse.FloatTensor` and its kin (PyTorch's `torch.tensortype`)."""

    _numpy: np.dtype

    def __repr__(cls) -> str:
        return f"<class 'torch.sparse.{cls.__name__}'>"

    @property
    def is_sparse(cls) -> bool:
        return True

    @property
    def dtype(cls) -> Any:
        return public(cls._numpy.name)

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, SparseTensor) and obj._array.dtype == cls._numpy

    def __call__(cls, *args: Any, device: Any = None) -> SparseTensor:
        warnings.warn("torch.sparse.SparseTensor(indices, values, shape, *, device=) is deprecated.  Please use "
                      "torch.sparse_coo_tensor(indices, values, shape, dtype=, device=).", UserWarning, stacklevel=2)
        if len(args) in (2, 3) and all(isinstance(a, Tensor) for a in args[:2]):
            return sparse_coo_tensor(args[0], args[1], args[2] if len(args) == 3 else None, device=device,
                                     check_invariants=False)
        if all(isinstance(a, int | np.integer) and not isinstance(a, bool) for a in args) or (
                len(args) == 1 and isinstance(args[0], Size)):
            shape = tuple(args[0]) if len(args) == 1 and isinstance(args[0], Size) else tuple(int(a) for a in args)
            shape = shape or (0,)
            return wrap_coo(COO(np.zeros((len(shape), 0), int64), np.zeros(0, cls._numpy), shape, True))
        raise TypeError(f"new(): invalid arguments for torch.sparse.{cls.__name__}: expected (indices, values[, size]) "
                        "or sizes")


def _legacy(name: str, dtype: str) -> type:
    cls = _LegacySparseType(name, (), {"__module__": "torch.sparse", "__qualname__": name,
                                       "__doc__": f"`torch.sparse.{name}`."})
    cls._numpy = np.dtype(dtype)
    return cls


FloatTensor = _legacy("FloatTensor", "float32")
DoubleTensor = _legacy("DoubleTensor", "float64")
HalfTensor = _legacy("HalfTensor", "float16")
LongTensor = _legacy("LongTensor", "int64")
IntTensor = _legacy("IntTensor", "int32")
ShortTensor = _legacy("ShortTensor", "int16")
CharTensor = _legacy("CharTensor", "int8")
ByteTensor = _legacy("ByteTensor", "uint8")


# ----- a dense tensor's sparse-only methods: PyTorch's answers for the strided layout -------------------------
def _layout_error(what: str, coordinate: bool = True) -> RuntimeError:
    kind = "sparse coordinate tensor" if coordinate else "sparse tensor"
    return RuntimeError(f"{what} expected {kind} layout but got Strided")


def _raiser(error: Any) -> Any:
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        raise error()
    return method


DENSE_METHODS: dict[str, Any] = {
    "coalesce": _raiser(lambda: _layout_error("coalesce")),
    "is_coalesced": _raiser(lambda: _layout_error("is_coalesced")),
    "indices": _raiser(lambda: _layout_error("indices")),
    "values": _raiser(lambda: _layout_error("values", coordinate=False)),
    "_indices": _raiser(lambda: _not_for_sparse("_indices", "CPU")),
    "_values": _raiser(lambda: _not_for_sparse("_values", "CPU")),
    "_nnz": _raiser(lambda: _not_for_sparse("_nnz", "CPU")),
    "sparse_dim": lambda self: 0,
    "dense_dim": lambda self: self._array.ndim,
}


# sparse_ops builds SparseTensors, so it imports this module; the methods above look it up at call time.
from . import sparse_ops as _sparse_ops  # noqa: E402
