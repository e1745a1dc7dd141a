"""`Tensor`: a numpy array plus the graph that reverse-mode autograd walks back."""

from __future__ import annotations

import heapq
import itertools
import sys
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import grad_mode
from .device import CPU, as_device, device, is_device
from .dtypes import as_dtype, display_name, float32, get_default_dtype, int64
from .nodes import Node, grad_fn_of, node_name
from .random import default_generator
from .size import Size

_node_counter = itertools.count(1)
_RETAINING: dict[int, weakref.ref] = {}  # non-leaf tensors whose .grad backward fills (retain_grad)

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


class Tensor:
    """An n-dimensional array that can record the operations applied to it.

    `data` is the numpy array (updated in place by optimizers); `grad` is a Tensor or None.
    """

    __slots__ = ("data", "grad", "requires_grad", "_parents", "_backward", "_op", "_seq", "__weakref__")
    __array_priority__ = 1000  # numpy defers to our reflected operators

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        arr = _to_array(data, dtype)
        if requires_grad and arr.dtype.kind not in "fc":
            raise RuntimeError(f"only Tensors of floating point dtype can require gradients, got {arr.dtype}")
        self.data: np.ndarray = arr
        self.grad: Tensor | None = None
        self.requires_grad: bool = bool(requires_grad)
        self._parents: tuple[Tensor, ...] = ()
        self._backward: BackwardFn | None = None
        self._op: str = ""

    # ----- construction of graph nodes -------------------------------------------------------
    @classmethod
    def _wrap(cls, data: np.ndarray) -> Tensor:
        """A tensor around an existing array, no copy, no graph."""
        t = object.__new__(Tensor)
        t.data = data
        t.grad = None
        t.requires_grad = False
        t._parents = ()
        t._backward = None
        t._op = ""
        return t

    @staticmethod
    def _make(data: np.ndarray, parents: tuple[Tensor, ...], backward: BackwardFn, op: str) -> Tensor:
        """The result of an op: records `backward` only if grad mode is on and a parent needs it."""
        out = Tensor._wrap(data)
        if grad_mode._enabled[0]:
            for p in parents:
                if p.requires_grad:
                    out.requires_grad = True
                    out._parents = parents
                    out._backward = backward
                    out._op = op
                    out._seq = next(_node_counter)
                    break
        return out

    # ----- basic properties ------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self.data.shape)

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

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
        return Size(self.data.shape) if dim is None else self.data.shape[dim]

    def dim(self) -> int:
        return self.data.ndim

    def numel(self) -> int:
        return int(self.data.size)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    __hash__ = object.__hash__  # identity, as a C slot (tensors key optimizer state dicts)

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    # ----- conversion ------------------------------------------------------------------------
    def item(self) -> float | int | bool:
        if self.data.size != 1:
            raise RuntimeError(f"a Tensor with {self.data.size} elements cannot be converted to Scalar")
        return self.data.item()

    def numpy(self) -> np.ndarray:
        if self.requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self.data

    def tolist(self) -> Any:
        return self.data.tolist()

    def detach(self) -> Tensor:
        """A tensor sharing this one's data, cut from the graph."""
        return Tensor._wrap(self.data)

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

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if not self.is_leaf:
            raise RuntimeError("you can only change requires_grad flags of leaf variables")
        if requires_grad and self.data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    def to(self, *args: Any, dtype: Any = None, device: Any = None, non_blocking: bool = False,
           copy: bool = False) -> Tensor:
        """`to(dtype)`, `to(device)`, `to(device, dtype)`, `to(other_tensor)` or keywords; only the CPU exists."""
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.data.dtype
            elif is_device(arg):
                as_device(arg)
            elif dtype is None:
                dtype = arg
            else:
                raise TypeError("to() received an invalid combination of arguments")
        if device is not None:
            as_device(device)
        out = self if dtype is None else _ops.cast(self, as_dtype(dtype))
        return _ops.clone(out) if copy and out is self else out

    def type(self, dtype: Any) -> Tensor:
        return self.to(dtype)

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

    def contiguous(self) -> Tensor:
        return self

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

    # ----- in-place helpers (no graph; for optimizers, init and no_grad code) -----------------
    def _check_inplace(self) -> None:
        if self.requires_grad and self.is_leaf and grad_mode._enabled[0]:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation; "
                "wrap it in trainer.no_grad()"
            )

    def zero_(self) -> Tensor:
        self._check_inplace()
        self.data.fill(0)
        return self

    def fill_(self, value: float) -> Tensor:
        self._check_inplace()
        self.data.fill(value)
        return self

    def copy_(self, src: Any) -> Tensor:
        self._check_inplace()
        np.copyto(self.data, src.data if isinstance(src, Tensor) else np.asarray(src), casting="unsafe")
        return self

    def add_(self, other: Any, alpha: float = 1.0) -> Tensor:
        self._check_inplace()
        o = other.data if isinstance(other, Tensor) else other
        if alpha != 1.0:
            o = o * alpha
        np.add(self.data, o, out=self.data, casting="same_kind")
        return self

    def sub_(self, other: Any, alpha: float = 1.0) -> Tensor:
        return self.add_(other, alpha=-alpha)

    def mul_(self, other: Any) -> Tensor:
        self._check_inplace()
        np.multiply(self.data, other.data if isinstance(other, Tensor) else other, out=self.data, casting="same_kind")
        return self

    def div_(self, other: Any) -> Tensor:
        self._check_inplace()
        np.divide(self.data, other.data if isinstance(other, Tensor) else other, out=self.data, casting="same_kind")
        return self

    def clamp_(self, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A002
        self._check_inplace()
        np.clip(self.data, min, max, out=self.data)
        return self

    def uniform_(self, a: float = 0.0, b: float = 1.0) -> Tensor:
        return self.copy_(default_generator().uniform(a, b, self.shape))

    def normal_(self, mean: float = 0.0, std: float = 1.0) -> Tensor:
        return self.copy_(default_generator().normal(mean, std, self.shape))

    def __setitem__(self, index: Any, value: Any) -> None:
        self._check_inplace()
        if self._backward is not None and grad_mode._enabled[0]:
            raise RuntimeError("in-place assignment into a tensor that is part of a graph is not supported")
        self.data[_index_of(index)] = value.data if isinstance(value, Tensor) else value

    # ----- autograd --------------------------------------------------------------------------
    def backward(self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
                 inputs: Any = None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's `.grad` that requires grad (or only `inputs`' leaves).

        Gradients are numpy arrays, not graphs, so `create_graph=True` (higher-order gradients) is refused.
        """
        if create_graph:
            raise RuntimeError("create_graph=True is not supported: trainer's engine computes first-order "
                               "gradients only")
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            seed = np.array(1, dtype=self.data.dtype) if self.data.ndim == 0 else np.ones_like(self.data)
        else:
            seed = np.asarray(gradient.data if isinstance(gradient, Tensor) else gradient, dtype=self.data.dtype)
            if seed.shape != self.data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output has shape {seed.shape} and output has shape {self.shape}"
                )
        only = None
        if inputs is not None:
            leaves = [inputs] if isinstance(inputs, Tensor) else list(inputs)
            if not leaves or any(not t.is_leaf or not t.requires_grad for t in leaves):
                raise RuntimeError("backward(inputs=...) takes a non-empty list of leaf tensors that require grad")
            only = {id(t) for t in leaves}
        _run_backward(self, seed, bool(retain_graph), only)

    # ----- printing --------------------------------------------------------------------------
    def __repr__(self) -> str:
        body = np.array2string(
            self.data, separator=", ", prefix="tensor(", threshold=1000, formatter=_repr_formatter(self.data)
        )
        extras = []
        default_types = (get_default_dtype(), int64, np.dtype(np.bool_))
        if self.data.dtype not in default_types:
            extras.append(f"dtype={display_name(self.data.dtype)}")
        if self._op:
            extras.append(f"grad_fn=<{node_name(self._op)}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + body + "".join(", " + e for e in extras) + ")"


def _repr_formatter(data: np.ndarray) -> dict[str, Any] | None:
    """PyTorch's float printing: `1.` for whole numbers, 4 decimals, scientific for wide ranges,
    every element padded to one width."""
    if data.dtype.kind != "f":
        return None
    finite = np.abs(data[np.isfinite(data)]).astype(np.float64)
    nonzero = finite[finite > 0]
    wide = nonzero.size > 0 and (nonzero.max() / nonzero.min() > 1000 or nonzero.max() > 1e8)
    if finite.size == 0 or np.all(finite == np.round(finite)):
        fmt = (lambda v: f"{v:.4e}") if wide else (lambda v: f"{v:.0f}." if np.isfinite(v) else str(v))
    elif wide or (nonzero.size > 0 and nonzero.min() < 1e-4):
        fmt = lambda v: f"{v:.4e}"
    else:
        fmt = lambda v: f"{v:.4f}"
    shown = data if data.size <= 1000 else np.concatenate([data.reshape(-1)[:3], data.reshape(-1)[-3:]])
    width = max((len(fmt(v)) for v in shown.reshape(-1)), default=0)
    return {"float_kind": lambda v: fmt(v).rjust(width)}


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    """numpy array for `Tensor(...)` with PyTorch's dtype inference (floats become float32)."""
    if isinstance(data, Tensor):
        data = data.data
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
    return [x.data if isinstance(x, Tensor) else _untensor(x) if isinstance(x, list | tuple) else x for x in data]


def _index_of(index: Any) -> Any:
    """Translate tensor indices to numpy ones."""
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
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
        leaf.grad = Tensor._wrap(g if owned else np.array(g, dtype=leaf.data.dtype, copy=True))
    else:
        grad = leaf.grad.data
        if grad.flags.writeable and grad.dtype == leaf.data.dtype and grad.shape == g.shape:
            grad += g
        else:
            leaf.grad.data = grad + g


def _run_backward(root: Tensor, seed: np.ndarray, retain_graph: bool, only: set[int] | None = None) -> None:
    """Walk the graph from `root` in reverse creation order (a valid reverse topological order,
    since every node is created after its inputs), without recursion.

    A gradient reaching a leaf becomes its `.grad` without a copy when nothing else refers to it: the
    array owns its memory (so it is writable) and its reference count shows only the local name here,
    i.e. the backward rule kept no reference and did not return it for two parents. Anything else is
    copied, so later in-place accumulation and optimizer steps never write into shared memory. By the
    same test, a node reached through several consumers sums their gradients in place once its pending
    gradient is an array nobody else holds.
    """
    if root._backward is None:
        if only is None or id(root) in only:
            _accumulate_leaf(root, seed)
        return
    grads: dict[int, np.ndarray] = {id(root): seed}
    owned: set[int] = set()  # nodes whose pending gradient only `grads` refers to: summed into in place
    heap: list[tuple[int, Tensor]] = [(-root._seq, root)]
    pop, push = heapq.heappop, heapq.heappush
    sole, refs, ndarray = _SOLE_REFS, sys.getrefcount, np.ndarray
    while heap:
        node = pop(heap)[1]
        owned.discard(id(node))
        g = grads.pop(id(node))
        if _RETAINING and id(node) in _RETAINING:
            _accumulate_leaf(node, g)
        parent_grads = list(node._backward(g))
        del g
        parents = node._parents
        if not retain_graph:
            node._backward = _freed_backward
            node._parents = ()
        for i, parent in enumerate(parents):
            pg = parent_grads[i]
            if pg is None or not parent.requires_grad:
                continue
            parent_grads[i] = None  # so that `pg` is the only reference this frame holds
            data = parent.data
            if pg.shape != data.shape:
                pg = unbroadcast(pg, data.shape)
            if pg.dtype != data.dtype:
                pg = pg.astype(data.dtype)
            # not inside a call, whose arguments would hold `pg`; numpy scalars (0-d results) are immutable
            unshared = type(pg) is ndarray and pg.base is None and refs(pg) <= sole
            if parent._backward is None:
                if only is None or id(parent) in only:
                    _accumulate_leaf(parent, pg, unshared)
                continue
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


# ops builds Tensors, so it imports this module; Tensor methods that call ops look it up at call time.
from . import ops as _ops  # noqa: E402
