"""Smaller pieces of PyTorch's surface, as torch.X and Tensor methods: `clone`, `detach`, `asarray`, a
differentiable `remainder` (Python's sign), the integer ops (`gcd`, `lcm`, the shifts, `isin`), `scatter_reduce`,
`msort`, `split_with_sizes`, the Tensor methods `where`, `bernoulli`, `floor_divide`, `bitwise_*` (and their
in-place forms), `cumprod_`, and the top-level in-place forms `torch.exp_`, `torch.abs_`, ..."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import ops
from .creation import bernoulli
from .dtypes import as_dtype
from .extra_ops import ceil, floor, log2, log10, trunc
from .math_ops import _integer_division_check, _not_implemented
from .more_ops import _inplace_method, cumprod, split
from .tensor import Tensor

__all__ = ["asarray", "bitwise_left_shift", "bitwise_right_shift", "clone", "detach", "gcd", "isin", "lcm",
           "msort", "remainder", "scatter_reduce", "split_with_sizes"]


def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:  # noqa: A002
    """A copy of `input`, in the graph."""
    return ops.clone(input)


def detach(input: Tensor) -> Tensor:  # noqa: A002
    """`input.detach()`: the same storage outside the graph."""
    return input.detach()


def asarray(obj: Any, *, dtype: Any = None, device: Any = None, copy: bool | None = None,
            requires_grad: bool | None = None) -> Tensor:
    """`obj` as a tensor, sharing its memory (a tensor, a numpy array) unless `copy=True` or a cast is needed;
    `copy=False` refuses to copy. A tensor keeps its graph unless `requires_grad` says otherwise."""
    if isinstance(obj, Tensor):
        target = obj._array.dtype if dtype is None else as_dtype(dtype)
        if copy is False and target != obj._array.dtype:
            raise ValueError(f"can't alias tensor with dtype '{_name(obj._array.dtype)}' into dtype "
                             f"'{_name(target)}'.")
        if not copy and target == obj._array.dtype:
            return obj.requires_grad_(True) if requires_grad else obj
        if requires_grad is None and obj.requires_grad:
            warnings.warn("torch.asarray: unspecified requires_grad now defaults to obj.requires_grad instead of "
                          "False. Pass requires_grad=False explicitly to get the old behavior and silence this "
                          "warning.", UserWarning, stacklevel=2)
        source = obj if requires_grad is None or requires_grad == obj.requires_grad else obj.detach()
        out = ops.clone(source.to(target)) if target == obj._array.dtype else source.to(target)
        return out.requires_grad_(True) if requires_grad and not out.requires_grad else out
    if isinstance(obj, np.ndarray | np.generic) and dtype is None and not copy:
        t = Tensor._wrap(np.asarray(obj))
    elif copy is False:
        if not isinstance(obj, np.ndarray):
            raise ValueError("can't alias arbitrary sequence into a tensor.")
        t = Tensor._wrap(obj.astype(as_dtype(dtype), copy=False))
    else:
        t = Tensor._from_data(obj, dtype=dtype)
    return t.requires_grad_(True) if requires_grad else t


def _name(dtype: np.dtype) -> str:
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
            "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}[str(dtype)]


def remainder(input: Any, other: Any) -> Tensor:  # noqa: A002
    """input - floor(input / other) * other: the sign of `other`, as Python's %; differentiable in both."""
    a, b = ops._broadcast_pair(input, other)
    x, y = a._array, b._array
    if x.dtype.kind == "b":
        raise _not_implemented("remainder_cpu", x.dtype)
    _integer_division_check(x, y)
    with np.errstate(all="ignore"):
        out = np.remainder(x, y) if x.dtype.kind != "f" else _float_remainder(x, y)
    if not isinstance(other, Tensor):
        return Tensor._make(out, (a,), lambda g: (g,), "Remainder")

    def backward(g: np.ndarray) -> tuple[Any, ...]:
        with np.errstate(all="ignore"):
            return g, -g * np.floor(x / y) if b.requires_grad else None

    return Tensor._make(out, (a, b), backward, "Remainder1")


def _float_remainder(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """PyTorch's kernel: fmod, moved by `y` when the signs differ (so 3 % -1.5 is +0.0, not numpy's -0.0)."""
    mod = np.fmod(x, y)
    return np.where((mod != 0) & ((y < 0) != (mod < 0)), mod + y, mod).astype(x.dtype, copy=False)


def _integer_binary(fn: Any, name: str, kernel: str) -> Any:
    def op(input: Any, other: Any) -> Tensor:  # noqa: A002
        a, b = ops._broadcast_pair(input, other)
        if a._array.dtype.kind not in "iub":
            raise _not_implemented(kernel, a._array.dtype)
        return Tensor._wrap(np.asarray(fn(a._array, b._array)))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"`{name}` of integer tensors, elementwise (no gradient)."
    return op


def _left_shift(x: np.ndarray, s: np.ndarray) -> np.ndarray:
    bits = x.dtype.itemsize * 8
    return np.where((s >= bits) | (s < 0), 0, np.left_shift(x, np.clip(s, 0, bits - 1).astype(x.dtype)))


def _right_shift(x: np.ndarray, s: np.ndarray) -> np.ndarray:
    bits = x.dtype.itemsize * 8
    return np.right_shift(x, np.clip(s, 0, bits - 1).astype(x.dtype))


gcd = _integer_binary(np.gcd, "gcd", "gcd_cpu")
lcm = _integer_binary(np.lcm, "lcm", "lcm_cpu")
bitwise_left_shift = _integer_binary(_left_shift, "bitwise_left_shift", "lshift_cpu")
bitwise_right_shift = _integer_binary(_right_shift, "bitwise_right_shift", "rshift_cpu")


def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """Whether each of `elements` is among `test_elements` (either may be a number), a bool tensor."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin() received an invalid combination of arguments: expected a Tensor")
    e = elements._array if isinstance(elements, Tensor) else np.asarray(elements)
    t = test_elements._array if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return Tensor._wrap(np.isin(e, t, invert=invert))


def msort(input: Tensor) -> Tensor:  # noqa: A002
    """`input` sorted along dim 0 (the values of `sort(input, dim=0)`)."""
    return input.sort(dim=0)[0]


def split_with_sizes(input: Tensor, split_sizes: Any, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    """Pieces of the given sizes along `dim`; the sizes must add up to the dimension's length."""
    sizes = [int(s) for s in split_sizes]
    length = input.shape[dim]
    if sum(sizes) != length:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's size "
                           f"at dimension {dim}), but got split_sizes={sizes}")
    return split(input, sizes, dim)


_REDUCES = ("sum", "prod", "mean", "amax", "amin")


def scatter_reduce(input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,  # noqa: A002
                   include_self: bool = True) -> Tensor:
    """`input` with `src`'s values reduced into it at `index` along `dim` ('sum', 'prod', 'mean', 'amax' or
    'amin'); without `include_self` the targeted entries of `input` are left out. Gradients for 'sum' and 'mean'."""
    reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)  # the names PyTorch also takes
    if reduce not in _REDUCES:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    x, idx, s = input._array, index._array, src._array
    if idx.dtype not in (np.int32, np.int64):
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    if s.dtype != x.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    axis = dim % max(x.ndim, 1)
    where = list(np.indices(idx.shape, sparse=True)) if idx.ndim else []
    if idx.ndim:
        where[axis] = idx
        if idx.size and (idx.min() < -x.shape[axis] or idx.max() >= x.shape[axis]):
            raise RuntimeError(f"index {int(idx.max())} is out of bounds for dimension {axis} with size "
                               f"{x.shape[axis]}")
    target = tuple(np.broadcast_arrays(*where)) if where else ()
    values = s[tuple(slice(0, n) for n in idx.shape)]
    out, count = _reduce_into(x, target, values, reduce, include_self)

    def backward(g: np.ndarray) -> tuple[Any, ...]:
        if reduce not in ("sum", "mean"):
            raise NotImplementedError(f"the derivative of scatter_reduce with reduce='{reduce}' is not implemented")
        per = g / count if reduce == "mean" else g
        gx = per.copy()
        if not include_self:
            gx[target] = 0
        gs = np.zeros_like(s)
        gs[tuple(slice(0, n) for n in idx.shape)] = per[target]
        return gx, gs

    return Tensor._make(out, (input, src), backward, "ScatterReduce")


def _reduce_into(x: np.ndarray, target: tuple, values: np.ndarray, reduce: str,
                 include_self: bool) -> tuple[np.ndarray, np.ndarray]:
    out = x.copy()
    count = np.ones(x.shape, x.dtype if x.dtype.kind == "f" else np.int64)
    if not include_self:
        identity = {"sum": 0, "mean": 0, "prod": 1, "amax": _lowest(x.dtype), "amin": _highest(x.dtype)}[reduce]
        out[target] = identity
        count[target] = 0
    ufunc = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.fmax, "amin": np.fmin}[reduce]
    if reduce in ("amax", "amin"):  # nan wins, as in PyTorch
        ufunc = np.maximum if reduce == "amax" else np.minimum
    with np.errstate(invalid="ignore"):  # nan against nan
        ufunc.at(out, target, values)
    np.add.at(count, target, 1)
    if reduce == "mean":
        safe = np.maximum(count, 1)
        out = out / safe if x.dtype.kind == "f" else np.floor_divide(out, safe).astype(x.dtype)
        out = out.astype(x.dtype, copy=False)
    return out, np.maximum(count, 1)


def _lowest(dtype: np.dtype) -> Any:
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype: np.dtype) -> Any:
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


def _where(self: Tensor, condition: Any, y: Any) -> Tensor:
    return ops.where(condition, self, y)


def _bernoulli(self: Tensor, p: float | None = None, *, generator: Any = None) -> Tensor:
    return bernoulli(self, p, generator=generator)


def _untracked_inplace(fn: Any, name: str) -> Any:
    """An in-place integer op: the result written into the tensor, only its version counter moving."""

    def method(self: Tensor, *args: Any) -> Tensor:
        res = fn(self, *args)
        self._store(res._array.astype(self._array.dtype, copy=False))
        self._bump()
        return self

    method.__name__ = method.__qualname__ = name
    return method


_METHODS: dict[str, Any] = {
    "remainder": remainder, "where": _where, "bernoulli": _bernoulli, "floor_divide": ops.floor_divide,
    "bitwise_and": ops.bitwise_and, "bitwise_or": ops.bitwise_or, "bitwise_xor": ops.bitwise_xor,
    "bitwise_not": ops.bitwise_not, "gcd": gcd, "lcm": lcm, "bitwise_left_shift": bitwise_left_shift,
    "bitwise_right_shift": bitwise_right_shift, "scatter_reduce": scatter_reduce, "msort": msort,
    "split_with_sizes": split_with_sizes,
}
for _name_, _fn in _METHODS.items():
    setattr(Tensor, _name_, _fn)
for _name_ in ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "gcd", "lcm",
               "bitwise_left_shift", "bitwise_right_shift"):
    setattr(Tensor, _name_ + "_", _untracked_inplace(_METHODS[_name_], _name_ + "_"))
Tensor.remainder_ = _inplace_method(remainder, True)
Tensor.scatter_reduce_ = _inplace_method(scatter_reduce, False)
Tensor.cumprod_ = _inplace_method(cumprod, True)
for _fn, _reads in ((floor, False), (ceil, False), (trunc, False), (log2, True), (log10, True),
                    (ops.log1p, True)):
    setattr(Tensor, _fn.__name__ + "_", _inplace_method(_fn, _reads))

# torch.exp_, torch.abs_, ...: the top-level in-place forms PyTorch lists, calling the Tensor methods
_TOP_INPLACE = ("abs_", "ceil_", "clamp_", "clamp_max_", "clamp_min_", "clip_", "cos_", "detach_", "exp_", "fill_",
                "floor_", "gcd_", "lcm_", "log10_", "log1p_", "log2_", "log_", "neg_", "round_", "sigmoid_",
                "sin_", "sqrt_", "square_", "tanh_", "trunc_", "zero_")


def _top_inplace(name: str) -> Any:
    def fn(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:  # noqa: A002
        return getattr(input, name)(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"`input.{name}(...)`: in place."
    return fn


globals().update({name: _top_inplace(name) for name in _TOP_INPLACE})
__all__ += list(_TOP_INPLACE)
