"""Activation functions, each one graph node with its own backward rule (PyTorch's formulas)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ...autograd import more_ops, ops
from ...autograd.dtypes import as_dtype
from ...autograd.tensor import Tensor
from ._erf import erf
from ._util import as_tensor, require_float


def _float_input(input: Any, fn: str) -> Tensor:  # noqa: A002
    x = as_tensor(input, fn, "input")
    require_float(x, fn)
    return x


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
    return _applied(_float_input(input, "leaky_relu"), lambda x: _leaky_relu(x, negative_slope), inplace, False)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:  # noqa: A002
    """`leaky_relu(input, negative_slope, inplace=True)`."""
    return leaky_relu(input, negative_slope, inplace=True)


def _leaky_relu(x: Tensor, negative_slope: float) -> Tensor:
    a = x._array
    pos = a > 0
    out = np.where(pos, a, a * negative_slope)
    return Tensor._make(out, (x,), lambda g: (np.where(pos, g, g * negative_slope),), "LeakyRelu")


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """x for x > 0, alpha * (exp(x) - 1) otherwise."""
    return _applied(_float_input(input, "elu"), lambda x: _elu(x, alpha), inplace, False)


def _elu(x: Tensor, alpha: float) -> Tensor:
    a = x._array
    pos = a > 0
    neg_exp = np.exp(np.minimum(a, 0))
    out = np.where(pos, a, alpha * np.expm1(np.minimum(a, 0)))
    return Tensor._make(out, (x,), lambda g: (np.where(pos, g, g * (alpha * neg_exp)),), "Elu")


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

        return Tensor._make(out, (x,), backward, "Gelu")
    if approximate == "tanh":
        inner = _TANH_BETA * (a + _TANH_KAPPA * a * a * a)
        t = np.tanh(inner)
        out = 0.5 * a * (1.0 + t)

        def backward_tanh(g: np.ndarray):
            d_inner = _TANH_BETA * (1.0 + 3.0 * _TANH_KAPPA * a * a)
            return (g * (0.5 * (1.0 + t) + 0.5 * a * (1.0 - t * t) * d_inner),)

        return Tensor._make(out, (x,), backward_tanh, "Gelu")
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
    return Tensor._make(out, (x,), lambda g: (np.where(linear, g, g * sigmoid_array(zs)),), "Softplus")


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
