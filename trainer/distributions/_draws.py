"""Draws PyTorch makes with CPU kernels that trainer's engine does not expose as tensor methods:
`Tensor.cauchy_`, `torch.poisson` and `torch.binomial`, element by element from the generator's 53-bit
uniform doubles, with the element type's rounding where PyTorch's kernel rounds in it."""

from __future__ import annotations

import math

import numpy as np

from .. import autograd as _ag


def cauchy(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """`empty(shape).cauchy_()`: tan(pi * (u - 1/2)) for u a uniform double, cast to dtype."""
    n = math.prod(shape)
    u = _ag.default_generator.uniform(n, np.float64)
    return np.tan(math.pi * (u - 0.5)).astype(dtype).reshape(shape)


def _one_poisson(lam: float, uniform) -> int:
    """Hormann's transformed rejection (PTRS) for rate >= 10, products of uniforms below."""
    if lam >= 10:
        slam, loglam = math.sqrt(lam), math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = uniform() - 0.5
            v = uniform()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b) <= -lam + k * loglam - math.lgamma(k + 1):
                return k
    if lam == 0:
        return 0
    enlam, x, prod = math.exp(-lam), 0, 1.0
    while True:
        prod *= uniform()
        if prod <= enlam:
            return x
        x += 1


def poisson(rate: np.ndarray) -> np.ndarray:
    """`torch.poisson(rate)`: counts in rate's dtype, drawn in order."""
    if (rate < 0).any() or np.isnan(rate).any():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    gen = _ag.default_generator

    def uniform() -> float:
        return float(gen.uniform(1, np.float64)[0])

    flat = np.ascontiguousarray(rate).reshape(-1).tolist()
    return np.array([_one_poisson(lam, uniform) for lam in flat], dtype=rate.dtype).reshape(rate.shape)


def _stirling_tail(k: float) -> float:
    """log(k!) minus its Stirling approximation (k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2."""
    if k <= 9:
        return math.lgamma(k + 1) - (k + 0.5) * math.log(k + 1) + (k + 1) - 0.5 * math.log(2 * math.pi)
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _binomial_inversion(count: float, prob: float, cast, uniform) -> float:
    """Count geometric waiting times until they pass `count` (for count * prob < 10)."""
    logprob = float(np.log1p(cast(-prob)))
    geom_sum, num = 0.0, 0.0
    while True:
        geom_sum += math.ceil(math.log(uniform()) / logprob)
        if geom_sum > count:
            return num
        num += 1


def _btrs(count: float, prob: float, cast, uniform) -> float:
    """Hormann's transformed rejection with squeeze (BTRS), for count * prob >= 10."""
    stddev = float(np.sqrt(cast(cast(count) * cast(prob)) * cast(1 - cast(prob))))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = float(cast(count) * cast(prob)) + 0.5
    v_r = 0.92 - 4.2 / b
    r = float(cast(prob) / cast(1 - cast(prob)))
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor(float(cast(count + 1) * cast(prob)))
    while True:
        u = uniform() - 0.5
        v = uniform()
        us = 0.5 - abs(u)
        k = float(cast(math.floor((2 * a / us + b) * u + c)))
        if k < 0 or k > count:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = math.log(v * alpha / (a / (us * us) + b))
        bound = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * math.log((count - m + 1) / (count - k + 1))
                 + (k + 0.5) * math.log(r * (count - k + 1) / (k + 1))
                 + _stirling_tail(m) + _stirling_tail(count - m) - _stirling_tail(k) - _stirling_tail(count - k))
        if v <= bound:
            return k


def _one_binomial(count: float, prob: float, cast, uniform) -> float:
    if count <= 0.0 or prob <= 0.0:
        return 0.0
    if prob >= 1.0:
        return count
    if prob <= 0.5:
        draw = _btrs if count * prob >= 10.0 else _binomial_inversion
        return draw(count, prob, cast, uniform)
    if prob > 0.5:
        q = float(cast(1.0 - prob))
        draw = _btrs if float(cast(count * q)) >= 10.0 else _binomial_inversion
        return count - draw(count, q, cast, uniform)
    return math.nan


def binomial(count: np.ndarray, prob: np.ndarray) -> np.ndarray:
    """`torch.binomial(count, prob)`: successes in prob's dtype, drawn in order."""
    gen = _ag.default_generator
    cast = np.float32 if prob.dtype == np.float32 else np.float64

    def uniform() -> float:
        return float(gen.uniform(1, np.float64)[0])

    count, prob = np.broadcast_arrays(count, prob)
    pairs = zip(np.ascontiguousarray(count).reshape(-1).tolist(), np.ascontiguousarray(prob).reshape(-1).tolist(),
                strict=True)
    out = [_one_binomial(n, p, cast, uniform) for n, p in pairs]
    return np.array(out, dtype=prob.dtype).reshape(prob.shape)
