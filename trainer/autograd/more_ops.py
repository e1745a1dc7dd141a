"""More of PyTorch's ops (products, rounding, indexing, sorting, scans, einsum, splitting, softmax), each
forward beside its backward rule as in `ops`; they register as Tensor methods at import."""

from __future__ import annotations

import builtins
import math
import string
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import creation, ops
from .aliases import numpy_names
from .creation import randn
from .device import as_device
from .dtypes import as_dtype
from .ops import _dims, _floating, _pair
from .plain import grad_where
from .return_types import ReturnType, return_type
from .tensor import Tensor

# ----- products --------------------------------------------------------------------------------


def _need(t: Tensor, ndim: int, what: str) -> None:
    if t._array.ndim != ndim:
        kind = "vector" if ndim == 1 else "matrix" if ndim == 2 else f"{ndim}D tensor"
        raise RuntimeError(f"{what} must be a {kind}")


def mm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002 - PyTorch's names
    """Matrix product of two 2-D tensors."""
    a, b = _pair(input, mat2)
    _need(a, 2, "self")
    _need(b, 2, "mat2")
    if a._array.shape[1] != b._array.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                           f"{b.shape[0]}x{b.shape[1]})")
    x, y = a._array, b._array

    def backward(g: np.ndarray):
        return (np.dot(g, y.T) if a.requires_grad else None, np.dot(x.T, g) if b.requires_grad else None)

    return Tensor._make(np.dot(x, y), (a, b), backward, "Mm")


def bmm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    """Batched matrix product of two 3-D tensors with the same batch size."""
    a, b = _pair(input, mat2)
    _need(a, 3, "batch1")
    _need(b, 3, "batch2")
    if a._array.shape[0] != b._array.shape[0] or a._array.shape[2] != b._array.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    x, y = a._array, b._array

    def backward(g: np.ndarray):
        return (g @ np.swapaxes(y, 1, 2) if a.requires_grad else None,
                np.swapaxes(x, 1, 2) @ g if b.requires_grad else None)

    return Tensor._make(x @ y, (a, b), backward, "Bmm")


def mv(input: Tensor, vec: Tensor) -> Tensor:  # noqa: A002
    """Matrix-vector product."""
    a, b = _pair(input, vec)
    _need(a, 2, "self")
    _need(b, 1, "vec")
    x, y = a._array, b._array

    def backward(g: np.ndarray):
        return (np.outer(g, y) if a.requires_grad else None, x.T @ g if b.requires_grad else None)

    return Tensor._make(x @ y, (a, b), backward, "Mv")


def dot(input: Tensor, tensor: Tensor) -> Tensor:  # noqa: A002
    """Inner product of two 1-D tensors."""
    a, b = _pair(input, tensor)
    _need(a, 1, "1D tensors expected, but got self")
    _need(b, 1, "1D tensors expected, but got tensor")
    x, y = a._array, b._array
    return Tensor._make(np.asarray(np.dot(x, y)), (a, b), lambda g: (g * y, g * x), "Dot")


def outer(input: Tensor, vec2: Tensor) -> Tensor:  # noqa: A002
    """Outer product of two 1-D tensors (a column times a row, as PyTorch computes it)."""
    return ops.mul(ops.reshape(input, -1, 1), vec2)


def addmm(input: Any, mat1: Tensor, mat2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """beta * input + alpha * (mat1 @ mat2), input broadcast to the product's shape."""
    a, b = _pair(mat1, mat2)
    _need(a, 2, "mat1")
    _need(b, 2, "mat2")
    c = input if isinstance(input, Tensor) else Tensor._wrap(np.asarray(input, dtype=a._array.dtype))
    x, y = a._array, b._array
    out = alpha * np.dot(x, y) + beta * c._array if (alpha != 1 or beta != 1) else np.dot(x, y) + c._array

    def backward(g: np.ndarray):
        return (g * beta if c.requires_grad else None,
                alpha * np.dot(g, y.T) if a.requires_grad else None,
                alpha * np.dot(x.T, g) if b.requires_grad else None)

    res = Tensor._make(out.astype(x.dtype, copy=False), (c, a, b), backward, "Addmm")
    res._ctx = (beta, alpha)  # for `higher_order`
    return res


# ----- random ----------------------------------------------------------------------------------


def normal(mean: Any, std: Any = 1.0, size: Any = None, *, generator: Any = None, dtype: Any = None,
           device: Any = None, requires_grad: bool = False) -> Tensor:
    """Normal draws with elementwise `mean` and `std` (tensors or floats; floats need `size`).

    Floats draw as `empty(size).normal_(mean, std)`, tensors as mean + std * randn (PyTorch's two ways), from
    the default generator or `generator`; the gradient with respect to a tensor mean or std is zero, as in PyTorch.
    """
    if device is not None:
        as_device(device)
    from_tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if not from_tensors:
        if size is None:
            raise TypeError("normal() with float mean and std needs size=")
        return creation.normal(mean, std, size, generator=generator, dtype=dtype, requires_grad=requires_grad)
    if size is not None:
        raise TypeError("normal(): size= is only allowed when mean and std are floats")
    m = mean._array if isinstance(mean, Tensor) else np.asarray(mean)
    s = std._array if isinstance(std, Tensor) else np.asarray(std)
    if isinstance(std, Tensor) and np.any(s < 0):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    dt = np.result_type(*(t._array.dtype for t in from_tensors))
    shape = np.broadcast_shapes(m.shape, s.shape)
    z = randn(shape, dtype=dt, generator=generator)
    out = (z._array * s + m).astype(dt, copy=False)
    parents = tuple(from_tensors)
    variant = "Normal1" if len(parents) == 1 and isinstance(mean, Tensor) else (
        "Normal2" if len(parents) == 1 else "Normal3")
    return Tensor._make(out, parents, lambda g: tuple(np.zeros(p._array.shape, g.dtype) for p in parents), variant)


# ----- elementwise -----------------------------------------------------------------------------


def round(input: Tensor, *, decimals: int = 0) -> Tensor:  # noqa: A001, A002
    """Round half to even (to `decimals` places); the gradient is zero."""
    x = input._array
    if decimals == 0:
        return Tensor._make(np.round(x), (input,), lambda g: (np.zeros_like(g),), "Round")
    if x.dtype.kind != "f":
        raise RuntimeError('"round_cpu" not implemented for integer inputs with decimals')
    scale = 10.0**decimals
    out = (np.round(x * scale) / scale).astype(x.dtype, copy=False)
    return Tensor._make(out, (input,), lambda g: (np.zeros_like(g),), "Round1")


def sign(input: Tensor) -> Tensor:  # noqa: A002
    """-1, 0 or 1 by the sign of each element (0 for NaN and -0, as PyTorch's); the gradient is zero."""
    x = input._array
    out = np.sign(x)
    if x.dtype.kind == "f":
        out = np.where(np.isnan(out), 0, out).astype(x.dtype, copy=False) + 0  # NaN -> 0, and -0 -> +0
    return Tensor._make(out, (input,), lambda g: (np.zeros_like(g),), "Sign")


def clamp_min(input: Tensor, min: Any) -> Tensor:  # noqa: A001, A002
    """max(input, min) elementwise; the gradient passes where input >= min."""
    if isinstance(min, Tensor):
        return ops.clamp_bounded(input, min, None, "ClampMin1")
    a = _floating(input) if isinstance(min, float) else input
    x = a._array
    return Tensor._make(np.maximum(x, np.asarray(min, x.dtype)), (a,), lambda g: (grad_where(x >= min, g),),
                        "ClampMin")


def clamp_max(input: Tensor, max: Any) -> Tensor:  # noqa: A001, A002
    """min(input, max) elementwise; the gradient passes where input <= max."""
    if isinstance(max, Tensor):
        return ops.clamp_bounded(input, None, max, "ClampMax1")
    a = _floating(input) if isinstance(max, float) else input
    x = a._array
    return Tensor._make(np.minimum(x, np.asarray(max, x.dtype)), (a,), lambda g: (grad_where(x <= max, g),),
                        "ClampMax")


def square(input: Tensor) -> Tensor:  # noqa: A002
    """input ** 2."""
    return ops.pow(input, 2)


# ----- logical reductions ----------------------------------------------------------------------


def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001, A002
    """True where any element (over `dim`) is non-zero."""
    return Tensor._wrap(np.asarray(np.any(input._array, axis=_dims(dim, input.ndim), keepdims=keepdim)))


def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001, A002
    """True where every element (over `dim`) is non-zero."""
    return Tensor._wrap(np.asarray(np.all(input._array, axis=_dims(dim, input.ndim), keepdims=keepdim)))


def numel(input: Tensor) -> int:  # noqa: A002
    """The number of elements."""
    return int(input._array.size)


# ----- gather / scatter / masked_fill ----------------------------------------------------------


def _index_arrays(index: np.ndarray, dim: int) -> tuple[np.ndarray, ...]:
    """Full numpy index arrays for `out[i][j][k] = x[i][index[i][j][k]][k]` (for dim=1)."""
    grid = list(np.indices(index.shape, sparse=True))
    grid[dim] = index
    return tuple(grid)


def _check_index(input: Tensor, dim: int, index: Tensor, what: str) -> tuple[int, np.ndarray]:  # noqa: A002
    if not isinstance(index, Tensor) or index._array.dtype != np.int64:
        raise RuntimeError(f"{what}(): Expected dtype int64 for index")
    idx = index._array
    (d,) = _dims(dim, input.ndim)
    if idx.ndim != builtins.max(input.ndim, 1) and idx.size:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    n = input._array.shape[d] if input.ndim else 1
    bad = (idx < 0) | (idx >= n)  # negative indices are out of bounds here, as in PyTorch
    if bad.any():
        raise RuntimeError(f"index {int(idx[bad].flat[0])} is out of bounds for dimension {d} with size {n}")
    return d, idx


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:  # noqa: A002
    """out[i][j] = input[i][index[i][j]] (for dim=1); gradients accumulate over repeated indices."""
    d, idx = _check_index(input, dim, index, "gather")
    for k in range(idx.ndim):
        if k != d and idx.shape[k] > input._array.shape[k]:
            raise RuntimeError(f"Size does not match at dimension {k} expected index {list(idx.shape)} to be "
                               f"no larger than self {list(input.shape)} apart from dimension {d}")
    where = _index_arrays(idx, d)
    out = input._array[where]
    shape, dtype = input._array.shape, input._array.dtype

    def backward(g: np.ndarray):
        grad = np.zeros(shape, dtype)
        np.add.at(grad, where, g)
        return (grad,)

    res = Tensor._make(np.array(out), (input,), backward, "Gather")
    res._ctx = lambda v: v[where]  # the forward map, for `higher_order`
    return res


def _src_part(src: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return src[tuple(slice(0, n) for n in shape)]


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, value: Any = None, *,  # noqa: A002
            reduce: str | None = None) -> Tensor:
    """A copy of `input` with `src` (a tensor, or a scalar `value`) written at `index` along `dim`.

    `reduce='add'` or `'multiply'` combines instead of overwriting (not differentiable, as in PyTorch).
    """
    if src is None and value is None:
        raise TypeError("scatter() needs src or value")
    if src is None:
        src = value
    d, idx = _check_index(input, dim, index, "scatter")
    where = _index_arrays(idx, d)
    out = input._array.copy()
    tensor_src = isinstance(src, Tensor)
    s = _src_part(src._array, idx.shape) if tensor_src else np.asarray(src, dtype=out.dtype)
    if reduce is None:
        out[where] = s
    elif reduce == "add":
        np.add.at(out, where, np.broadcast_to(s, idx.shape))
    elif reduce == "multiply":
        np.multiply.at(out, where, np.broadcast_to(s, idx.shape))
    else:
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}")
    if reduce is not None:
        if input.requires_grad or (tensor_src and src.requires_grad):
            out_t = Tensor._make(out, (input,) + ((src,) if tensor_src else ()), _no_scatter_derivative, "Scatter")
            return out_t
        return Tensor._wrap(out)
    src_shape = src._array.shape if tensor_src else ()

    def backward(g: np.ndarray):
        gi = g.copy()
        gi[where] = 0
        if not tensor_src:
            return (gi,)
        gs = np.zeros(src_shape, g.dtype)
        gs[tuple(slice(0, n) for n in idx.shape)] = g[where]
        return gi, gs

    return Tensor._make(out, (input, src) if tensor_src else (input,), backward,
                        "Scatter" if tensor_src else "Scatter1")


def _no_scatter_derivative(g: np.ndarray):
    raise RuntimeError("derivative for aten::scatter is not implemented")


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:  # noqa: A002
    """A copy of `input` with `src` added at `index` along `dim` (repeated indices add up)."""
    d, idx = _check_index(input, dim, index, "scatter_add")
    a, s = _pair(input, src)
    where = _index_arrays(idx, d)
    out = a._array.copy()
    np.add.at(out, where, _src_part(s._array, idx.shape))
    src_shape = s._array.shape

    def backward(g: np.ndarray):
        gs = None
        if s.requires_grad:
            gs = np.zeros(src_shape, g.dtype)
            gs[tuple(slice(0, n) for n in idx.shape)] = g[where]
        return g, gs

    return Tensor._make(out, (a, s), backward, "ScatterAdd")


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:  # noqa: A002
    """`input` with `value` where the boolean `mask` (broadcast) is True."""
    m = mask._array if isinstance(mask, Tensor) else np.asarray(mask)
    if m.dtype != np.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {m.dtype}")
    x = input._array
    if isinstance(value, Tensor):
        if value._array.ndim != 0:
            raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value._array.ndim} dimension(s).")
        v = value
    else:
        v = Tensor._wrap(np.asarray(value).astype(x.dtype))
    out = np.where(m, v._array.astype(x.dtype), x)
    zero = np.zeros((), x.dtype)

    def backward(g: np.ndarray):
        gv = np.asarray(np.where(m, g, zero).sum()) if v.requires_grad else None
        return np.where(m, zero, g), gv

    return Tensor._make(out, (input, v), backward, "MaskedFill")


# ----- sorting ---------------------------------------------------------------------------------

SortResult = return_type("sort")
TopkResult = return_type("topk")


def _argsort(x: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Stable ascending order; descending keeps equal elements in their original order, NaN first."""
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    n = x.shape[axis]
    rev = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
    return np.flip(n - 1 - rev, axis)


def _select_grad(shape: tuple[int, ...], idx: np.ndarray, axis: int):
    def backward(g: np.ndarray):
        grad = np.zeros(shape, g.dtype)
        np.put_along_axis(grad, idx, g, axis=axis)
        return (grad,)

    return backward


def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> ReturnType:  # noqa: A002
    """(values, indices) sorted along `dim` (always stable here, which `stable=True` asks for)."""
    x = input._array
    if x.ndim == 0:
        return SortResult(Tensor._make(x.copy(), (input,), lambda g: (g,), "Sort"),
                          Tensor._wrap(np.zeros((), np.int64)))
    (axis,) = _dims(dim, x.ndim)
    idx = _argsort(x, axis, descending)
    values = np.take_along_axis(x, idx, axis=axis)
    out = Tensor._make(values, (input,), _select_grad(x.shape, idx, axis), "Sort")
    return SortResult(out, Tensor._wrap(idx.astype(np.int64)))


def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:  # noqa: A002
    """The indices that sort `input` along `dim`."""
    return sort(input, dim, descending, stable).indices


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> ReturnType:  # noqa: A002
    """The `k` largest (or smallest) elements along `dim` and their indices."""
    x = input._array
    axis = _dims(dim, x.ndim)[0] if x.ndim else 0
    n = x.shape[axis] if x.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    if x.ndim == 0:
        return TopkResult(Tensor._make(x.copy(), (input,), lambda g: (g,), "Topk"),
                          Tensor._wrap(np.zeros((), np.int64)))
    idx = np.take(_argsort(x, axis, largest), np.arange(k), axis=axis)
    values = np.take_along_axis(x, idx, axis=axis)
    out = Tensor._make(values, (input,), _select_grad(x.shape, idx, axis), "Topk")
    return TopkResult(out, Tensor._wrap(idx.astype(np.int64)))


# ----- scans -----------------------------------------------------------------------------------


def _scan_input(input: Tensor, dtype: Any) -> Tensor:  # noqa: A002
    if dtype is not None:
        return ops.cast(input, as_dtype(dtype))
    if input._array.dtype.kind in "biu":
        return ops.cast(input, np.dtype(np.int64))
    return input


def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """Running sums along `dim`; backward is the reversed running sum of the gradient."""
    a = _scan_input(input, dtype)
    if a._array.ndim == 0:
        return Tensor._make(a._array.copy(), (a,), lambda g: (g,), "Cumsum")
    (axis,) = _dims(dim, a.ndim)
    out = np.cumsum(a._array, axis=axis)

    def backward(g: np.ndarray):
        return (np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis),)

    res = Tensor._make(out, (a,), backward, "Cumsum")
    res._ctx = axis  # for `higher_order`
    return res


def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """Running products along `dim`; the gradient is exact with zeros in the input too."""
    a = _scan_input(input, dtype)
    if a._array.ndim == 0:
        return Tensor._make(a._array.copy(), (a,), lambda g: (g,), "Cumprod")
    (axis,) = _dims(dim, a.ndim)
    x = a._array
    out = np.cumprod(x, axis=axis)

    def backward(g: np.ndarray):
        if np.all(x != 0):
            return (np.flip(np.cumsum(np.flip(g * out, axis), axis=axis), axis) / x,)
        xm = np.moveaxis(x, axis, -1)
        gm = np.moveaxis(g, axis, -1)
        n = xm.shape[-1]
        grad = np.empty(xm.shape, dtype=g.dtype)
        for i in range(n):  # d out_j / d x_i = prod_{k <= j, k != i} x_k for j >= i
            ones = xm.copy()
            ones[..., i] = 1
            grad[..., i] = np.sum((gm * np.cumprod(ones, axis=-1))[..., i:], axis=-1)
        return (np.moveaxis(grad, -1, axis),)

    res = Tensor._make(out, (a,), backward, "Cumprod")
    res._ctx = axis  # for `higher_order`
    return res


# ----- einsum ----------------------------------------------------------------------------------


def _einsum_parse(equation: str, shapes: list[tuple[int, ...]]) -> tuple[list[str], str]:
    """Subscripts per operand and for the output, with `...` replaced by letters the equation does not use."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation"
                           if len(shapes) > len(inputs) else "einsum(): fewer operands were provided than specified "
                           "in the equation")
    free = [c for c in string.ascii_letters if c not in eq]
    n_ell = builtins.max((len(shape) - (len(s) - 3) for s, shape in zip(inputs, shapes) if "..." in s), default=0)
    ell = "".join(free[:n_ell])
    subs = []
    for s, shape in zip(inputs, shapes):
        if "..." in s:
            k = len(shape) - (len(s) - 3)
            s = s.replace("...", ell[n_ell - k:] if k else "")
        if len(s) != len(shape):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(s)}) does not match the "
                               f"number of dimensions ({len(shape)}) for operand")
        subs.append(s)
    if arrow:
        out = rhs.replace("...", ell)
    else:
        counts = "".join(subs)
        out = ell + "".join(sorted(c for c in set(counts) if counts.count(c) == 1 and c not in ell))
    return subs, out


def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation (numpy.einsum), differentiable in every operand (diagonals and broadcasting too)."""
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    ts = list(operands)
    dt = np.result_type(*(t._array.dtype for t in ts))
    ts = [t if t._array.dtype == dt else ops.cast(t, dt) for t in ts]
    subs, out_subs = _einsum_parse(equation, [t._array.shape for t in ts])
    sizes: dict[str, int] = {}
    for s, t in zip(subs, ts):
        for c, n in zip(s, t._array.shape):
            if sizes.get(c, 1) == 1:
                sizes[c] = n
            elif n not in (1, sizes[c]):
                raise RuntimeError(f"einsum(): operands do not broadcast with remapped shapes (subscript {c})")
    full = [np.broadcast_to(t._array, tuple(sizes[c] for c in s)) for s, t in zip(subs, ts)]
    spec = ",".join(subs) + "->" + out_subs
    out = np.einsum(spec, *full, optimize=len(full) > 2)

    def grad_of(i: int, g: np.ndarray) -> np.ndarray:
        s = subs[i]
        uniq = "".join(dict.fromkeys(s))
        others = [subs[j] for j in range(len(subs)) if j != i]
        have = set(out_subs).union(*others) if others else set(out_subs)
        reach = "".join(c for c in uniq if c in have)
        r = np.einsum(",".join([out_subs, *others]) + "->" + reach, g, *[full[j] for j in range(len(full)) if j != i],
                      optimize=len(full) > 2)
        r = np.broadcast_to(r.reshape([sizes[c] if c in reach else 1 for c in uniq]), [sizes[c] for c in uniq])
        if len(uniq) != len(s):  # repeated subscripts: the gradient lies on the diagonal
            grad = np.zeros([sizes[c] for c in s], g.dtype)
            grid = np.indices(r.shape, sparse=True)
            grad[tuple(grid[uniq.index(c)] for c in s)] = r
            r = grad
        return r

    def backward(g: np.ndarray):
        return tuple(grad_of(i, g) if t.requires_grad else None for i, t in enumerate(ts))

    res = Tensor._make(np.asarray(out), tuple(ts), backward, "Einsum")
    res._ctx = (subs, out_subs, sizes)  # for `higher_order`
    return res


# ----- splitting -------------------------------------------------------------------------------


def _narrow(a: Tensor, axis: int, start: int, length: int, op: str) -> Tensor:
    sl = (slice(None),) * axis + (slice(start, start + length),)
    shape, dtype = a._array.shape, a._array.dtype

    def backward(g: np.ndarray):
        grad = np.zeros(shape, dtype)
        grad[sl] = g
        return (grad,)

    return Tensor._make(a._array[sl], (a,), backward, op)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:  # noqa: A002
    """The slice start:start+length along `dim`."""
    (axis,) = _dims(dim, input.ndim)
    n = input._array.shape[axis]
    start = start % n if start < 0 else start
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return _narrow(input, axis, start, length, "Slice")


def split(tensor: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces of `split_size_or_sections` along `dim` (the last may be smaller), or of the listed sizes."""
    (axis,) = _dims(dim, tensor.ndim)
    n = tensor._array.shape[axis]
    if isinstance(split_size_or_sections, int | np.integer):
        size = int(split_size_or_sections)
        if size <= 0 and n:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
        sizes = [builtins.min(size, n - s) for s in range(0, n, size)] if size else [0]
        op = "Split"
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if builtins.sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                               f"dimension {axis}), but got split_sizes={sizes}")
        op = "SplitWithSizes"
    starts = np.cumsum([0, *sizes[:-1]])
    return tuple(_narrow(tensor, axis, int(s), n_, op) for s, n_ in zip(starts, sizes))


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    """At most `chunks` pieces of ceil(size / chunks) along `dim`."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    (axis,) = _dims(dim, input.ndim)
    n = input._array.shape[axis]
    return split(input, builtins.max(math.ceil(n / chunks), 1) if n else 1, dim)


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    """The slices along `dim`, that dimension removed."""
    (axis,) = _dims(dim, input.ndim)
    shape, dtype = input._array.shape, input._array.dtype

    def piece(i: int) -> Tensor:
        def backward(g: np.ndarray):
            grad = np.zeros(shape, dtype)
            grad[(slice(None),) * axis + (i,)] = g
            return (grad,)

        return Tensor._make(np.take(input._array, i, axis=axis), (input,), backward, "Unbind")

    return tuple(piece(i) for i in range(shape[axis]))


# ----- softmax ---------------------------------------------------------------------------------


def log_softmax_array(x: np.ndarray, axis: int | None) -> np.ndarray:
    """log(softmax(x)) along `axis`, stable for any magnitude of finite inputs (the one copy of the rule)."""
    if x.ndim == 0:
        return x - x
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    z = x - m
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def _softmax_input(input: Tensor, dim: int, dtype: Any) -> tuple[Tensor, int | None]:  # noqa: A002
    a = ops.cast(input, as_dtype(dtype)) if dtype is not None else input
    if a._array.dtype.kind != "f":
        raise RuntimeError(f'"softmax_lastdim_kernel_impl" not implemented for {a._array.dtype}')
    return a, (_dims(dim, a.ndim)[0] if a.ndim else None)


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:  # noqa: A002
    """exp(x) / sum(exp(x)) along `dim`."""
    a, axis = _softmax_input(input, dim, dtype)
    s = np.exp(log_softmax_array(a._array, axis))
    res = Tensor._make(s, (a,), lambda g: (s * (g - np.sum(g * s, axis=axis, keepdims=True)),), "Softmax")
    res._ctx = (axis,)  # for `higher_order`
    return res


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:  # noqa: A002
    """x - logsumexp(x) along `dim`."""
    a, axis = _softmax_input(input, dim, dtype)
    out = log_softmax_array(a._array, axis)
    res = Tensor._make(out, (a,), lambda g: (g - np.exp(out) * np.sum(g, axis=axis, keepdims=True),), "LogSoftmax")
    res._ctx = (axis,)  # for `higher_order`
    return res


# ----- reshaping and rearranging ---------------------------------------------------------------


def t(input: Tensor) -> Tensor:  # noqa: A002
    """The transpose of a tensor of at most 2 dimensions."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    if input.ndim < 2:
        return input
    return Tensor._make(input._array.T, (input,), lambda g: (g.T,), "T")


def view_as(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return ops.reshape(input, other.shape)


def reshape_as(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return ops.reshape(input, other.shape)


def expand_as(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return ops.expand(input, other.shape)


def repeat(input: Tensor, *sizes: Any) -> Tensor:  # noqa: A002
    """Tile the tensor `sizes` times along each dimension (new leading dimensions too)."""
    reps = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], list | tuple) else tuple(sizes)
    if len(reps) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of "
                           "tensor")
    shape = (1,) * (len(reps) - input.ndim) + input._array.shape
    out = np.tile(input._array.reshape(shape), reps)
    old = input._array.shape

    def backward(g: np.ndarray):
        split_shape = [v for r, n in zip(reps, shape) for v in (r, n)]
        return (g.reshape(split_shape).sum(axis=tuple(range(0, 2 * len(reps), 2))).reshape(old),)

    res = Tensor._make(out, (input,), backward, "Repeat")
    res._ctx = lambda v: np.tile(v.reshape(shape), reps)  # the forward map, for `higher_order`
    return res


def flip(input: Tensor, dims: Any) -> Tensor:  # noqa: A002
    """Reverse the order along `dims`."""
    axes = _dims(dims, input.ndim)
    return Tensor._make(np.flip(input._array, axes).copy(), (input,), lambda g: (np.flip(g, axes),), "Flip")


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:  # noqa: A002
    """Shift elements circularly along `dims` (the flattened tensor without dims)."""
    if dims is None:
        shape = input._array.shape
        out = np.roll(input._array.reshape(-1), shifts).reshape(shape)
        return Tensor._make(out, (input,), lambda g: (np.roll(g.reshape(-1), -shifts).reshape(shape),), "Roll")
    axes = _dims(dims, input.ndim)
    sh = (shifts,) if isinstance(shifts, int | np.integer) else tuple(shifts)
    if len(sh) != len(axes):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:{len(axes)}")
    neg = tuple(-s for s in sh)
    return Tensor._make(np.roll(input._array, sh, axes), (input,), lambda g: (np.roll(g, neg, axes),), "Roll")


def tril(input: Tensor, diagonal: int = 0) -> Tensor:  # noqa: A002
    """Zero above the `diagonal`-th diagonal of the last two dimensions."""
    return _triangle(input, diagonal, np.tril, "Tril")


def triu(input: Tensor, diagonal: int = 0) -> Tensor:  # noqa: A002
    """Zero below the `diagonal`-th diagonal of the last two dimensions."""
    return _triangle(input, diagonal, np.triu, "Triu")


def _triangle(input: Tensor, diagonal: int, fn, op: str) -> Tensor:  # noqa: A002
    if input.ndim < 2:
        raise RuntimeError(f"{op.lower()}: input tensor must have at least 2 dimensions")
    return Tensor._make(fn(input._array, diagonal), (input,), lambda g: (fn(g, diagonal),), op)


# PyTorch accepts numpy's `axis=` / `keepdims=` wherever a function takes `dim` / `keepdim`
any, all, cumsum, cumprod, softmax, log_softmax, sort, argsort, topk = (  # noqa: A001
    numpy_names(f) for f in (any, all, cumsum, cumprod, softmax, log_softmax, sort, argsort, topk))


# ----- Tensor methods --------------------------------------------------------------------------

_METHODS = {
    "mm": mm, "bmm": bmm, "mv": mv, "dot": dot, "outer": outer, "round": round, "sign": sign,
    "clamp_min": clamp_min, "clamp_max": clamp_max, "square": square, "any": any, "all": all,
    "gather": gather, "scatter": scatter, "scatter_add": scatter_add, "masked_fill": masked_fill,
    "sort": sort, "argsort": argsort, "topk": topk, "cumsum": cumsum, "cumprod": cumprod,
    "narrow": narrow, "split": split, "chunk": chunk, "unbind": unbind, "softmax": softmax, "log_softmax": log_softmax,
    "t": t, "view_as": view_as, "reshape_as": reshape_as, "expand_as": expand_as, "repeat": repeat, "flip": flip,
    "roll": roll, "tril": tril, "triu": triu,
}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)


def _inplace_method(fn, reads_self: bool):
    """`tensor.<op>_(...)`: the op's result written into the tensor, recorded under PyTorch's in-place rules."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return self._inplace(lambda s, *a: fn(s, *a, **kwargs), args, reads_self)

    method.__name__ = method.__qualname__ = fn.__name__ + "_"
    method.__doc__ = f"In-place `{fn.__name__}`."
    return method


_INPLACE_METHODS = {  # op: whether its backward reads its input (so the old value must be kept)
    round: False, sign: False, clamp_min: True, clamp_max: True, square: True, scatter: False,
    scatter_add: False, cumsum: False, tril: False, triu: False,
}
for _fn, _reads in _INPLACE_METHODS.items():
    setattr(Tensor, _fn.__name__ + "_", _inplace_method(_fn, _reads))


def _addmm_method(self: Tensor, mat1: Tensor, mat2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
    return addmm(self, mat1, mat2, beta=beta, alpha=alpha)


Tensor.addmm = _addmm_method
