"""Activation functions, each one graph node with its own backward rule (PyTorch's formulas)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ...autograd import more_ops, ops
from ...autograd import random as _random
from ...autograd._erf import erf
from ...autograd.dtypes import as_dtype, scalar_type_name
from ...autograd.plain import grad_where
from ...autograd.tensor import Tensor
from ._util import as_tensor, require_float


def _float_input(input: Any, fn: str) -> Tensor:  # noqa: A002
    x = as_tensor(input, fn, "input")
    require_float(x, fn)
    return x


def _kernel_input(input: Any, kernel: str) -> Tensor:  # noqa: A002
    """A floating tensor, else PyTorch's NotImplementedError for its CPU `kernel` ('"mish_cpu" not implemented for
    'Long'')."""
    x = _tensor(input, kernel.removesuffix("_cpu"))
    dt = x._array.dtype
    if dt.kind != "f" or dt == np.float16:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_type_name(dt)}\'')
    return x


def _tensor(input: Any, fn: str) -> Tensor:  # noqa: A002
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    return input


def _applied(x: Tensor, fn: Callable[[Tensor], Tensor], inplace: bool, reads_input: bool) -> Tensor:
    """`fn(x)`, or with `inplace` written into x under PyTorch's in-place rules (`reads_input`: backward reads x)."""
    return x._inplace(fn, (), reads_input) if inplace else fn(x)


def relu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """max(x, 0); the gradient at 0 is 0, as in PyTorch. With `inplace`, x itself is overwritten and returned."""
    if not inplace and type(input) is Tensor and input._array.dtype.kind == "f":  # the common case, checks passed
        return ops.relu(input)
    return _applied(_float_input(input, "relu"), ops.relu, inplace, False)


def relu_(input: Tensor) -> Tensor:  # noqa: A002
    """`relu(input, inplace=True)`."""
    return relu(input, inplace=True)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:  # noqa: A002
    """x for x > 0, negative_slope * x otherwise."""
    op = "LeakyRelu1" if inplace else "LeakyRelu"  # PyTorch's in-place node is LeakyReluBackward1
    return _applied(_float_input(input, "leaky_relu"), lambda x: _leaky_relu(x, negative_slope, op), inplace, False)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:  # noqa: A002
    """`leaky_relu(input, negative_slope, inplace=True)`."""
    return leaky_relu(input, negative_slope, inplace=True)


def _leaky_relu(x: Tensor, negative_slope: float, op: str = "LeakyRelu") -> Tensor:
    a = x._array
    pos = a > 0
    out = np.where(pos, a, a * negative_slope)
    res = Tensor._make(out, (x,), lambda g: (np.where(pos, g, g * negative_slope),), op)
    res._ctx = negative_slope  # for `autograd.higher_order`
    return res


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """x for x > 0, alpha * (exp(x) - 1) otherwise."""
    x = _float_input(input, "elu")
    return _elu_family(x, alpha, 1.0, 1.0, "Elu", inplace)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:  # noqa: A002
    """`elu(input, alpha, inplace=True)`."""
    return elu(input, alpha, inplace=True)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """scale * elu(x, alpha) with the self-normalising constants (PyTorch records it as an Elu node)."""
    x = _kernel_input(input, "elu_cpu")
    return _elu_family(x, _SELU_ALPHA, _SELU_SCALE, 1.0, "Elu", inplace)


def selu_(input: Tensor) -> Tensor:  # noqa: A002
    """`selu(input, inplace=True)`."""
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    x = _kernel_input(input, "elu_cpu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    # PyTorch's backward takes 1 / alpha with alpha rounded to float32 (derivatives.yaml: 1.0/alpha.toFloat())
    return _elu_family(x, alpha, 1.0, 1.0 / alpha, "Celu", inplace, 1.0 / float(np.float32(alpha)))


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:  # noqa: A002
    """`celu(input, alpha, inplace=True)`."""
    return celu(input, alpha, inplace=True)


def _elu_family(x: Tensor, alpha: float, scale: float, input_scale: float, op: str, inplace: bool,
                backward_input_scale: float | None = None) -> Tensor:
    """PyTorch's elu kernel: x > 0 ? x * scale : alpha * scale * expm1(x * input_scale). Out of place the backward
    reads the input (`<op>Backward0`); in place it reads the result (`<op>Backward1`), as PyTorch's do."""
    negcoef, poscoef = alpha * scale, scale
    bis = input_scale if backward_input_scale is None else backward_input_scale

    def fn(t: Tensor) -> Tensor:
        a = t._array
        neg = ~(a > 0)  # NaN takes the exp branch, as PyTorch's vectorised kernel (its gradient is NaN)
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.where(neg, np.expm1(np.minimum(a, 0) * input_scale) * negcoef, a * poscoef).astype(a.dtype,
                                                                                                         copy=False)

        def backward(g: np.ndarray):
            with np.errstate(over="ignore", invalid="ignore"):
                if inplace:
                    return (np.where(~(out > 0), g * bis * (out + negcoef), g * poscoef),)
                return (np.where(neg, g * bis * negcoef * np.exp(np.minimum(a, 0) * bis), g * poscoef),)

        res = Tensor._make(out, (t,), backward, op + "1" if inplace else op)
        res._ctx = (negcoef, poscoef, bis)  # for `autograd.higher_order`
        return res

    return _applied(x, fn, inplace, False)


_SQRT1_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_BETA = math.sqrt(2.0 / math.pi)
_TANH_KAPPA = 0.044715


def gelu(input: Tensor, approximate: str = "none") -> Tensor:  # noqa: A002
    """x * Phi(x) with the exact erf form (default) or PyTorch's tanh approximation (`approximate='tanh'`)."""
    x = _float_input(input, "gelu")
    a = x._array
    if approximate == "none":
        cdf = 0.5 * (1.0 + erf(a * _SQRT1_2))
        out = a * cdf

        def backward(g: np.ndarray):
            pdf = np.exp(-0.5 * a * a) * _INV_SQRT_2PI
            return (g * (cdf + a * pdf),)

        res = Tensor._make(out, (x,), backward, "Gelu")
        res._ctx = approximate  # for `autograd.higher_order`
        return res
    if approximate == "tanh":
        inner = _TANH_BETA * (a + _TANH_KAPPA * a * a * a)
        t = np.tanh(inner)
        out = 0.5 * a * (1.0 + t)

        def backward_tanh(g: np.ndarray):
            d_inner = _TANH_BETA * (1.0 + 3.0 * _TANH_KAPPA * a * a)
            return (g * (0.5 * (1.0 + t) + 0.5 * a * (1.0 - t * t) * d_inner),)

        res = Tensor._make(out, (x,), backward_tanh, "Gelu")
        res._ctx = approximate  # for `autograd.higher_order`
        return res
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def sigmoid_array(a: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-a)) without overflow for large |a|."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype, copy=False)


def silu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """x * sigmoid(x) (a.k.a. swish)."""
    return _applied(_float_input(input, "silu"), _silu, inplace, True)


def _silu(x: Tensor) -> Tensor:
    a = x._array
    s = sigmoid_array(a)
    return Tensor._make(a * s, (x,), lambda g: (g * (s * (1.0 + a * (1.0 - s))),), "Silu")


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    return ops.sigmoid(_float_input(input, "sigmoid"))


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    return ops.tanh(_float_input(input, "tanh"))


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:  # noqa: A002
    """log(1 + exp(beta * x)) / beta, reverting to x where beta * x > threshold."""
    x = _float_input(input, "softplus")
    a = x._array
    z = a * beta
    linear = z > threshold
    zs = np.where(linear, 0.0, z).astype(a.dtype, copy=False)
    out = np.where(linear, a, np.log1p(np.exp(zs)) / beta)
    res = Tensor._make(out, (x,), lambda g: (np.where(linear, g, g * sigmoid_array(zs)),), "Softplus")
    res._ctx = (beta, threshold)  # for `autograd.higher_order`
    return res


def _softmax_dim(ndim: int, dim: int | None, fn: str) -> int:
    """PyTorch's legacy implicit dim (0 for 0-, 1- and 3-D inputs, else 1) when `dim` is None."""
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {fn} has been deprecated. Change the call to include dim=X "
                      "as an argument.", stacklevel=3)
        return 0 if ndim in (0, 1, 3) else 1
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(f"{fn}: dim {dim} is out of range for an input with {ndim} dimensions")
    return dim % max(ndim, 1)


def _prepare(input: Any, dim: int | None, dtype: Any, fn: str) -> tuple[Tensor, int]:  # noqa: A002
    x = _float_input(input, fn)
    if dtype is not None:
        x = ops.cast(x, as_dtype(dtype))
    return x, _softmax_dim(x.ndim, dim, fn)


def softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """exp(x) / sum(exp(x)) along `dim` (PyTorch's implicit dim when None); the op is `Tensor.softmax`'s."""
    x, d = _prepare(input, dim, dtype, "softmax")
    return more_ops.softmax(x, d)


def log_softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """x - logsumexp(x) along `dim` (PyTorch's implicit dim when None); the op is `Tensor.log_softmax`'s."""
    x, d = _prepare(input, dim, dtype, "log_softmax")
    return more_ops.log_softmax(x, d)


# ----- cut-off activations: the gradient is +0 wherever the input was cut off (grad_where) ---------------------


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """x clipped to [min_val, max_val]; the gradient passes strictly inside, +0 elsewhere and at NaN (PyTorch's
    vectorised kernel; its scalar tail loop passes NaN's gradient)."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    x = _tensor(input, "hardtanh")
    if x._array.dtype == np.bool_:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    return _applied(x, lambda t: _hardtanh(t, min_val, max_val), inplace, True)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:  # noqa: A002
    """`hardtanh(input, min_val, max_val, inplace=True)`."""
    return hardtanh(input, min_val, max_val, inplace=True)


def _hardtanh(x: Tensor, min_val: float, max_val: float) -> Tensor:
    a = x._array
    lo, hi = a.dtype.type(min_val), a.dtype.type(max_val)  # an integer input takes integer bounds, as in PyTorch
    out = np.minimum(np.maximum(a, lo), hi)  # NaN stays NaN
    res = Tensor._make(out, (x,), lambda g: (grad_where((a > lo) & (a < hi), g),), "Hardtanh")
    res._ctx = (lo, hi)  # for `autograd.higher_order`
    return res


def relu6(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """min(max(x, 0), 6): PyTorch's hardtanh(x, 0, 6), a Hardtanh node."""
    return hardtanh(input, 0.0, 6.0, inplace)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:  # noqa: A002
    """`value` where x <= threshold, else x (NaN stays); the gradient is +0 where x <= threshold, in place too
    (PyTorch's node is then ThresholdBackward1)."""
    return _threshold_applied(input, threshold, value, inplace)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:  # noqa: A002
    """`threshold(input, threshold, value, inplace=True)`."""
    return _threshold_applied(input, threshold, value, True)


def _threshold_applied(input: Any, th: float, value: float, inplace: bool) -> Tensor:  # noqa: A002
    x = _tensor(input, "threshold")
    return _applied(x, lambda t: _threshold(t, th, value, inplace), inplace, True)


def _threshold(x: Tensor, th: float, value: float, inplace: bool) -> Tensor:
    a = x._array
    th_ = a.dtype.type(th) if a.dtype.kind != "f" else th
    out = np.where(a <= th_, a.dtype.type(value), a)
    return Tensor._make(out, (x,), lambda g: (grad_where(~(a <= th_), g),), "Threshold1" if inplace else "Threshold")


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """min(max(x + 3, 0), 6) / 6; the gradient is g * (1/6 as a float32 constant) strictly inside (-3, 3), +0
    elsewhere and at NaN, as PyTorch's CPU kernel computes it."""
    return _applied(_kernel_input(input, "hardsigmoid_cpu"), _hardsigmoid, inplace, True)


def _hardsigmoid(x: Tensor) -> Tensor:
    a = x._array
    out = np.minimum(np.maximum(a + 3, 0), 6) / a.dtype.type(6)
    sixth = a.dtype.type(np.float32(1.0) / np.float32(6.0))
    return Tensor._make(out.astype(a.dtype, copy=False), (x,),
                        lambda g: (grad_where((a > -3) & (a < 3), g * sixth),), "Hardsigmoid")


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """x * min(max(x + 3, 0), 6) / 6; the gradient is +0 for x <= -3, g * (x / 3 + 0.5) below 3 (NaN at NaN, as
    PyTorch's vectorised kernel), g from 3 on."""
    return _applied(_kernel_input(input, "hardswish_cpu"), _hardswish, inplace, True)


def _hardswish(x: Tensor) -> Tensor:
    a = x._array
    with np.errstate(invalid="ignore"):
        out = (a * np.minimum(np.maximum(a + 3, 0), 6) / a.dtype.type(6)).astype(a.dtype, copy=False)

    def backward(g: np.ndarray):
        with np.errstate(invalid="ignore", over="ignore"):
            inner = np.where(a >= 3, g, g * (a / a.dtype.type(3) + a.dtype.type(0.5)))
        return (grad_where(~(a <= -3), inner),)

    return Tensor._make(out, (x,), backward, "Hardswish")


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:  # noqa: A002
    """0 for -lambd <= x <= lambd, else x shrunk towards 0 by lambd; the gradient is +0 on that band and at NaN."""
    x = _kernel_input(input, "softshrink_check")
    if not 0 <= lambd <= np.finfo(np.float32).max:
        raise RuntimeError(f"lambda must be in range [0, 3.40282e+38] for input dtype Float, but found {lambd}")
    a = x._array
    band = (a >= -lambd) & (a <= lambd)
    out = np.where(band, a.dtype.type(0), np.where(a > 0, a - a.dtype.type(lambd), a + a.dtype.type(lambd)))
    return Tensor._make(out, (x,), lambda g: (grad_where((a < -lambd) | (a > lambd), g),), "Softshrink")


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:  # noqa: A002
    """0 for -lambd <= x <= lambd, else x; the gradient is +0 on that band and at NaN."""
    x = _kernel_input(input, "hardshrink_cpu")
    a = x._array
    out = np.where((a >= -lambd) & (a <= lambd), a.dtype.type(0), a)
    return Tensor._make(out, (x,), lambda g: (grad_where((a < -lambd) | (a > lambd), g),), "Hardshrink")


# ----- smooth activations --------------------------------------------------------------------------------------


def mish(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """x * tanh(softplus(x)) with softplus = log1p(exp(x)) (no threshold, as PyTorch's kernel)."""
    return _applied(_kernel_input(input, "mish_cpu"), _mish, inplace, True)


def _mish(x: Tensor) -> Tensor:
    a = x._array
    with np.errstate(over="ignore", invalid="ignore"):
        t = np.tanh(np.log1p(np.exp(a)))
        out = a * t

    def backward(g: np.ndarray):
        with np.errstate(over="ignore", invalid="ignore"):
            s = 1 / (1 + np.exp(-a))
            return ((g * (t + a * s * (1 - t * t))).astype(a.dtype, copy=False),)

    return Tensor._make(out, (x,), backward, "Mish")


def logsigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), stable for large |x|."""
    x = _kernel_input(input, "log_sigmoid_cpu")
    a = x._array
    z = np.exp(-np.abs(a))
    out = np.minimum(a, 0) - np.log1p(z)

    def backward(g: np.ndarray):
        neg = a < 0
        return (g * (neg.astype(a.dtype) - np.where(neg, 1, -1).astype(a.dtype) * (z / (1 + z))),)

    return Tensor._make(out, (x,), backward, "LogSigmoid")


def softsign(input: Tensor) -> Tensor:  # noqa: A002
    """x / (1 + |x|), composed as PyTorch does (a Div node)."""
    x = as_tensor(input, "softsign", "input")
    return x / (x.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:  # noqa: A002
    """x - tanh(x), composed as PyTorch does (a Sub node)."""
    x = as_tensor(input, "tanhshrink", "input")
    return x - x.tanh()


def softmin(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """softmax(-x) along `dim` (PyTorch's implicit dim when None), cast to `dtype` after the negation."""
    x = as_tensor(input, "softmin", "input")
    d = _softmax_dim(x.ndim, dim, "softmin")
    neg = -x
    if dtype is not None:
        neg = ops.cast(neg, as_dtype(dtype))
    if neg._array.dtype.kind != "f":
        raise NotImplementedError(f'"softmax_lastdim_kernel_impl" not implemented for '
                                  f"'{scalar_type_name(neg._array.dtype)}'")
    return more_ops.softmax(neg, d)


def glu(input: Tensor, dim: int = -1) -> Tensor:  # noqa: A002
    """a * sigmoid(b), with a and b the halves of `input` along `dim`."""
    x = as_tensor(input, "glu", "input")
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    x = _kernel_input(x, "glu_cpu")
    d = ops._dims(dim, x.ndim)[0]
    a = x._array
    n = a.shape[d]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {n}")
    first, second = np.split(a, 2, axis=d)
    s = sigmoid_array(second)
    out = first * s

    def backward(g: np.ndarray):
        gs = g * s
        return (np.concatenate([gs, gs * first * (1 - s)], axis=d),)

    return Tensor._make(out, (x,), backward, "Glu")


def prelu(input: Tensor, weight: Tensor) -> Tensor:  # noqa: A002
    """x for x > 0, else weight * x, with one weight per channel (dim 1) or one for all."""
    x = _kernel_input(input, "prelu_cpu")
    w = as_tensor(weight, "prelu", "weight")
    if w.ndim > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {w.ndim}")
    if w._array.dtype != x._array.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got {scalar_type_name(x._array.dtype)} and "
                           f"{scalar_type_name(w._array.dtype)}")
    a, wa = x._array, w._array
    channels = a.shape[1] if a.ndim >= 2 else 1
    if wa.size != 1 and wa.size != channels:
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                           f"{wa.size} and channel size = {channels}.")
    wb = wa.reshape((1, -1) + (1,) * (a.ndim - 2)) if wa.size > 1 else wa.reshape(())
    pos = a > 0
    out = np.where(pos, a, wb * a)

    def backward(g: np.ndarray):
        gx = np.where(pos, g, wb * g)
        contrib = np.where(pos, 0, a * g)
        if wa.size > 1:
            gw = contrib.sum(axis=tuple(i for i in range(a.ndim) if i != 1))
        else:
            gw = contrib.sum()
        return gx, np.asarray(gw, dtype=wa.dtype).reshape(wa.shape)

    return Tensor._make(out, (x, w), backward, "PreluKernel")


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,  # noqa: A002
          inplace: bool = False) -> Tensor:
    """Randomized leaky ReLU: in training, each x <= 0 is scaled by a slope drawn uniformly from [lower, upper]
    (one 53-bit draw of the default generator per such element, in order, as PyTorch's CPU kernel); in eval, the
    fixed slope (lower + upper) / 2."""
    x = _kernel_input(input, "leaky_relu_cpu")
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    op = "RreluWithNoise1" if inplace else "RreluWithNoise"
    if not training:
        return _applied(x, lambda t: _leaky_relu(t, (lower + upper) / 2, op), inplace, False)
    return _applied(x, lambda t: _rrelu_train(t, lower, upper, op), inplace, False)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,  # noqa: A002
           ) -> Tensor:
    """`rrelu(input, lower, upper, training, inplace=True)`."""
    return rrelu(input, lower, upper, training, inplace=True)


def _rrelu_train(x: Tensor, lower: float, upper: float, op: str) -> Tensor:
    a = x._array
    dt = a.dtype
    neg = a <= 0
    if dt == np.float32:  # the bounds are rounded to float first, the draw made in double, then cast
        lower, upper = float(np.float32(lower)), float(np.float32(upper))
    noise = np.ones(a.shape, dt)
    n = int(np.count_nonzero(neg))
    if n:
        noise[neg] = _random.default_generator.uniform(n, np.float64, lower, upper).astype(dt)
    out = a * noise
    return Tensor._make(out, (x,), lambda g: (g * noise,), op)
