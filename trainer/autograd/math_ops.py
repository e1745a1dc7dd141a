"""PyTorch's elementwise math beyond `ops`: predicates and logical ops, counting non-zeros, and the unary and
binary functions (reciprocals, exponentials, the error function, trigonometric and hyperbolic functions and
their inverses, logit, rounding parts, nan_to_num, atan2, hypot, fmod, fmax/fmin, lerp, addcmul/addcdiv, xlogy,
copysign, float_power, logaddexp, heaviside, divide with rounding modes), each backward beside its forward
with PyTorch's derivative formula. They register as Tensor methods (and `x.op_()` in-place forms) at import.

A backward reads what PyTorch's saves: the inputs, or (rsqrt, reciprocal, expm1, exp2, tan) only the result;
the engine's saved-value tables learn which (see the end of this module), so in-place changes of what a
backward needs raise when it runs, as in PyTorch.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _erf as _erf_kernel
from . import extra_ops, ops
from .broadcast_check import broadcast_shape
from .dtypes import scalar_type_name
from .more_ops import _inplace_method
from .ops import _broadcast_pair as _pair
from .ops import _dims, _floating
from .tensor import Tensor

__all__ = [
    # predicates, logical ops, counting
    "isnan", "isfinite", "isinf", "isposinf", "isneginf", "isreal", "signbit", "logical_not", "logical_xor",
    "count_nonzero", "nonzero", "argwhere", "is_nonzero", "is_complex",
    "greater", "greater_equal", "less", "less_equal", "not_equal",
    # unary
    "rsqrt", "reciprocal", "expm1", "exp2", "erf", "erfc", "erfinv", "tan", "sinh", "cosh",
    "asin", "arcsin", "acos", "arccos", "atan", "arctan", "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh",
    "sinc", "logit", "frac", "sgn", "deg2rad", "rad2deg", "nan_to_num", "negative", "positive", "absolute", "fix",
    "lgamma", "digamma",
    # binary
    "atan2", "arctan2", "hypot", "fmod", "fmax", "fmin", "lerp", "addcmul", "addcdiv", "xlogy", "copysign",
    "float_power", "logaddexp", "logaddexp2", "heaviside", "true_divide", "divide", "multiply", "subtract",
]
# torch.X_(input, ...): the in-place functions PyTorch exposes at the top level (`input.X_(...)`)
_TORCH_INPLACE = (
    "rsqrt", "reciprocal", "expm1", "exp2", "erf", "erfc", "tan", "sinh", "cosh", "asin", "arcsin", "acos", "arccos",
    "atan", "arctan", "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh", "sinc", "logit", "frac", "deg2rad",
    "rad2deg", "nan_to_num", "negative", "fix", "xlogy",
)
__all__ += [name + "_" for name in _TORCH_INPLACE]

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_LN2 = math.log(2.0)


def _not_implemented(name: str, dtype: np.dtype) -> NotImplementedError:
    return NotImplementedError(f'"{name}" not implemented for \'{scalar_type_name(dtype)}\'')


def _need_tensor(x: Any, fn: str, arg: str = "other", position: int = 2) -> None:
    """PyTorch's argument parser: these functions take no Python numbers."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{arg}' (position {position}) must be Tensor, not {type(x).__name__}")


def _float_pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Both operands promoted together, integer and bool results taking the default float dtype."""
    a, b = _pair(a, b)
    return _floating(a), _floating(b)


def _bool_out(x: Any) -> Tensor:
    return Tensor._wrap(np.asarray(x, dtype=np.bool_))


# ----- predicates and logical ops (no gradient) ------------------------------------------------


def isnan(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's names
    """True where the element is NaN."""
    return _bool_out(np.isnan(input._array) if input._array.dtype.kind == "f" else np.zeros(input.shape, bool))


def isfinite(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is neither infinite nor NaN."""
    return _bool_out(np.isfinite(input._array) if input._array.dtype.kind == "f" else np.ones(input.shape, bool))


def isinf(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is +inf or -inf."""
    return _bool_out(np.isinf(input._array) if input._array.dtype.kind == "f" else np.zeros(input.shape, bool))


def isposinf(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is +inf."""
    return _bool_out(np.isposinf(input._array) if input._array.dtype.kind == "f" else np.zeros(input.shape, bool))


def isneginf(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is -inf."""
    return _bool_out(np.isneginf(input._array) if input._array.dtype.kind == "f" else np.zeros(input.shape, bool))


def isreal(input: Tensor) -> Tensor:  # noqa: A002
    """True everywhere: there are no complex tensors."""
    return _bool_out(np.ones(input.shape, bool))


def signbit(input: Tensor) -> Tensor:  # noqa: A002
    """True where the sign bit is set (-0.0 and negative numbers)."""
    x = input._array
    return _bool_out(np.signbit(x) if x.dtype.kind != "b" else np.zeros(x.shape, bool))


def logical_not(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is zero."""
    return _bool_out(np.logical_not(input._array))


def logical_xor(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """True where exactly one of the two elements is non-zero."""
    _need_tensor(other, "logical_xor")
    return _bool_out(np.logical_xor(input._array, other._array))


def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    """The number of non-zero elements (over `dim`), as int64."""
    axes = _dims(dim, input.ndim)
    if axes is not None and len(set(axes)) != len(axes):
        raise RuntimeError(f"dim {next(d for d in axes if axes.count(d) > 1)} appears multiple times in the list "
                           "of dims")
    x = input._array
    if x.ndim == 0:
        return Tensor._wrap(np.asarray(np.count_nonzero(x), dtype=np.int64))
    return Tensor._wrap(np.asarray(np.count_nonzero(x, axis=axes), dtype=np.int64))


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:  # noqa: A002
    """The indices of the non-zero elements: an (n, ndim) int64 tensor, or one 1-d tensor per dimension."""
    x = input._array
    if as_tuple:
        return tuple(Tensor._wrap(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(x)))
    return Tensor._wrap(np.argwhere(x).astype(np.int64))


def argwhere(input: Tensor) -> Tensor:  # noqa: A002
    """The indices of the non-zero elements as an (n, ndim) int64 tensor."""
    return nonzero(input)


def is_nonzero(input: Tensor) -> bool:  # noqa: A002
    """Whether the single element is non-zero (an error for any other number of elements)."""
    n = input._array.size
    if n != 1:
        what = "no values" if n == 0 else "more than one value"
        raise RuntimeError(f"Boolean value of Tensor with {what} is ambiguous")
    return bool(input._array.reshape(()) != 0)


def is_complex(input: Tensor) -> bool:  # noqa: A002
    """False: there are no complex tensors."""
    return False


greater, greater_equal, less, less_equal, not_equal = ops.gt, ops.ge, ops.lt, ops.le, ops.ne


# ----- the error function (Cody's approximations, autograd/_erf.py) and gamma functions ---------------------

def _erf64(x: np.ndarray) -> np.ndarray:
    return _erf_kernel.erf(x.astype(np.float64, copy=False))


def _erf(x: np.ndarray) -> np.ndarray:
    return _erf_kernel.erf(x).astype(x.dtype, copy=False)


def _lgamma(x: np.ndarray) -> np.ndarray:
    """math.lgamma elementwise, inf at the poles (0, -1, -2, ...) and where it overflows (math raises there)."""
    x = x.astype(np.float64)
    inf = (x <= 0) & (x == np.floor(x)) | (np.abs(x) > 1e305)
    out = np.asarray(_LGAMMA(np.where(inf, 1.0, x)), dtype=np.float64)
    return np.where(inf, np.inf, out)


_LGAMMA = np.frompyfunc(math.lgamma, 1, 1)


def _erfinv(y: np.ndarray) -> np.ndarray:
    """Inverse of erf: Winitzki's closed-form guess (relative error < 2e-3), then Halley steps on erf (each
    cubes the error) until the largest step is at the rounding level."""
    y64 = y.astype(np.float64)
    with np.errstate(all="ignore"):
        inside = np.abs(y64) < 1
        t = np.where(inside, y64, 0.0)
        a = 0.147
        ln = np.log1p(-t * t)
        first = 2 / (math.pi * a) + ln / 2
        x = (np.sign(t) * np.sqrt(np.sqrt(first * first - ln / a) - first)).reshape(-1)
        t = t.reshape(-1)
        todo = np.flatnonzero(t)  # the elements still moving (erf is evaluated on them only)
        for _ in range(4):
            xs, ts = x[todo], t[todo]
            u = (_erf64(xs) - ts) / (_TWO_OVER_SQRT_PI * np.exp(-xs * xs))
            step = u / (1 + xs * u)
            x[todo] = xs - step
            todo = todo[np.abs(step) > 1e-15 * np.abs(xs)]
            if not todo.size:
                break
        x = x.reshape(y64.shape)
        out = np.where(inside, x, np.where(np.abs(y64) == 1, np.copysign(np.inf, y64), np.nan))
    return np.asarray(out, dtype=np.float64).astype(y.dtype, copy=False)


def _digamma(x: np.ndarray) -> np.ndarray:
    """psi(x): reflection below 0, the recurrence up to 10, then the asymptotic series (float64)."""
    x = x.astype(np.float64)
    with np.errstate(all="ignore"):
        neg = x < 0
        reflect = np.where(neg, -math.pi / np.tan(math.pi * x), 0.0)
        z = np.where(neg, 1 - x, x)
        shift = np.zeros_like(z)
        for _ in range(10):
            small = z < 10
            shift = shift - np.where(small, 1 / z, 0.0)
            z = np.where(small, z + 1, z)
        zz = 1 / (z * z)
        series = zz * (1 / 12 - zz * (1 / 120 - zz * (1 / 252 - zz * (1 / 240 - zz * (1 / 132 - zz * (
            691 / 32760 - zz / 12))))))
        out = np.log(z) - 0.5 / z - series + shift + reflect
        out = np.where(x == 0, np.copysign(np.inf, -x), out)  # psi(+-0) = -+inf
        out = np.where((x < 0) & (x == np.floor(x)), np.nan, out)
        out = np.where(x == np.inf, np.inf, out)
    return out


def _trigamma(x: np.ndarray) -> np.ndarray:
    """psi'(x) as PyTorch computes it: reflection below 0.5, six recurrence steps, a short asymptotic series."""
    x = x.astype(np.float64)
    with np.errstate(all="ignore"):
        neg = x < 0.5
        s = np.sin(math.pi * x)
        result = np.where(neg, -(math.pi * math.pi) / (s * s), 0.0)
        z = np.where(neg, 1 - x, x)
        for _ in range(6):
            result = result + 1 / (z * z)
            z = z + 1
        ixx = 1 / (z * z)
        result = result + (1 + 1 / (2 * z) + ixx * (1 / 6 - ixx * (1 / 30 - ixx * (1 / 42)))) / z
    return np.where(neg, -result, result)


# ----- unary functions with gradients ----------------------------------------------------------

Grad = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def _unary(name: str, op: str, forward: Callable[[np.ndarray], np.ndarray], grad: Grad, doc: str):
    """A float-valued elementwise function (integer and bool inputs give the default float dtype);
    `grad(g, x, out)` is PyTorch's derivative formula, reading the input or (ops in `_READS_RESULT`) the result."""

    def fn(input: Tensor) -> Tensor:  # noqa: A002
        a = _floating(input)
        x = a._array
        with np.errstate(all="ignore"):
            out = np.asarray(forward(x), dtype=x.dtype)

        def backward(g: np.ndarray):
            with np.errstate(all="ignore"):
                return (np.asarray(grad(g, x, out), dtype=g.dtype),)

        return Tensor._make(out, (a,), backward, op)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


def _rsqrt(x: np.ndarray) -> np.ndarray:
    return 1 / np.sqrt(x)


def _sinc(x: np.ndarray) -> np.ndarray:
    px = x * x.dtype.type(math.pi)
    return np.where(x == 0, x.dtype.type(1), np.sin(px) / px)


def _sinc_grad(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    pi = x.dtype.type(math.pi)
    px = x * pi
    sq = x * x * pi
    return np.where(sq == 0, g.dtype.type(0), g * (px * np.cos(px) - np.sin(px)) / sq)


rsqrt = _unary("rsqrt", "Rsqrt", _rsqrt, lambda g, x, out: -0.5 * g * out**3, "1 / sqrt(input).")
reciprocal = _unary("reciprocal", "Reciprocal", lambda x: 1 / x, lambda g, x, out: -g * (out * out), "1 / input.")
expm1 = _unary("expm1", "Expm10", np.expm1, lambda g, x, out: g * (out + 1), "exp(input) - 1, exact near 0.")
exp2 = _unary("exp2", "Exp20", np.exp2, lambda g, x, out: g * out * _LN2, "2 ** input.")
tan = _unary("tan", "Tan", np.tan, lambda g, x, out: g * (1 + out**2), "The tangent.")
erf = _unary("erf", "Erf", _erf, lambda g, x, out: _TWO_OVER_SQRT_PI * np.exp(-(x * x)) * g, "The error function.")
erfc = _unary("erfc", "Erfc", lambda x: _erf_kernel.erfc(x).astype(x.dtype, copy=False),
              lambda g, x, out: -_TWO_OVER_SQRT_PI * np.exp(-(x * x)) * g,
              "The complementary error function 1 - erf(input), exact in the tail.")
erfinv = _unary("erfinv", "Erfinv", _erfinv,
                lambda g, x, out: 0.5 * math.sqrt(math.pi) * np.exp(_erfinv(x) ** 2) * g,
                "The inverse error function (+-inf at +-1, NaN outside [-1, 1]).")
sinh = _unary("sinh", "Sinh", np.sinh, lambda g, x, out: g * np.cosh(x), "The hyperbolic sine.")
cosh = _unary("cosh", "Cosh", np.cosh, lambda g, x, out: g * np.sinh(x), "The hyperbolic cosine.")
asin = arcsin = _unary("asin", "Asin", np.arcsin, lambda g, x, out: g * _rsqrt(-x * x + 1), "The inverse sine.")
acos = arccos = _unary("acos", "Acos", np.arccos, lambda g, x, out: g * -_rsqrt(-x * x + 1), "The inverse cosine.")
atan = arctan = _unary("atan", "Atan", np.arctan, lambda g, x, out: g / (x * x + 1), "The inverse tangent.")
asinh = arcsinh = _unary("asinh", "Asinh", np.arcsinh, lambda g, x, out: g * _rsqrt(x * x + 1), "The inverse sinh.")
acosh = arccosh = _unary("acosh", "Acosh", np.arccosh, lambda g, x, out: g * _rsqrt(x * x - 1), "The inverse cosh.")
atanh = arctanh = _unary("atanh", "Atanh", np.arctanh, lambda g, x, out: g * 1 / (1 - x * x), "The inverse tanh.")
sinc = _unary("sinc", "Sinc", _sinc, lambda g, x, out: _sinc_grad(g, x), "sin(pi x) / (pi x), 1 at 0.")
deg2rad = _unary("deg2rad", "Deg2Rad", lambda x: x * x.dtype.type(math.pi / 180),
                 lambda g, x, out: g * (math.pi / 180), "Degrees to radians.")
rad2deg = _unary("rad2deg", "Rad2Deg", lambda x: x * x.dtype.type(180 / math.pi),
                 lambda g, x, out: g * (180 / math.pi), "Radians to degrees.")
lgamma = _unary("lgamma", "Lgamma", lambda x: _lgamma(x), lambda g, x, out: g * _digamma(x),
                "log|Gamma(input)| (inf at the poles 0, -1, -2, ...).")
digamma = _unary("digamma", "Digamma", lambda x: _digamma(x).astype(x.dtype), lambda g, x, out: g * _trigamma(x),
                 "The digamma function psi = d/dx lgamma (NaN at negative integers, -inf at 0).")


def logit(input: Tensor, eps: float | None = None) -> Tensor:  # noqa: A002
    """log(p / (1 - p)), p clamped to [eps, 1 - eps] when eps is given; the gradient is 0 outside that range
    (NaN outside [0, 1] without eps), as in PyTorch."""
    a = _floating(input)
    x = a._array
    if eps is None:
        p = x
    else:  # PyTorch's clamp (lo wins when eps > 0.5 makes lo > hi)
        lo, hi = x.dtype.type(eps), x.dtype.type(1 - eps)
        p = np.where(x < lo, lo, np.where(x > hi, hi, x))
    with np.errstate(all="ignore"):
        out = np.log(p / (1 - p))

    def backward(g: np.ndarray):
        with np.errstate(all="ignore"):
            d = g / (x * (1 - x))
        if eps is None:
            return (np.where((x < 0) | (x > 1), g.dtype.type(np.nan), d),)
        return (np.where((x < eps) | (x > 1 - eps), g.dtype.type(0), d),)

    return Tensor._make(np.asarray(out), (a,), backward, "Logit")


def frac(input: Tensor) -> Tensor:  # noqa: A002
    """input - trunc(input) (sign kept); the gradient passes unchanged."""
    x = input._array
    if x.dtype.kind != "f":
        raise _not_implemented("frac_cpu", x.dtype)
    with np.errstate(invalid="ignore"):
        out = x - np.trunc(x)
    return Tensor._make(out, (input,), lambda g: (g,), "Frac")


def sgn(input: Tensor) -> Tensor:  # noqa: A002
    """The sign (-1, 0, 1; 0 for NaN) for real tensors (bool stays bool); the gradient is zero."""
    x = input._array
    out = x.copy() if x.dtype.kind == "b" else ((x > 0).astype(x.dtype) - (x < 0).astype(x.dtype))
    return Tensor._make(out, (input,), lambda g: (np.zeros_like(g),), "Sgn")


def nan_to_num(input: Tensor, nan: float = 0.0, posinf: float | None = None,  # noqa: A002
               neginf: float | None = None) -> Tensor:
    """NaN, +inf and -inf replaced (by 0 and the dtype's largest and lowest finite values by default); the
    gradient passes where the input is finite."""
    x = input._array
    if x.dtype.kind != "f":
        return Tensor._wrap(x.copy())
    info = np.finfo(x.dtype)
    with np.errstate(over="ignore"):
        big = x.dtype.type(info.max if posinf is None else posinf)
        low = x.dtype.type(info.min if neginf is None else neginf)
        out = np.where(np.isnan(x), x.dtype.type(nan), np.where(x == np.inf, big, np.where(x == -np.inf, low, x)))
    return Tensor._make(out, (input,), lambda g: (g * np.isfinite(x),), "NanToNum")


def _no_bool(input: Tensor, message: str) -> None:  # noqa: A002
    if input._array.dtype.kind == "b":
        raise RuntimeError(message)


def negative(input: Tensor) -> Tensor:  # noqa: A002
    """-input (`torch.neg`)."""
    _no_bool(input, "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert "
                    "a mask, use the `~` or `logical_not()` operator instead.")
    return ops.neg(input)


def positive(input: Tensor) -> Tensor:  # noqa: A002
    """The input itself (an error for bool)."""
    _no_bool(input, "The `+` operator, on a bool tensor is not supported.")
    return input


def absolute(input: Tensor) -> Tensor:  # noqa: A002
    """|input| (`torch.abs`)."""
    if input._array.dtype.kind == "b":
        raise _not_implemented("abs_cpu", input._array.dtype)
    return ops.abs(input)


def fix(input: Tensor) -> Tensor:  # noqa: A002
    """Round towards zero (`torch.trunc`)."""
    if input._array.dtype.kind == "b":
        raise _not_implemented("trunc_vml_cpu", input._array.dtype)
    return extra_ops.trunc(input)


# ----- binary functions with gradients ---------------------------------------------------------


def atan2(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The angle of the point (other, input): atan(input / other) in the right quadrant."""
    _need_tensor(other, "atan2")
    a, b = _float_pair(input, other)
    x, y = a._array, b._array

    def backward(g: np.ndarray):
        with np.errstate(all="ignore"):
            recip = 1 / (x * x + y * y)
            both_zero = (x == 0) & (y == 0)
            zero = g.dtype.type(0)
            return (np.where(both_zero, zero, g * y * recip) if a.requires_grad else None,
                    np.where(both_zero, zero, g * -x * recip) if b.requires_grad else None)

    return Tensor._make(np.arctan2(x, y), (a, b), backward, "Atan20")


arctan2 = atan2


def hypot(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """sqrt(input**2 + other**2) without overflow (float tensors only)."""
    _need_tensor(other, "hypot")
    a, b = _pair(input, other)
    x, y = a._array, b._array
    if x.dtype.kind != "f":
        raise _not_implemented("hypot_cpu", x.dtype)

    def backward(g: np.ndarray):
        with np.errstate(all="ignore"):
            r = np.hypot(x, y)
            return (g * x / r if a.requires_grad else None, g * y / r if b.requires_grad else None)

    return Tensor._make(np.hypot(x, y), (a, b), backward, "Hypot")


def _integer_division_check(x: np.ndarray, y: np.ndarray) -> None:
    if x.dtype.kind in "iu" and np.any(y == 0):
        raise RuntimeError("ZeroDivisionError")


def fmod(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """The C remainder: input - trunc(input / other) * other, with the sign of input."""
    a, b = _pair(input, other)
    x, y = a._array, b._array
    if x.dtype.kind == "b":
        raise _not_implemented("fmod_cpu", x.dtype)
    _integer_division_check(x, y)
    with np.errstate(all="ignore"):
        out = np.fmod(x, y)
    if not isinstance(other, Tensor):
        return Tensor._make(out, (a,), lambda g: (g,), "Fmod")

    def backward(g: np.ndarray):
        with np.errstate(all="ignore"):
            return g, -g * np.trunc(x / y) if b.requires_grad else None

    return Tensor._make(out, (a, b), backward, "Fmod1")


def _nan_aware_extremum(input: Tensor, other: Tensor, name: str, fn, pick_self) -> Tensor:  # noqa: A002
    _need_tensor(other, name)
    a, b = _pair(input, other)
    x, y = a._array, b._array

    def backward(g: np.ndarray):
        mine = pick_self(x, y) | np.isnan(y)
        zero = g.dtype.type(0)
        return np.where(mine, g, zero), np.where(mine, zero, g)

    return Tensor._make(fn(x, y), (a, b), backward, name.capitalize())


def fmax(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Elementwise maximum ignoring NaN (NaN only where both are); ties send the gradient to input."""
    return _nan_aware_extremum(input, other, "fmax", np.fmax, np.greater_equal)


def fmin(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Elementwise minimum ignoring NaN (NaN only where both are); ties send the gradient to input."""
    return _nan_aware_extremum(input, other, "fmin", np.fmin, np.less_equal)


def _same_dtype(what: str, t: Tensor, like: Tensor) -> None:
    if t._array.dtype != like._array.dtype:
        raise RuntimeError(f"expected dtype {scalar_type_name(like._array.dtype).lower()} for `{what}` but got "
                           f"dtype {scalar_type_name(t._array.dtype).lower()}")


def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:  # noqa: A002
    """input + weight * (end - input), computed from whichever end is nearer, as PyTorch does."""
    _need_tensor(end, "lerp", "end")
    _same_dtype("end", end, input)
    x, e = input._array, end._array
    if x.shape != e.shape:
        broadcast_shape(x.shape, e.shape, np.shape(weight._array if isinstance(weight, Tensor) else weight))
    if x.dtype.kind != "f":
        raise _not_implemented("lerp_kernel_scalar" if not isinstance(weight, Tensor) else "lerp_kernel_tensor",
                               x.dtype)
    if isinstance(weight, Tensor):
        if weight._array.ndim:
            _same_dtype("weight", weight, input)
        w = weight._array.astype(x.dtype, copy=False)
    else:
        w = x.dtype.type(weight)
    with np.errstate(all="ignore"):
        diff = e - x
        out = np.asarray(np.where(np.abs(w) < 0.5, x + w * diff, e - diff * (1 - w)), dtype=x.dtype)
    if not isinstance(weight, Tensor):
        res = Tensor._make(out, (input, end), lambda g: (g * (1 - w), g * w), "Lerp")
        res._ctx = w  # for `higher_order`
        return res

    def backward(g: np.ndarray):
        return g * (1 - w), g * w, (g * (e - x) if weight.requires_grad else None)

    return Tensor._make(out, (input, end, weight), backward, "Lerp1")


def _triple(input: Any, tensor1: Any, tensor2: Any) -> tuple[Tensor, Tensor, Tensor]:  # noqa: A002
    t1, t2 = _pair(tensor1, tensor2)
    c, t1 = _pair(input, t1)
    c, t2 = _pair(c, t2)
    return c, t1, t2


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: float = 1) -> Tensor:  # noqa: A002
    """input + value * tensor1 * tensor2."""
    c, t1, t2 = _triple(input, tensor1, tensor2)
    p, q = t1._array, t2._array
    dtype = np.result_type(c._array, p, q)
    if dtype.kind != "f":
        value = int(value)  # PyTorch casts the scalar to the integral type
    out = np.asarray(c._array + value * p * q, dtype=dtype)

    def backward(g: np.ndarray):
        return (g, g * (q * value) if t1.requires_grad else None, g * (p * value) if t2.requires_grad else None)

    res = Tensor._make(out, (c, t1, t2), backward, "Addcmul")
    res._ctx = value  # for `higher_order`
    return res


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: float = 1) -> Tensor:  # noqa: A002
    """input + value * tensor1 / tensor2 (float tensors only)."""
    c, t1, t2 = _triple(input, tensor1, tensor2)
    p, q = t1._array, t2._array
    if p.dtype.kind != "f" and q.dtype.kind != "f":
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
                           "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can "
                           "be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
                           "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
                           "addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), "
                           "for all dtypes.")
    with np.errstate(all="ignore"):
        out = np.asarray(c._array + value * p / q, dtype=np.result_type(c._array, p, q))

    def backward(g: np.ndarray):
        with np.errstate(all="ignore"):
            return (g, g * (value / q) if t1.requires_grad else None,
                    -g * (value * p / (q * q)) if t2.requires_grad else None)

    res = Tensor._make(out, (c, t1, t2), backward, "Addcdiv")
    res._ctx = value  # for `higher_order`
    return res


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x * log(y), 0 where x == 0 unless y is NaN."""
    with np.errstate(all="ignore"):
        return np.where(np.isnan(y), np.nan, np.where(x == 0, 0, x * np.log(y))).astype(
            np.result_type(x, y), copy=False)


def xlogy(input: Any, other: Any) -> Tensor:  # noqa: A002
    """input * log(other), 0 where input == 0 (unless other is NaN); either may be a Python number."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError("xlogy() received an invalid combination of arguments: input and other are numbers")
    a, b = _float_pair(input, other)
    x, y = a._array, b._array
    out = _xlogy(x, y)
    if not isinstance(input, Tensor):
        res = Tensor._make(out, (b,), lambda g: (_quotient(g * x, y),), "Xlogy1")
        res._ctx = x  # for `higher_order`
        return res

    def self_grad(g: np.ndarray) -> np.ndarray:
        return np.where((x == 0) & (y <= 0), g.dtype.type(0), _xlogy(g, y))

    if not isinstance(other, Tensor):
        res = Tensor._make(out, (a,), lambda g: (self_grad(g),), "Xlogy2")
        res._ctx = y  # for `higher_order`
        return res

    def backward(g: np.ndarray):
        return (self_grad(g) if a.requires_grad else None, _quotient(g * x, y) if b.requires_grad else None)

    return Tensor._make(out, (a, b), backward, "Xlogy")


def _quotient(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return p / q


def copysign(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """|input| with the sign of other (a float result); the gradient is sign-flip times g, 0 where input is 0."""
    a, b = _float_pair(input, other)
    x, y = a._array, b._array
    out = np.copysign(x, y)

    def self_grad(g: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            ratio = np.copysign(x, y) / x
        return g * np.where(x == 0, g.dtype.type(0), ratio)

    if not isinstance(other, Tensor):
        return Tensor._make(out, (a,), lambda g: (self_grad(g),), "Copysign1")
    return Tensor._make(out, (a, b), lambda g: (self_grad(g), np.zeros(y.shape, g.dtype)), "Copysign")


def float_power(input: Any, exponent: Any) -> Tensor:  # noqa: A002
    """input ** exponent computed in float64 (the result is always float64)."""
    double = np.dtype(np.float64)
    power = ops.cast(exponent, double) if isinstance(exponent, Tensor) else float(exponent)
    if not isinstance(input, Tensor):
        return _scalar_pow(float(input), power)
    with np.errstate(all="ignore"):
        return ops.pow(ops.cast(input, double), power)


def _scalar_pow(base: float, exponent: Tensor) -> Tensor:
    """base ** exponent for a Python number base (PyTorch's pow.Scalar): d/de = result * log(base), 0 where
    base == 0 and exponent >= 0."""
    e = exponent._array
    with np.errstate(all="ignore"):
        out = np.power(base, e)

    def backward(g: np.ndarray):
        with np.errstate(all="ignore"):
            grad = g * np.power(base, e) * np.log(np.asarray(base, e.dtype))
        return (np.where((base == 0) & (e >= 0), g.dtype.type(0), grad),)

    return Tensor._make(out, (exponent,), backward, "Pow2")


def _logaddexp(x: np.ndarray, y: np.ndarray, exp, scale: float) -> np.ndarray:
    with np.errstate(all="ignore"):
        m = np.maximum(x, y)
        out = m + np.log1p(exp(-np.abs(x - y))) * scale
        return np.where(np.isinf(x) & (x == y), x, out).astype(np.result_type(x, y), copy=False)


def logaddexp(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """log(exp(input) + exp(other)) without overflow."""
    return _log_add(input, other, "logaddexp", np.exp, 1.0, "Logaddexp")


def logaddexp2(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """log2(2**input + 2**other) without overflow."""
    return _log_add(input, other, "logaddexp2", np.exp2, 1 / _LN2, "Logaddexp20")


def _log_add(input: Tensor, other: Tensor, name: str, exp, scale: float, op: str) -> Tensor:  # noqa: A002
    _need_tensor(other, name)
    a, b = _pair(input, other)
    x, y = a._array, b._array
    if x.dtype.kind != "f":
        raise _not_implemented(f"{name}_cpu", x.dtype)

    def backward(g: np.ndarray):
        with np.errstate(all="ignore"):
            return (g / (1 + exp(y - x)) if a.requires_grad else None,
                    g / (1 + exp(x - y)) if b.requires_grad else None)

    return Tensor._make(_logaddexp(x, y, exp, scale), (a, b), backward, op)


def _heaviside_backward(g: np.ndarray):
    raise RuntimeError("derivative for aten::heaviside is not implemented")


def heaviside(input: Tensor, values: Tensor) -> Tensor:  # noqa: A002
    """0 where input < 0, 1 where input > 0, `values` where input == 0 (same dtypes; not differentiable)."""
    _need_tensor(values, "heaviside", "values")
    x, v = input._array, values._array
    if x.dtype != v.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    out = np.where(x == 0, v, x > 0).astype(x.dtype)
    # PyTorch records a `NotImplemented` node whose backward raises (the name after "/" is not shown)
    return Tensor._make(out, (input, values), _heaviside_backward, "NotImplemented/heavisideBackward")


# ----- divisions and the arithmetic aliases ----------------------------------------------------


def _floor_divide_float(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """PyTorch's floor division of floats: Python's rule (via fmod), x / y where y == 0."""
    with np.errstate(all="ignore"):
        mod = np.fmod(x, y)
        div = (x - mod) / y
        div = np.where((mod != 0) & ((y < 0) != (mod < 0)), div - 1, div)
        floor = np.floor(div)
        floor = np.where(div - floor > 0.5, floor + 1, floor)
        floor = np.where(div == 0, np.copysign(np.zeros_like(div), x / y), floor)
        return np.where(y == 0, x / y, floor).astype(x.dtype, copy=False)


def _rounded_division(x: np.ndarray, y: np.ndarray, mode: str) -> np.ndarray:
    if x.dtype.kind in "iub":
        _integer_division_check(x, y)
        if x.dtype.kind == "b":
            x, y = x.astype(np.int64), y.astype(np.int64)
        if mode == "floor":
            return np.floor_divide(x, y)
        q = np.abs(x) // np.abs(y)
        return np.where((x < 0) != (y < 0), -q, q).astype(x.dtype, copy=False)
    if mode == "floor":
        return _floor_divide_float(x, y)
    with np.errstate(all="ignore"):
        return np.trunc(x / y)


def divide(input: Any, other: Any, *, rounding_mode: str | None = None) -> Tensor:  # noqa: A002
    """input / other; rounding_mode 'trunc' or 'floor' rounds the quotient (keeping integer dtypes) and has
    a zero gradient."""
    if rounding_mode is None:
        return ops.div(input, other)
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                         f"'{rounding_mode}'")
    a, b = _pair(input, other)
    out = _rounded_division(a._array, b._array, rounding_mode)
    return Tensor._make(out, (a, b), lambda g: (np.zeros_like(g), np.zeros_like(g)), "Div2")


true_divide = ops.div
multiply = ops.mul


def subtract(input: Any, other: Any, *, alpha: float = 1) -> Tensor:  # noqa: A002
    """input - alpha * other."""
    a, b = _pair(input, other)
    if a._array.dtype.kind == "b" and b._array.dtype.kind == "b":
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                           "`logical_xor()` operator instead.")
    if alpha == 1:
        return ops.sub(a, b)
    if a._array.dtype.kind != "f" and isinstance(alpha, float):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    out = (a._array - alpha * b._array).astype(a._array.dtype, copy=False)
    res = Tensor._make(out, (a, b), lambda g: (g, -alpha * g), "Sub")
    res._ctx = alpha  # for `higher_order`
    return res


def add_scaled(input: Any, other: Any, *, alpha: float = 1) -> Tensor:  # noqa: A002
    """`torch.add(input, other, alpha=)`: input + alpha * other (the `+` operator is ops.add)."""
    if alpha == 1:
        return ops.add(input, other)
    a, b = _pair(input, other)
    if a._array.dtype.kind != "f" and isinstance(alpha, float):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    out = (a._array + alpha * b._array).astype(a._array.dtype, copy=False)
    res = Tensor._make(out, (a, b), lambda g: (g, alpha * g), "Add")
    res._ctx = alpha  # for `higher_order`
    return res


# ----- in-place forms PyTorch has no derivative for --------------------------------------------


def _no_inplace_derivative(fn, op: str):
    """`asinh_` and friends: PyTorch computes them, but their recorded node's backward raises."""

    def backward(g: np.ndarray):
        raise NotImplementedError(f"the derivative for 'inplace version of {fn.__name__}' is not implemented.")

    def inplace(input: Tensor) -> Tensor:  # noqa: A002
        res = fn(input)
        return Tensor._make(res._array, (res,), backward, op)

    inplace.__name__ = inplace.__qualname__ = fn.__name__
    return inplace


def _compare_inplace(fn, name: str, op: str):
    """`x.gt_(other)`: the comparison written into x as 0 / 1 of x's dtype, recorded with a zero gradient."""

    def compare(s: Tensor, other: Any) -> Tensor:
        out = fn(s, other)._array.astype(s._array.dtype)
        return Tensor._make(out, (s,), lambda g: (np.zeros_like(g),), op + ("1" if isinstance(other, Tensor) else ""))

    def method(self: Tensor, other: Any) -> Tensor:
        return self._inplace(compare, (other,), False)

    method.__name__ = method.__qualname__ = name + "_"
    return method


def _untracked_inplace(fn):
    """`x.logical_not_()` and friends: PyTorch writes the result without autograd seeing it (no leaf check, the
    tensor keeps its grad_fn); only the version counter moves."""

    def method(self: Tensor, *args: Any) -> Tensor:
        res = fn(self, *args)
        self._store(res._array)
        self._bump()
        return self

    method.__name__ = method.__qualname__ = fn.__name__ + "_"
    return method


def _float_power_(self: Tensor, exponent: Any) -> Tensor:
    if self._array.dtype != np.float64:
        raise RuntimeError(f"the base given to float_power_ has dtype {scalar_type_name(self._array.dtype)} but "
                           "the operation's result requires dtype Double")
    return self._inplace(float_power, (exponent,), True)




# ----- Tensor methods --------------------------------------------------------------------------

_METHODS: dict[str, Any] = {name: globals()[name] for name in __all__
                            if not name.endswith("_") and name not in ("is_nonzero", "is_complex")}
_METHODS.update({"is_nonzero": is_nonzero, "is_complex": is_complex, "logical_and": ops.logical_and,
                 "logical_or": ops.logical_or})
# torch.add/sub/div (and the methods) take alpha= and rounding_mode=; the operators stay on ops' plain forms
_METHODS.update({"add": add_scaled, "sub": subtract, "div": divide})
for _name, _fn in _METHODS.items():
    if _name in ("add", "sub", "div") or not hasattr(Tensor, _name):
        setattr(Tensor, _name, _fn)
del _METHODS["is_nonzero"], _METHODS["is_complex"]

# in-place forms: whether the op's backward reads its input (then the old values are kept)
_INPLACE = {
    "rsqrt": True, "reciprocal": True, "expm1": True, "exp2": True, "erf": True, "erfc": True, "erfinv": True,
    "tan": True, "sinh": True, "cosh": True, "asin": True, "arcsin": True, "acos": True, "arccos": True,
    "atan": True, "arctan": True, "sinc": True, "logit": True, "frac": False, "sgn": False,
    "deg2rad": False, "rad2deg": False, "nan_to_num": True, "negative": False, "absolute": True, "fix": False,
    "lgamma": True, "digamma": True, "atan2": True, "arctan2": True, "hypot": True, "fmod": True, "xlogy": True,
    "copysign": True, "heaviside": False, "divide": True,
}
for _name, _reads in _INPLACE.items():
    if not hasattr(Tensor, _name + "_"):
        setattr(Tensor, _name + "_", _inplace_method(_METHODS[_name], _reads))
for _name, _fn, _op in (("asinh", asinh, "Asinh1"), ("acosh", acosh, "Acosh1"), ("atanh", atanh, "Atanh1")):
    setattr(Tensor, _name + "_", _inplace_method(_no_inplace_derivative(_fn, _op), True))
    setattr(Tensor, "arc" + _name[1:] + "_", getattr(Tensor, _name + "_"))
for _name, _fn, _op in (("gt", ops.gt, "Gt"), ("ge", ops.ge, "Ge"), ("lt", ops.lt, "Lt"), ("le", ops.le, "Le"),
                        ("eq", ops.eq, "Eq"), ("ne", ops.ne, "Ne"), ("greater", ops.gt, "Gt"),
                        ("greater_equal", ops.ge, "Ge"), ("less", ops.lt, "Lt"), ("less_equal", ops.le, "Le"),
                        ("not_equal", ops.ne, "Ne")):
    if not hasattr(Tensor, _name + "_"):
        setattr(Tensor, _name + "_", _compare_inplace(_fn, _name, _op))
for _name in ("logical_not", "logical_xor", "logical_and", "logical_or"):
    if not hasattr(Tensor, _name + "_"):
        setattr(Tensor, _name + "_", _untracked_inplace(_METHODS[_name]))
Tensor.true_divide_, Tensor.multiply_, Tensor.subtract_ = Tensor.div_, Tensor.mul_, Tensor.sub_
Tensor.float_power_ = _float_power_


def _torch_inplace(name: str):
    def fn(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:  # noqa: A002
        return getattr(input, name)(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"`input.{name}(...)`: in place."
    return fn


globals().update({name + "_": _torch_inplace(name + "_") for name in _TORCH_INPLACE})
