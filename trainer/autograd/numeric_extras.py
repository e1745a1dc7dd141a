"""More of PyTorch's elementwise and indexing surface, as torch.X and Tensor methods: `frexp`, `ldexp`,
`nextafter`, `i0`, `polygamma` (the Hurwitz zeta function's Euler-Maclaurin sum for n >= 2), `index_reduce`
(prod, mean, amax, amin, with their gradients), and the Tensor methods `new` (the legacy constructor) and
`fill_diagonal_`."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import ops
from ._linalg_common import result_type
from ._stat_helpers import _torch_name
from .math_ops import _digamma, _trigamma, _unary, exp2
from .more_ops import _inplace_method
from .size import Size
from .tensor import Tensor
from .tensor_extras import _reduce_into

__all__ = ["frexp", "ldexp", "nextafter", "i0", "polygamma", "index_reduce"]

_Frexp = result_type("frexp", "mantissa exponent")


def frexp(input: Tensor) -> Any:  # noqa: A002
    """(mantissa, exponent) with input = mantissa * 2^exponent, |mantissa| in [0.5, 1); exponent int32."""
    x = input._array
    if x.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    mantissa, exponent = np.frexp(x)
    scale = np.ldexp(np.ones((), x.dtype), -exponent)
    out = Tensor._make(mantissa.astype(x.dtype), (input,), lambda g: (g * scale,), "Frexp")
    return _Frexp(out, Tensor._wrap(exponent.astype(np.int32)))


def ldexp(input: Any, other: Any) -> Tensor:  # noqa: A002
    """input * 2^other (a float result), differentiable in both."""
    return ops.mul(input, exp2(other))


def nextafter(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """The next representable value after `input` towards `other`, in their promoted float dtype (no gradient)."""
    a, b = ops._broadcast_pair(input, other)
    if a._array.dtype.kind != "f":
        raise NotImplementedError(f"\"nextafter_cpu\" not implemented for '{_torch_name(a._array.dtype)}'")
    return Tensor._wrap(np.asarray(np.nextafter(a._array, b._array)))


def _i1(x: np.ndarray) -> np.ndarray:
    """The modified Bessel function I1, by its power series (all terms of one sign; float64)."""
    x = x.astype(np.float64)
    half_sq = (x / 2) ** 2
    term = x / 2
    total = term.copy()
    for k in range(int(np.nanmax(np.abs(x), initial=0.0)) + 60 if x.size else 0):
        term = term * half_sq / ((k + 1) * (k + 2))
        total = total + term
    return np.where(np.isinf(x), x, total)


i0 = _unary("i0", "I0", np.i0, lambda g, x, out: g * _i1(x),
            "The modified Bessel function of the first kind of order 0 (nan at +-inf, as PyTorch).")

_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798,
              -174611 / 330, 854513 / 138, -236364091 / 2730)  # B_2, B_4, ..., B_24


def _zeta(s: int, q: np.ndarray) -> np.ndarray:
    """The Hurwitz zeta function sum_k (q + k)^-s for an integer s > 1: the first terms (at least ten, until
    q + k > 9), then the Euler-Maclaurin tail (float64; inf at q = 0, -1, -2, ...)."""
    q = q.astype(np.float64)
    with np.errstate(all="ignore"):
        terms = np.nan_to_num(np.maximum(10, np.floor(10 - q) + 1), nan=10, posinf=10)
        total = np.zeros_like(q)
        for k in range(int(terms.max(initial=0))):
            total = total + np.where(k < terms, (q + k) ** -s, 0.0)
        total = total + _zeta_tail(s, q + terms)
    return np.where((q <= 0) & (q == np.floor(q)), np.inf, total)


def _zeta_tail(s: int, a: np.ndarray) -> np.ndarray:
    """sum over k >= 0 of (a + k)^-s by Euler-Maclaurin: the integral, half the first term and the Bernoulli
    corrections."""
    tail = a ** (1 - s) / (s - 1) + 0.5 * a ** -s
    rising, power = float(s), a ** (-s - 1)  # s (s + 1) ... (s + 2j - 2) and a^(-s - 2j + 1)
    factorial = 2.0
    for j, b in enumerate(_BERNOULLI, start=1):
        tail = tail + b / factorial * rising * power
        rising *= (s + 2 * j - 1) * (s + 2 * j)
        power = power / (a * a)
        factorial *= (2 * j + 1) * (2 * j + 2)
    return tail


def _polygamma(n: int, x: np.ndarray) -> np.ndarray:
    if n == 0:
        return _digamma(x)
    if n == 1:
        return _trigamma(x)
    return (-1) ** (n + 1) * math.factorial(n) * _zeta(n + 1, x)


def polygamma(n: int, input: Tensor) -> Tensor:  # noqa: A002
    """The n-th derivative of the digamma function (n = 0 is digamma itself)."""
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    a = ops._floating(input)
    x = a._array
    with np.errstate(all="ignore"):
        out = np.asarray(_polygamma(n, x), dtype=x.dtype)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        with np.errstate(all="ignore"):
            return (np.asarray(g * _polygamma(n + 1, x), dtype=g.dtype),)

    return Tensor._make(out, (a,), backward, "Polygamma")


def _polygamma_method(self: Tensor, n: int) -> Tensor:
    return polygamma(n, self)


def _polygamma_(self: Tensor, n: int) -> Tensor:
    return self._inplace(lambda s: polygamma(n, s), (), True)


# ----- index_reduce ------------------------------------------------------------------------------

_INDEX_REDUCES = ("prod", "mean", "amax", "amin")


def _index_reduce_checks(x: np.ndarray, dim: int, idx: np.ndarray, s: np.ndarray, reduce: str) -> int:
    """The axis, after PyTorch's checks of the operands."""
    if reduce not in _INDEX_REDUCES:
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got "
                           f"{reduce}.")
    if idx.dtype not in (np.int32, np.int64):
        raise RuntimeError(f"index_reduce_(): Expected dtype int32/int64 for index but got: {_torch_name(idx.dtype)}")
    if idx.ndim > 1:
        raise IndexError(f"index_reduce_(): Index is supposed to be a vector, but got dim: {idx.ndim} with type: "
                         f"{_torch_name(idx.dtype)} and size: {list(idx.shape)}")
    if s.dtype != x.dtype:
        raise RuntimeError(f"index_reduce_(): self ({_torch_name(x.dtype)}) and source ({_torch_name(s.dtype)}) "
                           f"must have the same scalar type")
    axis = dim % max(x.ndim, 1)
    length = s.shape[axis] if s.ndim else 1
    if idx.size != length:
        raise RuntimeError(f"index_reduce_(): Number of indices ({idx.size}) should be equal to source.size(dim): "
                           f"({length}), for dim: {dim}")
    if idx.size and (idx.min() < -x.shape[axis] or idx.max() >= x.shape[axis]):
        raise IndexError("index out of range in self")
    return axis


def index_reduce(input: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *,  # noqa: A002
                 include_self: bool = True) -> Tensor:
    """`input` with the slices of `source` reduced into the slices `index` names along `dim` ('prod', 'mean',
    'amax' or 'amin'); without `include_self` the targeted slices of `input` are left out."""
    x, idx, s = input._array, index._array.reshape(-1), source._array
    axis = _index_reduce_checks(x, dim, index._array, s, reduce)
    where = list(np.indices(s.shape, sparse=True)) if s.ndim else []
    if where:
        where[axis] = idx.reshape((-1,) + (1,) * (s.ndim - axis - 1))
    target = tuple(np.broadcast_arrays(*where)) if where else ()
    out, count = _reduce_into(x, target, s, reduce, include_self)
    kept = np.ones(x.shape, bool)
    if not include_self:
        kept[target] = False

    def backward(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if reduce == "mean":
            per = g / count
            return np.where(kept, per, 0), per[target]
        if reduce == "prod":
            return _prod_grads(g, x, s, target, kept)
        self_hit = kept & (x == out)
        source_hit = s == out[target]
        ties = self_hit.astype(g.dtype)
        np.add.at(ties, target, source_hit)
        per = g / np.maximum(ties, 1)
        return np.where(self_hit, per, 0), np.where(source_hit, per[target], 0)

    return Tensor._make(out, (input, source), backward, "IndexReduce")


def _prod_grads(g: np.ndarray, x: np.ndarray, s: np.ndarray, target: tuple,
                kept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each factor's gradient: the product of the other factors of its slot (zeros counted apart)."""
    zeros = np.where(kept & (x == 0), 1, 0)
    np.add.at(zeros, target, s == 0)
    nonzero = np.where(kept & (x != 0), x, 1)
    np.multiply.at(nonzero, target, np.where(s == 0, 1, s))

    def others(v: np.ndarray, z: np.ndarray, p: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.where(v != 0, np.where(z == 0, p / np.where(v == 0, 1, v), 0), np.where(z == 1, p, 0))

    gx = np.where(kept, g * others(x, zeros, nonzero), 0)
    return gx, g[target] * others(s, zeros[target], nonzero[target])


def _index_reduce_method(self: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *,
                         include_self: bool = True) -> Tensor:
    return index_reduce(self, dim, index, source, reduce, include_self=include_self)


# ----- Tensor.new and fill_diagonal_ -------------------------------------------------------------


def _new(self: Tensor, *args: Any, device: Any = None) -> Tensor:
    """The legacy constructor: `new()` (empty), `new(2, 3)` or `new(torch.Size)` (uninitialised), `new(data)`
    (a copy in this tensor's dtype) or `new(tensor)` (the same storage; the dtypes must agree)."""
    dtype = self._array.dtype
    if len(args) == 1 and isinstance(args[0], Tensor):
        if args[0]._array.dtype != dtype:
            raise TypeError(f"expected {_options(dtype)} (got {_options(args[0]._array.dtype)})")
        return args[0].detach()
    if len(args) == 1 and not isinstance(args[0], Size | int | np.integer):
        if not isinstance(args[0], list | tuple | np.ndarray):
            raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
        return Tensor._from_data(args[0], dtype=dtype)
    shape = tuple(int(s) for s in (args[0] if len(args) == 1 and isinstance(args[0], Size) else args))
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(shape)}")
    return Tensor._wrap(np.empty(shape or (0,), dtype))


def _options(dtype: np.dtype) -> str:
    name = {"int64": "long int", "int32": "int", "float32": "float", "float64": "double", "bool": "bool"}.get(
        dtype.name, dtype.name)
    return (f"TensorOptions(dtype={name}, device=cpu, layout=Strided, requires_grad=false (default), "
            f"pinned_memory=false (default), memory_format=(nullopt))")


def _diagonal_mask(shape: tuple[int, ...], wrap: bool) -> np.ndarray:
    if len(shape) < 2:
        raise RuntimeError("dimensions must larger than 1")
    if len(shape) > 2 and len(set(shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    mask = np.zeros(shape, bool)
    np.fill_diagonal(mask, True, wrap=wrap)
    return mask


def _fill_diagonal(input: Tensor, fill_value: Any, wrap: bool) -> Tensor:  # noqa: A002
    mask = _diagonal_mask(input.shape, wrap)
    x = input._array
    out = np.where(mask, np.asarray(fill_value).astype(x.dtype), x)
    return Tensor._make(out, (input,), lambda g: (np.where(mask, 0, g),), "FillDiagonal")


def _fill_diagonal_(self: Tensor, fill_value: Any, wrap: bool = False) -> Tensor:
    """Fill the main diagonal (of a 2-d tensor, or of one whose dims are all equal) with `fill_value`; `wrap`
    restarts it below a tall matrix's square top."""
    return self._inplace(lambda s: _fill_diagonal(s, fill_value, wrap), (), False)


Tensor.new = _new
Tensor.fill_diagonal_ = _fill_diagonal_
Tensor.index_reduce = _index_reduce_method
Tensor.index_reduce_ = _inplace_method(index_reduce, True)
Tensor.polygamma = _polygamma_method
Tensor.polygamma_ = _polygamma_
Tensor.frexp = frexp
for _fn, _reads in ((ldexp, True), (nextafter, False), (i0, True)):
    setattr(Tensor, _fn.__name__, _fn)
    setattr(Tensor, _fn.__name__ + "_", _inplace_method(_fn, _reads))
