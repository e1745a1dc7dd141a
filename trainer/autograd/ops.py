"""Differentiable operations. Each forward sits beside its backward rule (micrograd style).

A backward rule receives the output gradient and returns one gradient per parent, of the
parent's broadcast shape or its exact shape; `Tensor` sums broadcast gradients back
(`unbroadcast`), so rules never think about broadcasting.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .._lazy import _attribute
from . import kernels
from .aliases import numpy_names
from .broadcast_check import broadcast_error, broadcast_shape
from .dtypes import as_dtype, get_default_dtype
from .plain import dot as _dot
from .plain import grad_where
from .return_types import ReturnType, return_type
from .tensor import Tensor, _index_of

Dim = int | Sequence[int] | None

# ----- operands and type promotion -------------------------------------------------------------


def _as_tensor(x: Any, like: Tensor) -> Tensor:
    """A Python scalar or array as a tensor, with PyTorch's promotion rules for scalars."""
    if isinstance(x, Tensor):
        return x
    kind = like._array.dtype.kind
    if isinstance(x, bool | int | float | np.number | np.bool_):
        if kind == "f":
            return Tensor._wrap(np.asarray(x, dtype=like._array.dtype))
        if isinstance(x, float | np.floating):
            return Tensor._wrap(np.asarray(x, dtype=get_default_dtype()))
        return Tensor._wrap(np.asarray(x, dtype=like._array.dtype if kind in "iu" else np.int64))
    arr = np.asarray(x)
    if arr.dtype.kind == "f" and kind == "f":
        arr = arr.astype(like._array.dtype, copy=False) if arr.dtype.itemsize > like._array.dtype.itemsize else arr
    return Tensor._wrap(arr)


def _pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Both operands as tensors; an integer tensor meeting a float tensor takes the float dtype."""
    if not isinstance(a, Tensor):
        a = _as_tensor(a, b)
    elif not isinstance(b, Tensor):
        b = _as_tensor(b, a)
    da, db = a._array.dtype, b._array.dtype
    if da == db:
        return a, b
    ka, kb = da.kind, db.kind
    if ka == "f" and kb != "f":
        b = Tensor._wrap(b._array.astype(da))
    elif kb == "f" and ka != "f":
        a = Tensor._wrap(a._array.astype(db))
    elif ka == kb == "f" and (a._array.ndim == 0) != (b._array.ndim == 0):
        # PyTorch: a 0-dim tensor does not widen a dimensioned one of the same category
        if a._array.ndim == 0:
            a = Tensor._wrap(a._array.astype(db))
        else:
            b = Tensor._wrap(b._array.astype(da))
    return a, b


def _floating(a: Tensor) -> Tensor:
    """Integer and bool inputs of float-valued functions become the default float dtype, as in PyTorch."""
    if a._array.dtype.kind == "f":
        return a
    return Tensor._wrap(a._array.astype(get_default_dtype()))


def _dims(dim: Dim, ndim: int) -> tuple[int, ...] | None:
    if dim is None:
        return None
    if isinstance(dim, int | np.integer):
        dim = (int(dim),)
    out = []
    for d in dim:
        if not -ndim <= d < builtins.max(ndim, 1):
            raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {d})")
        out.append(d % builtins.max(ndim, 1))
    return tuple(out)


# ----- arithmetic ------------------------------------------------------------------------------


def _broadcast_pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """`_pair`, and PyTorch's RuntimeError when the shapes do not broadcast (for the op families, whose ops compute
    with numpy directly): one tuple comparison when the shapes agree."""
    a, b = _pair(a, b)
    if a._array.shape != b._array.shape:
        broadcast_shape(a._array.shape, b._array.shape)
    return a, b


def _unbroadcastable(*operands: Tensor) -> Exception:
    """PyTorch's RuntimeError when the operands' shapes do not broadcast (numpy's ValueError otherwise: re-raised)."""
    error = broadcast_error(*(t._array.shape for t in operands))
    if error is None:
        raise  # noqa: PLE0704 - numpy's own ValueError, which was not about broadcasting
    return error


def add(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    try:
        out = a._array + b._array
    except ValueError:
        raise _unbroadcastable(a, b) from None
    return Tensor._make(out, (a, b), lambda g: (g, g), "Add")


def sub(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    try:
        out = a._array - b._array
    except ValueError:
        raise _unbroadcastable(a, b) from None
    return Tensor._make(out, (a, b), lambda g: (g, -g), "Sub")


def mul(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)

    def backward(g: np.ndarray):
        return (g * b._array if a.requires_grad else None, g * a._array if b.requires_grad else None)

    try:
        out = a._array * b._array
    except ValueError:
        raise _unbroadcastable(a, b) from None
    return Tensor._make(out, (a, b), backward, "Mul")


def div(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    if a._array.dtype.kind != "f":
        a = Tensor._wrap(a._array.astype(get_default_dtype()))
        b = Tensor._wrap(b._array.astype(get_default_dtype()))
    try:
        out = a._array / b._array
    except ValueError:
        raise _unbroadcastable(a, b) from None

    def backward(g: np.ndarray):
        ga = g / b._array if a.requires_grad else None
        gb = -g * (a._array / b._array) / b._array if b.requires_grad else None  # not `out`: it may change
        return ga, gb

    return Tensor._make(out, (a, b), backward, "Div")


def neg(a: Tensor) -> Tensor:
    return Tensor._make(-a._array, (a,), lambda g: (-g,), "Neg")


def pow(a: Any, b: Any) -> Tensor:  # noqa: A001 - PyTorch's name
    if isinstance(a, Tensor) and not isinstance(b, Tensor) and np.ndim(b) == 0:
        return _pow_scalar_exponent(a, b)
    a, b = _pair(a, b)
    try:
        out = a._array**b._array
    except ValueError:
        raise _unbroadcastable(a, b) from None

    def backward(g: np.ndarray):
        ga = gb = None
        if a.requires_grad:
            ga = np.where(b._array == 0, 0.0, g * b._array * a._array ** (b._array - 1)).astype(out.dtype, copy=False)
        if b.requires_grad:
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = g * a._array**b._array * np.log(a._array)  # not `out`, which in-place ops may change
            gb = np.where((a._array == 0) & (b._array >= 0), 0.0, gb).astype(out.dtype, copy=False)
        return ga, gb

    return Tensor._make(out, (a, b), backward, "Pow1")


def _pow_scalar_exponent(a: Tensor, p: float) -> Tensor:
    if a._array.dtype.kind != "f" and isinstance(p, float):
        a = Tensor._wrap(a._array.astype(get_default_dtype()))
    if p == 2:
        out = a._array * a._array
        res = Tensor._make(out, (a,), lambda g: (g * 2 * a._array,), "Pow")
        res._ctx = p  # the exponent, for `higher_order`
        return res
    out = a._array**p

    def backward(g: np.ndarray):
        if p == 0:
            return (np.zeros_like(g),)
        return (g * p * a._array ** (p - 1),)

    res = Tensor._make(out, (a,), backward, "Pow")
    res._ctx = p
    return res


def _reverse(fn):
    return lambda a, b: fn(b, a)


def _matmul_shapes_error(a: Tensor, b: Tensor) -> RuntimeError:
    """PyTorch's error for operands `torch.matmul` cannot multiply, by the case it dispatches to."""
    x, y = a._array.shape, b._array.shape
    if len(x) == 1 and len(y) == 1:
        return RuntimeError(f"inconsistent tensor size, expected tensor [{x[0]}] and src [{y[0]}] to have the same "
                            f"number of elements, but got {x[0]} and {y[0]} elements respectively")
    if len(y) == 1:  # a matrix (rows folded) times a vector
        rows = int(np.prod(x[:-1]))
        return RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{x[-1]}), vec ({y[0]})")
    if len(y) == 2:  # rows of `a` (a vector is one) times a matrix
        rows = int(np.prod(x[:-1])) if len(x) > 1 else 1
        return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x[-1]} and {y[0]}x{y[1]})")
    lead_a, lead_b = x[:-2], y[:-2]
    for dim in range(-1, -builtins.min(len(lead_a), len(lead_b)) - 1, -1):
        if lead_a[dim] != lead_b[dim] and 1 not in (lead_a[dim], lead_b[dim]):
            return RuntimeError(f"The size of tensor a ({lead_a[dim]}) must match the size of tensor b "
                                f"({lead_b[dim]}) at non-singleton dimension "
                                f"{builtins.max(len(lead_a), len(lead_b)) + dim}")
    batch = int(np.prod(np.broadcast_shapes(lead_a, lead_b)))
    return RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {x[-1]}] but got: "
                        f"[{batch}, {y[-2]}].")


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product for 1-D, 2-D and batched operands, like `torch.matmul`."""
    a, b = _pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    flat = a._array.ndim == 2 and b._array.ndim == 2  # np.dot: the same BLAS call as @, less dispatch
    try:
        out = _dot(a._array, b._array) if flat else a._array @ b._array
    except ValueError:
        raise _matmul_shapes_error(a, b) from None
    except TypeError:
        if a._array.__class__ is np.ndarray and b._array.__class__ is np.ndarray:
            raise
        return a @ b  # a sparse operand (autograd/sparse.py): its own product, through the operators
    a_vec, b_vec = a.ndim == 1, b.ndim == 1

    def backward(g: np.ndarray):
        if flat:
            return (_dot(g, b._array.T) if a.requires_grad else None,
                    _dot(a._array.T, g) if b.requires_grad else None)
        if a_vec and b_vec:
            return g * b._array, g * a._array
        A = a._array[None, :] if a_vec else a._array
        B = b._array[:, None] if b_vec else b._array
        G = g
        if a_vec:
            G = np.expand_dims(G, -2)
        if b_vec:
            G = np.expand_dims(G, -1)
        ga = gb = None
        if a.requires_grad:
            ga = G @ np.swapaxes(B, -1, -2)
            if a_vec:
                ga = ga[..., 0, :]
        if b.requires_grad:
            gb = np.swapaxes(A, -1, -2) @ G
            if b_vec:
                gb = gb[..., 0]
        return ga, gb

    op = ("Mm" if flat else "Dot" if a_vec and b_vec else "Mv" if b_vec and a.ndim == 2
          else "VecMat" if a_vec and b.ndim == 2 else "MatMul")
    return Tensor._make(out, (a, b), backward, op)


# ----- elementwise functions -------------------------------------------------------------------


def abs(a: Tensor) -> Tensor:  # noqa: A001 - PyTorch's name
    return Tensor._make(np.abs(a._array), (a,), lambda g: (g * np.sign(a._array),), "Abs")


def exp(a: Tensor) -> Tensor:
    a = _floating(a)
    out = np.exp(a._array)
    return Tensor._make(out, (a,), lambda g: (g * out,), "Exp")


def log(a: Tensor) -> Tensor:
    a = _floating(a)
    return Tensor._make(np.log(a._array), (a,), lambda g: (g / a._array,), "Log")


def log1p(a: Tensor) -> Tensor:
    a = _floating(a)
    return Tensor._make(np.log1p(a._array), (a,), lambda g: (g / (1 + a._array),), "Log1p")


def sqrt(a: Tensor) -> Tensor:
    a = _floating(a)
    out = np.sqrt(a._array)
    return Tensor._make(out, (a,), lambda g: (g / (2 * out),), "Sqrt")


def sin(a: Tensor) -> Tensor:
    a = _floating(a)
    return Tensor._make(np.sin(a._array), (a,), lambda g: (g * np.cos(a._array),), "Sin")


def cos(a: Tensor) -> Tensor:
    a = _floating(a)
    return Tensor._make(np.cos(a._array), (a,), lambda g: (-g * np.sin(a._array),), "Cos")


def tanh(a: Tensor) -> Tensor:
    a = _floating(a)
    out = np.tanh(a._array)
    return Tensor._make(out, (a,), lambda g: (g * (1 - out * out),), "Tanh")


def sigmoid(a: Tensor) -> Tensor:
    a = _floating(a)
    x = a._array
    e = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
    return Tensor._make(out, (a,), lambda g: (g * out * (1 - out),), "Sigmoid")


def _zero(dtype: np.dtype) -> np.ndarray:
    """A read-only 0-d zero of `dtype`: as a ufunc operand it spares numpy converting a Python 0 per call."""
    zero = _ZEROS.get(dtype)
    if zero is None:
        zero = _ZEROS[dtype] = np.zeros((), dtype)
        zero.flags.writeable = False
    return zero


_ZEROS: dict[np.dtype, np.ndarray] = {}


def relu(a: Tensor) -> Tensor:
    x = a._array
    dt = x.dtype
    zero = _ZEROS.get(dt)
    if zero is None:
        zero = _zero(dt)
    if x.size < _NUMPY_BELOW[0]:  # what `kernels.relu` and `kernels.relu_backward` would do, two calls fewer
        out = np.maximum(x, zero)
        return Tensor._make(out, (a,), lambda g: (grad_where(out != zero, g),), "Relu")  # see kernels.relu_backward
    out = kernels.relu(x, zero)  # np.maximum(a, zero), multi-threaded for large arrays
    return Tensor._make(out, (a,), lambda g: (kernels.relu_backward(g, out, zero),), "Relu")


_NUMPY_BELOW = kernels.NUMPY_BELOW


def relu_(a: Tensor) -> Tensor:
    """`torch.relu_`: relu written into `a`."""
    return a.relu_()


def clamp(a: Tensor, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A002
    """Clip to [min, max]; the gradient passes where min <= x <= max, as in PyTorch."""
    if min is None and max is None:
        raise ValueError("clamp: at least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):  # tensor bounds: differentiable in the bounds too
        return clamp_bounded(a, min, max, "Clamp0")
    if a._array.dtype.kind != "f" and any(isinstance(v, float) for v in (min, max)):
        a = _floating(a)
    x = a._array
    out = np.clip(x, min, max)

    def masks() -> list[np.ndarray]:
        keep = np.ones(x.shape, dtype=bool)
        if min is not None:
            keep &= x >= min
        if max is not None:
            keep &= x <= max
        return [keep]

    res = Tensor._make(out, (a,), lambda g: (grad_where(masks()[0], g),), "Clamp")
    res._ctx = masks  # for `higher_order`: where the gradient passes, per parent
    return res


def clamp_bounded(a: Tensor, lo: Any, hi: Any, op: str) -> Tensor:
    """`clamp` with tensor bounds as one node with PyTorch's gradients: x gets g where lo <= x <= hi (ties
    included), lo where it cut x off (x < lo, and lo < hi when both are given), hi where x > hi or hi < lo."""
    bounds = [(None if b is None else _pair(a, b)[1]) for b in (lo, hi)]
    x = a._array
    lo_a, hi_a = (None if b is None else b._array for b in bounds)
    out = x if lo_a is None else np.maximum(x, lo_a)
    out = out if hi_a is None else np.minimum(out, hi_a)
    parents = (a, *(b for b in bounds if b is not None))

    def masks() -> list[np.ndarray]:
        keep = np.ones(np.broadcast_shapes(*(p._array.shape for p in parents)), dtype=bool)
        if lo_a is not None:
            keep &= x >= lo_a
        if hi_a is not None:
            keep &= x <= hi_a
        out_masks = [keep]
        if lo_a is not None:
            out_masks.append((x < lo_a) & (lo_a < hi_a) if hi_a is not None else x < lo_a)
        if hi_a is not None:
            out_masks.append((x > hi_a) | (hi_a < lo_a) if lo_a is not None else x > hi_a)
        return out_masks

    def backward(g: np.ndarray):
        return tuple(grad_where(m, g) if p.requires_grad else None for m, p in zip(masks(), parents))

    res = Tensor._make(np.asarray(out), parents, backward, op)
    res._ctx = masks  # for `higher_order`: where the gradient passes, per parent
    return res


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum; ties share the gradient equally, as in PyTorch."""
    return _extremum(a, b, np.maximum, "Maximum")


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise minimum; ties share the gradient equally, as in PyTorch."""
    return _extremum(a, b, np.minimum, "Minimum")


def _extremum(a: Any, b: Any, fn, name: str) -> Tensor:
    a, b = _pair(a, b)
    try:
        out = fn(a._array, b._array)
    except ValueError:
        raise _unbroadcastable(a, b) from None

    def weights(dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
        """The share of the gradient each operand gets (1 where it is the extremum, 1/2 on ties, else 0)."""
        wa = (a._array == out).astype(dtype)
        wb = (b._array == out).astype(dtype)
        tie = wa * wb
        wa -= tie / 2
        wb -= tie / 2
        return wa, wb

    def backward(g: np.ndarray):
        wa, wb = weights(g.dtype)
        return g * wa, g * wb

    res = Tensor._make(out, (a, b), backward, name)
    res._ctx = weights  # for `higher_order`
    return res


def cast(a: Tensor, dtype: np.dtype) -> Tensor:
    """Change dtype; gradients flow back in the source dtype."""
    if a._array.dtype == dtype:
        return a
    src = a._array.dtype
    out = a._array.astype(dtype)
    if dtype.kind != "f":
        return Tensor._wrap(out)
    return Tensor._make(out, (a,), lambda g: (g.astype(src),), "ToCopy")


def clone(a: Tensor) -> Tensor:
    return Tensor._make(a._array.copy(), (a,), lambda g: (g,), "Clone")


# ----- reductions ------------------------------------------------------------------------------


def _expand_to(g: np.ndarray, shape: tuple[int, ...], axes: tuple[int, ...] | None, keepdim: bool) -> np.ndarray:
    """Broadcast a reduction's output gradient back over the reduced axes."""
    if g.size == 1:  # full reductions: filling a fresh array is cheaper than a broadcast view
        out = np.empty(shape, dtype=g.dtype)
        out.fill(g.reshape(()))
        return out
    if axes is not None and not keepdim:
        g = g.reshape(tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return np.broadcast_to(g, shape)


def sum(a: Tensor, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A001
    if dtype is not None:
        a = cast(a, as_dtype(dtype))
    axes = _dims(dim, a.ndim)
    out = np.sum(a._array, axis=axes, keepdims=keepdim)
    if a._array.dtype.kind in "b":
        out = out.astype(np.int64)
    shape = a._array.shape
    res = Tensor._make(np.asarray(out), (a,), lambda g: (_expand_to(g, shape, axes, keepdim),),
                       "Sum" if axes is None else "Sum1")
    res._ctx = (axes, keepdim)  # for `higher_order`
    return res


def mean(a: Tensor, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    if dtype is not None:
        a = cast(a, as_dtype(dtype))
    if a._array.dtype.kind != "f":
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be floating point, got {a.dtype}")
    axes = _dims(dim, a.ndim)
    out = np.mean(a._array, axis=axes, keepdims=keepdim)
    n = a._array.size if axes is None else int(np.prod([a._array.shape[i] for i in axes]))
    shape = a._array.shape
    res = Tensor._make(np.asarray(out), (a,), lambda g: (_expand_to(g / n, shape, axes, keepdim),),
                       "Mean" if axes is None else "Mean1")
    res._ctx = (axes, keepdim)  # for `higher_order`
    return res


def var(
    a: Tensor, dim: Dim = None, unbiased: bool | None = None, keepdim: bool = False, *, correction: float | None = None
) -> Tensor:
    """Variance with Bessel's correction by default (`correction=1`), like `torch.var`."""
    if a._array.dtype.kind != "f":
        raise RuntimeError(f"std and var only support floating point dtypes, got {a.dtype}")
    if correction is None:
        correction = 0 if unbiased is False else 1
    axes = _dims(dim, a.ndim)
    n = a._array.size if axes is None else int(np.prod([a._array.shape[i] for i in axes]))
    centred = a._array - np.mean(a._array, axis=axes, keepdims=True)
    denom = n - correction
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.sum(centred * centred, axis=axes, keepdims=keepdim) / denom
    shape = a._array.shape

    def backward(g: np.ndarray):
        return (_expand_to(g, shape, axes, keepdim) * centred * (2 / denom),)

    res = Tensor._make(np.asarray(out, dtype=a._array.dtype), (a,), backward, "Var")
    res._ctx = (axes, keepdim, denom, False)  # for `higher_order`
    return res


def std(a: Tensor, dim: Dim = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Tensor:
    """Standard deviation; where it is 0 the gradient is 0 (not NaN), as in PyTorch."""
    v = var(a, dim, unbiased, keepdim, correction=correction)
    out = np.sqrt(v._array)

    def backward(g: np.ndarray):
        with np.errstate(divide="ignore", invalid="ignore"):
            return (np.where(out == 0, 0, g / (2 * out)).astype(out.dtype, copy=False),)

    return Tensor._make(out, (v,), backward, "Std")


MaxMin = ReturnType  # `(values, indices)` as returned by `max(dim)` / `min(dim)`
_RESULTS = {"Max": return_type("max"), "Min": return_type("min")}


def _full_extreme(a: Tensor, fn, name: str) -> Tensor:
    out = np.asarray(fn(a._array))

    def backward(g: np.ndarray):
        mask = a._array == out
        return (mask * (g / np.count_nonzero(mask)),)

    return Tensor._make(out, (a,), backward, name)


def _dim_extreme(a: Tensor, dim: int, keepdim: bool, arg_fn, name: str) -> MaxMin:
    (axis,) = _dims(dim, a.ndim)
    idx = np.expand_dims(arg_fn(a._array, axis=axis), axis)
    values = np.take_along_axis(a._array, idx, axis=axis)
    if not keepdim:
        values = np.squeeze(values, axis)
    shape = a._array.shape

    def backward(g: np.ndarray):
        grad = np.zeros(shape, dtype=g.dtype)
        np.put_along_axis(grad, idx, g if keepdim else np.expand_dims(g, axis), axis=axis)
        return (grad,)

    out = Tensor._make(values, (a,), backward, name)
    out._ctx = ((axis,), keepdim)  # for `higher_order`
    indices = idx if keepdim else np.squeeze(idx, axis)
    return _RESULTS[name](out, Tensor._wrap(indices.astype(np.int64)))


def max(a: Tensor, dim: Any = None, keepdim: bool = False):  # noqa: A001
    """`max()` of all elements, `max(dim)` -> (values, indices), or `max(other)` elementwise."""
    if isinstance(dim, Tensor):
        return maximum(a, dim)
    if dim is None:
        return _full_extreme(a, np.max, "Max1")
    return _dim_extreme(a, dim, keepdim, np.argmax, "Max")


def min(a: Tensor, dim: Any = None, keepdim: bool = False):  # noqa: A001
    """`min()` of all elements, `min(dim)` -> (values, indices), or `min(other)` elementwise."""
    if isinstance(dim, Tensor):
        return minimum(a, dim)
    if dim is None:
        return _full_extreme(a, np.min, "Min1")
    return _dim_extreme(a, dim, keepdim, np.argmin, "Min")


def amax(a: Tensor, dim: Dim = None, keepdim: bool = False) -> Tensor:
    """Maximum over `dim`; ties share the gradient equally (`torch.amax`)."""
    axes = _dims(dim, a.ndim)
    out = np.max(a._array, axis=axes, keepdims=True)
    shape = a._array.shape

    def backward(g: np.ndarray):
        mask = a._array == out
        g = _expand_to(g, shape, axes, keepdim) if axes is not None else np.broadcast_to(g, shape)
        return (g * mask / np.sum(mask, axis=axes, keepdims=True),)

    res = Tensor._make(out if keepdim else np.squeeze(out, axes), (a,), backward, "Amax")
    res._ctx = (axes, keepdim)  # for `higher_order`
    return res


def logsumexp(a: Tensor, dim: Dim, keepdim: bool = False) -> Tensor:
    """log(sum(exp(x))) over `dim`, computed stably."""
    a = _floating(a)
    axes = _dims(dim, a.ndim)
    m = np.max(a._array, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    e = np.exp(a._array - m)
    s = np.sum(e, axis=axes, keepdims=True)
    out_keep = np.log(s) + m
    shape = a._array.shape

    def backward(g: np.ndarray):
        return (_expand_to(g, shape, axes, keepdim) * (e / s),)

    out = out_keep if keepdim else np.squeeze(out_keep, axes)
    res = Tensor._make(out, (a,), backward, "LogSumExp")
    res._ctx = (axes, keepdim)  # for `higher_order`
    return res


def argmax(a: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    if dim is None:
        return Tensor._wrap(np.asarray(np.argmax(a._array), dtype=np.int64))
    return Tensor._wrap(np.argmax(a._array, axis=dim, keepdims=keepdim).astype(np.int64))


def argmin(a: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    if dim is None:
        return Tensor._wrap(np.asarray(np.argmin(a._array), dtype=np.int64))
    return Tensor._wrap(np.argmin(a._array, axis=dim, keepdims=keepdim).astype(np.int64))


# ----- shape -----------------------------------------------------------------------------------


def _shape_arg(shape: tuple) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        return tuple(shape[0])
    return tuple(shape)


def reshape(a: Tensor, *shape: Any) -> Tensor:
    new = _shape_arg(shape)
    old = a._array.shape
    try:
        out = a._array.reshape(new)
    except ValueError:
        raise RuntimeError(f"shape '{list(new)}' is invalid for input of size {a._array.size}") from None
    return Tensor._make(out, (a,), lambda g: (g.reshape(old),), "Reshape")


def flatten(a: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    if a.ndim == 0:
        return reshape(a, 1)
    s, e = start_dim % a.ndim, end_dim % a.ndim
    shape = a.shape[:s] + (int(np.prod(a.shape[s : e + 1])),) + a.shape[e + 1 :]
    return reshape(a, shape)


def transpose(a: Tensor, dim0: int, dim1: int) -> Tensor:
    out = np.swapaxes(a._array, dim0, dim1)
    return Tensor._make(out, (a,), lambda g: (np.swapaxes(g, dim0, dim1),), "Transpose")


def permute(a: Tensor, *dims: Any) -> Tensor:
    order = _shape_arg(dims)
    if sorted(d % a.ndim for d in order) != list(range(a.ndim)):
        raise ValueError(f"permute: {order} is not a permutation of the {a.ndim} dimensions")
    inverse = np.argsort([d % a.ndim for d in order])
    return Tensor._make(np.transpose(a._array, order), (a,), lambda g: (np.transpose(g, inverse),), "Permute")


def squeeze(a: Tensor, dim: Dim = None) -> Tensor:
    if dim is None:
        axes = tuple(i for i, n in enumerate(a.shape) if n == 1)
    else:
        axes = tuple(d for d in _dims(dim, a.ndim) if a.shape[d] == 1)
    old = a._array.shape
    return Tensor._make(np.squeeze(a._array, axes), (a,), lambda g: (g.reshape(old),),
                        "Squeeze0" if dim is None else "Squeeze")


def unsqueeze(a: Tensor, dim: int) -> Tensor:
    if not -a.ndim - 1 <= dim <= a.ndim:
        lo, hi = -a.ndim - 1, a.ndim
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    old = a._array.shape
    return Tensor._make(np.expand_dims(a._array, dim), (a,), lambda g: (g.reshape(old),), "Unsqueeze")


def expand(a: Tensor, *sizes: Any) -> Tensor:
    sizes = _shape_arg(sizes)
    lead = len(sizes) - a.ndim
    if lead < 0:
        raise ValueError(f"expand: the number of sizes ({len(sizes)}) is less than the tensor's dimensions ({a.ndim})")
    target = tuple(a.shape[i - lead] if s == -1 else s for i, s in enumerate(sizes))
    try:
        out = np.broadcast_to(a._array, target)
    except ValueError:
        raise ValueError(f"expand: shape {a.shape} cannot be expanded to {target}") from None
    return Tensor._make(out, (a,), lambda g: (g,), "Expand")


def _is_basic_index(index: Any) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, int | slice | np.integer) or i is None or i is Ellipsis for i in items)


def getitem(a: Tensor, index: Any) -> Tensor:
    """Basic and integer-array indexing; repeated indices accumulate their gradients."""
    idx = _index_of(index)
    if isinstance(idx, list):
        idx = np.asarray(idx)
    out = a._array[idx]
    shape, dtype = a._array.shape, a._array.dtype
    basic = _is_basic_index(idx)

    def backward(g: np.ndarray):
        grad = np.zeros(shape, dtype=dtype)
        if basic:
            grad[idx] = g
        else:
            np.add.at(grad, idx, g)
        return (grad,)

    op = _basic_index_op(idx, shape) if basic else "Index"
    res = Tensor._make(np.asarray(out), (a,), backward, op)
    res._ctx = idx  # for `higher_order`
    return res


def _basic_index_op(idx: Any, shape: tuple[int, ...]) -> str:
    """PyTorch's node for basic indexing: that of its last step (select, slice, unsqueeze), skipping whole-dimension
    slices and `...`; Alias when every step is skipped (`x[:]`)."""
    items = idx if isinstance(idx, tuple) else (idx,)
    consumed = builtins.sum(1 for i in items if i is not None and i is not Ellipsis)
    dim, op = 0, "Alias"
    for item in items:
        if item is Ellipsis:
            dim += len(shape) - consumed
        elif item is None:
            op = "Unsqueeze"
        elif isinstance(item, slice):
            if dim < len(shape) and item.indices(shape[dim]) != (0, shape[dim], 1):
                op = "Slice"
            dim += 1
        else:
            op, dim = "Select", dim + 1
    return op


def cat(tensors: Iterable[Tensor], dim: int = 0) -> Tensor:
    ts = list(tensors)
    if not ts:
        raise ValueError("cat: expected a non-empty list of Tensors")
    try:
        out = np.concatenate([t._array for t in ts], axis=dim)
    except ValueError as e:
        raise ValueError(f"cat: {e} (shapes {[t.shape for t in ts]})") from None
    splits = np.cumsum([t.shape[dim] for t in ts])[:-1]
    return Tensor._make(out, tuple(ts), lambda g: tuple(np.split(g, splits, axis=dim)), "Cat")


def stack(tensors: Iterable[Tensor], dim: int = 0) -> Tensor:
    ts = list(tensors)
    if not ts:
        raise ValueError("stack: expected a non-empty list of Tensors")
    for i, t in enumerate(ts):
        if t.shape != ts[0].shape:  # PyTorch's RuntimeError and message (a DataLoader's default_collate shows it)
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(ts[0].shape)} at entry 0 "
                               f"and {list(t.shape)} at entry {i}")
    out = np.stack([t._array for t in ts], axis=dim)
    n = len(ts)
    return Tensor._make(out, tuple(ts), lambda g: tuple(np.moveaxis(g, dim, 0)[i] for i in range(n)), "Stack")


def where(condition: Any, input: Any = None, other: Any = None) -> Any:  # noqa: A002 - PyTorch's names
    """Pick from `input` where `condition` holds, else from `other`; gradients go to the chosen side.

    With only `condition`, the indices where it holds, one int64 tensor per dimension (`nonzero`).
    """
    cond = condition._array if isinstance(condition, Tensor) else np.asarray(condition)
    cond = cond.astype(bool, copy=False)
    if input is None and other is None:
        return tuple(Tensor._wrap(i.astype(np.int64)) for i in np.nonzero(cond))
    if input is None or other is None:
        raise TypeError("where() takes a condition alone, or a condition, input and other")
    x, y = input, other
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        x = Tensor._wrap(np.asarray(x, dtype=get_default_dtype()))
    x, y = _pair(x, y)
    try:
        out = np.where(cond, x._array, y._array)
    except ValueError:
        raise _unbroadcastable(Tensor._wrap(cond), x, y) from None
    zero = np.zeros((), dtype=out.dtype)

    def backward(g: np.ndarray):
        return (np.where(cond, g, zero) if x.requires_grad else None,
                np.where(cond, zero, g) if y.requires_grad else None)

    res = Tensor._make(out, (x, y), backward, "Where")
    res._ctx = cond  # for `higher_order`
    return res


# ----- comparisons (no gradient) ---------------------------------------------------------------


def _compare(fn):
    def op(a: Any, b: Any) -> Tensor:
        a, b = _pair(a, b)
        try:
            return Tensor._wrap(fn(a._array, b._array))
        except ValueError:
            raise _unbroadcastable(a, b) from None

    return op


eq, ne, lt, le, gt, ge = (_compare(f) for f in (np.equal, np.not_equal, np.less, np.less_equal,
                                                  np.greater, np.greater_equal))


def _no_grad_binary(fn, name: str):
    def op(a: Any, b: Any) -> Tensor:
        a, b = _pair(a, b)
        try:
            return Tensor._wrap(np.asarray(fn(a._array, b._array)))
        except TypeError:
            raise TypeError(f"{name} is not supported for {a.dtype} and {b.dtype}") from None

    return op


floor_divide = _no_grad_binary(np.floor_divide, "floor_divide")


def remainder(a: Any, b: Any) -> Tensor:
    """`%`: the tensor_extras family's differentiable remainder (Python's sign, PyTorch's zeros), loaded on first
    use so the core stays light. The families load together (`extensions.load`, in their import order): importing
    tensor_extras alone first would leave it half-initialised when its own imports load the other families."""
    return _attribute("trainer.autograd", "extensions", "load")()["remainder"](a, b)


logical_and = _no_grad_binary(np.logical_and, "logical_and")
logical_or = _no_grad_binary(np.logical_or, "logical_or")
bitwise_and = _no_grad_binary(np.bitwise_and, "bitwise_and")
bitwise_or = _no_grad_binary(np.bitwise_or, "bitwise_or")
bitwise_xor = _no_grad_binary(np.bitwise_xor, "bitwise_xor")


def bitwise_not(a: Tensor) -> Tensor:
    """`~x`: logical not for bool tensors, bitwise not for integers."""
    if a._array.dtype.kind == "f":
        raise TypeError(f"bitwise_not is not supported for {a.dtype}")
    return Tensor._wrap(np.invert(a._array))


# PyTorch accepts numpy's `axis=` / `keepdims=` wherever a function takes `dim` / `keepdim`
sum, mean, var, std, max, min, amax, argmax, argmin, logsumexp = (  # noqa: A001
    numpy_names(f) for f in (sum, mean, var, std, max, min, amax, argmax, argmin, logsumexp))


# ----- Tensor methods and operators ------------------------------------------------------------

_METHODS = {
    "__add__": add, "__radd__": _reverse(add), "__sub__": sub, "__rsub__": _reverse(sub),
    "__mul__": mul, "__rmul__": _reverse(mul), "__truediv__": div, "__rtruediv__": _reverse(div),
    "__pow__": pow, "__rpow__": _reverse(pow), "__matmul__": matmul, "__rmatmul__": _reverse(matmul),
    "__neg__": neg, "__abs__": abs, "__getitem__": getitem,
    "__floordiv__": floor_divide, "__rfloordiv__": _reverse(floor_divide),
    "__mod__": remainder, "__rmod__": _reverse(remainder),
    "__and__": bitwise_and, "__or__": bitwise_or, "__xor__": bitwise_xor, "__invert__": bitwise_not,
    "__rand__": _reverse(bitwise_and), "__ror__": _reverse(bitwise_or),
    "__eq__": eq, "__ne__": ne, "__lt__": lt, "__le__": le, "__gt__": gt, "__ge__": ge,
    "add": add, "sub": sub, "mul": mul, "div": div, "pow": pow, "matmul": matmul, "neg": neg,
    "abs": abs, "exp": exp, "log": log, "log1p": log1p, "sqrt": sqrt, "sin": sin, "cos": cos, "tanh": tanh,
    "sigmoid": sigmoid, "relu": relu, "clamp": clamp, "clip": clamp, "maximum": maximum, "minimum": minimum,
    "sum": sum, "mean": mean, "var": var, "std": std, "max": max, "min": min, "amax": amax,
    "logsumexp": logsumexp, "argmax": argmax, "argmin": argmin,
    "reshape": reshape, "view": reshape, "flatten": flatten, "transpose": transpose, "permute": permute,
    "squeeze": squeeze, "unsqueeze": unsqueeze, "expand": expand,
    "eq": eq, "ne": ne, "lt": lt, "le": le, "gt": gt, "ge": ge,
}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
