"""Gamma and Dirichlet draws as PyTorch's CPU kernels make them, and their pathwise gradients.

Draws: element by element in order, Marsaglia and Tsang's rejection method fed by the generator's 53-bit
uniform doubles and its cached Box-Muller `normal_distribution<double>`; shapes below 1 are boosted with one
extra uniform (x * U^(1/alpha)); the arithmetic is done in the element's precision where PyTorch's is (the
boost, d = alpha - 1/3) and in double elsewhere, so the same seed gives the same numbers.

Gradients: the exact implicit reparameterisation dx/dalpha = -(dP(alpha, x)/dalpha) / p(x; alpha), with the
regularised incomplete gamma P from its power series. PyTorch uses a fitted approximation instead, so gradients
agree with PyTorch's to its approximation error (about 1e-3 relative), not to the last digit. Dirichlet draws
are normalised gammas and differentiate through them (PyTorch uses a Beta-based approximation).
"""

from __future__ import annotations

import math

import numpy as np

from .. import autograd as _ag
from ..autograd import Tensor

_THIRD32 = float(np.float32(1.0) / np.float32(3.0))  # PyTorch's `1.0f / 3.0f`
_C0331 = float(np.float32(0.0331))


def _lgamma(x: np.ndarray) -> np.ndarray:
    return _ag.lgamma(Tensor._wrap(np.asarray(x, dtype=np.float64)))._array


def _digamma(x: np.ndarray) -> np.ndarray:
    return _ag.digamma(Tensor._wrap(np.asarray(x, dtype=np.float64)))._array


def _one_gamma(alpha: float, single: bool, gen: _ag.Generator) -> float:
    """One standard gamma draw (`sample_gamma`); `single`: the element type is float32."""
    cast = np.float32 if single else float
    scale = 1.0
    if alpha < 1.0:
        if alpha == 0.0:
            return 0.0
        exponent = float(cast(1.0) / cast(alpha))
        scale *= (1.0 - float(gen.uniform(1, np.float64)[0])) ** exponent
        alpha = float(cast(alpha) + cast(1.0))
    d = float(cast(alpha) - cast(_THIRD32))
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        y = 0.0
        while y <= 0:
            x = float(gen.normal(1, np.float64)[0])
            y = 1.0 + c * x
        v = y * y * y
        u = 1 - float(gen.uniform(1, np.float64)[0])
        xx = x * x
        if u < 1.0 - _C0331 * xx * xx:
            return scale * d * v
        if math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
            return scale * d * v


def standard_gamma_draws(alpha: np.ndarray, as_double: bool = False) -> np.ndarray:
    """Gamma(alpha, 1) draws in alpha's dtype (PyTorch's `_standard_gamma`), at least the dtype's tiny."""
    gen = _ag.default_generator
    dtype = np.float64 if as_double else alpha.dtype
    single = dtype == np.float32
    flat = np.ascontiguousarray(alpha).reshape(-1).tolist()
    out = np.array([_one_gamma(a, single, gen) for a in flat], dtype=np.float64).astype(dtype)
    return np.maximum(out, np.finfo(dtype).tiny).reshape(alpha.shape)


def _lower_gamma_series(a: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(a, x) and dP/da from P = sum_n exp(a log x - x + n log x - lgamma(a + n + 1)) (positive terms)."""
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    logx = np.log(np.maximum(x, np.finfo(np.float64).tiny))
    log_t = a * logx - x - _lgamma(a + 1)
    psi = _digamma(a + 1)
    p = np.zeros(a.shape)
    dp = np.zeros(a.shape)
    n_max = int(np.max(x, initial=0.0) + 12 * np.sqrt(np.max(x, initial=0.0)) + 60)
    for n in range(n_max):
        t = np.exp(log_t)
        p += t
        dp += t * (logx - psi)
        log_t = log_t + logx - np.log(a + n + 1)
        psi = psi + 1.0 / (a + n + 1)
    return np.minimum(p, 1.0), dp


def gammainc(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The regularised lower incomplete gamma function P(a, x) (`torch.special.gammainc`)."""
    p, _ = _lower_gamma_series(a, x)
    return np.where(x <= 0, 0.0, p)


def gammainc_op(a: np.ndarray, x: Tensor) -> Tensor:
    """P(a, x) as a tensor differentiable in x (dP/dx is the Gamma(a, 1) density); a is held constant."""
    xa = x._array
    out = gammainc(a, xa).astype(xa.dtype)

    def backward(g: np.ndarray):
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            pdf = np.exp((a - 1) * np.log(xa) - xa - _lgamma(a))
        return ((g * np.where(xa > 0, pdf, 0.0)).astype(xa.dtype),)

    return Tensor._make(out, (x,), backward, "SpecialGammainc")


def standard_gamma_grad(alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
    """dx/dalpha for x ~ Gamma(alpha, 1) held at a fixed quantile: -(dP/dalpha) / pdf."""
    _, dp = _lower_gamma_series(alpha, x)
    log_pdf = (alpha - 1) * np.log(x) - x - _lgamma(alpha)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        grad = -dp / np.exp(log_pdf)
    return np.where(np.isfinite(grad), grad, 0.0)


def standard_gamma(concentration: Tensor) -> Tensor:
    """`torch._standard_gamma`: Gamma(concentration, 1) draws, differentiable w.r.t. concentration."""
    alpha = concentration._array
    x = standard_gamma_draws(alpha)

    def backward(g: np.ndarray):
        return ((g * standard_gamma_grad(alpha.astype(np.float64), x.astype(np.float64))).astype(x.dtype),)

    return Tensor._make(x, (concentration,), backward, "StandardGamma")


def sample_dirichlet(concentration: Tensor) -> Tensor:
    """`torch._sample_dirichlet` draws (double gammas, normalised over the last dim, clamped into (0, 1)),
    differentiable through the gammas."""
    alpha = concentration._array
    dtype = alpha.dtype
    g = standard_gamma_draws(alpha, as_double=True)
    total = g.sum(-1, keepdims=True)
    below_one = np.nextafter(dtype.type(1.0), dtype.type(0.0))
    x = np.minimum(below_one, np.maximum(np.finfo(dtype).tiny, (g / total).astype(dtype)))

    def backward(grad: np.ndarray):
        dg = standard_gamma_grad(alpha.astype(np.float64), g) / total  # d x_j / d alpha_j through g_j, per total
        inner = (grad * x).sum(-1, keepdims=True)
        return ((dg * (grad - inner)).astype(dtype),)

    return Tensor._make(x, (concentration,), backward, "DirichletBackward")
