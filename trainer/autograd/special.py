"""`trainer.special` (PyTorch's `torch.special`): the engine's special functions under their SciPy-style names,
plus `entr`, `xlog1py`, `ndtr`, `ndtri`, `log_ndtr` and `multigammaln`. Bessel functions and orthogonal
polynomials are not here."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import math_ops, more_ops, ops
from .ops import _broadcast_pair as _pair
from .ops import _floating
from .tensor import Tensor

expit = ops.sigmoid
logit = math_ops.logit
erf, erfc, erfinv = math_ops.erf, math_ops.erfc, math_ops.erfinv
expm1, exp2, log1p = math_ops.expm1, math_ops.exp2, ops.log1p
sinc, xlogy = math_ops.sinc, math_ops.xlogy
gammaln, digamma, psi = math_ops.lgamma, math_ops.digamma, math_ops.digamma
logsumexp, round = ops.logsumexp, more_ops.round  # noqa: A001 - PyTorch's name
_SQRT2, _LOG_SQRT_2PI = math.sqrt(2.0), 0.5 * math.log(2 * math.pi)


def softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    return more_ops.softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    return more_ops.log_softmax(input, dim, dtype)


def entr(input: Tensor) -> Tensor:  # noqa: A002
    """-x ln x elementwise: 0 at 0, -inf for negative x."""
    a = _floating(input)
    x = a._array
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(x > 0, -x * np.log(np.where(x > 0, x, 1)), np.where(x == 0, 0, -np.inf)).astype(x.dtype)
        out = np.where(np.isnan(x), x, out)

    def backward(g: np.ndarray):
        with np.errstate(divide="ignore", invalid="ignore"):
            return (g * -(np.log(x) + 1),)

    return Tensor._make(out, (a,), backward, "SpecialEntr")


def xlog1py(input: Any, other: Any) -> Tensor:  # noqa: A002
    """input * log1p(other), 0 where input is 0 (unless other is nan)."""
    a, b = _pair(input, other)
    a, b = _floating(a), _floating(b)
    x, y = a._array, b._array
    with np.errstate(divide="ignore", invalid="ignore"):
        plain = x * np.log1p(y)
        out = np.where((x == 0) & ~np.isnan(y), np.zeros((), plain.dtype), plain)

    def backward(g: np.ndarray):
        with np.errstate(divide="ignore", invalid="ignore"):
            gx = g * np.log1p(y) if a.requires_grad else None
            gy = g * x / (1 + y) if b.requires_grad else None
        return gx, gy

    return Tensor._make(out, (a, b), backward, "SpecialXlog1Py")


def ndtr(input: Tensor) -> Tensor:  # noqa: A002
    """The standard normal CDF, (1 + erf(x / sqrt 2)) / 2."""
    return (1 + math_ops.erf(_floating(input) * (1 / _SQRT2))) * 0.5


def ndtri(input: Tensor) -> Tensor:  # noqa: A002
    """The standard normal quantile function (the inverse of `ndtr`)."""
    return math_ops.erfinv(_floating(input) * 2 - 1) * _SQRT2


def _log_ndtr(x: np.ndarray) -> np.ndarray:
    """log(ndtr(x)) in float64: log1p(-ndtr(-x)) above 0, log(erfc) down to x = -20, then the tail's asymptotic
    series."""
    x64 = x.astype(np.float64)
    out = np.empty_like(x64)
    tail, upper = x64 < -20, x64 > 0
    mid = ~tail & ~upper
    out[upper] = np.log1p(-0.5 * math_ops.erfc(Tensor._wrap(x64[upper] / _SQRT2))._array)
    out[mid] = np.log(0.5 * math_ops.erfc(Tensor._wrap(-x64[mid] / _SQRT2))._array)
    t = x64[tail]
    inv2 = 1 / (t * t)
    series = np.ones_like(t)
    for k in (13, 11, 9, 7, 5, 3, 1):  # 1 - 1/x^2 + 3/x^4 - 15/x^6 + ..., in Horner form
        series = 1 - k * inv2 * series
    out[tail] = -0.5 * t * t - np.log(-t) - _LOG_SQRT_2PI + np.log(series)
    return out


def log_ndtr(input: Tensor) -> Tensor:  # noqa: A002
    """log of the standard normal CDF, accurate far into the lower tail."""
    a = _floating(input)
    x = a._array
    logs = _log_ndtr(x)

    def backward(g: np.ndarray):
        pdf_over_cdf = np.exp(-0.5 * x.astype(np.float64) ** 2 - _LOG_SQRT_2PI - logs)
        return ((g * pdf_over_cdf).astype(x.dtype),)

    return Tensor._make(logs.astype(x.dtype), (a,), backward, "SpecialLogNdtr")


def multigammaln(input: Tensor, p: int) -> Tensor:  # noqa: A002
    """The log of the multivariate gamma function of dimension `p`."""
    a = _floating(input)
    terms = [math_ops.lgamma(a - j / 2) for j in range(p)]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total + p * (p - 1) / 4 * math.log(math.pi)


__all__ = ["expit", "logit", "erf", "erfc", "erfinv", "expm1", "exp2", "log1p", "sinc", "xlogy", "xlog1py", "gammaln",
           "digamma", "psi", "logsumexp", "round", "softmax", "log_softmax", "entr", "ndtr", "ndtri", "log_ndtr",
           "multigammaln"]
