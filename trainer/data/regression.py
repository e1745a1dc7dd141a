"""Synthetic regression data: `linear` (the seed article's), `polynomial`, `sine`.

Every generator takes the data generator first and draws from nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import UserError
from .raw import Raw, check_size


def _range(x_range: Sequence[float], key: str) -> tuple[float, float]:
    low, high = (float(v) for v in x_range)
    if not low < high:
        raise UserError(f"expected [low, high] with low < high, got {list(x_range)}", key=f"data.{key}")
    return low, high


def _linear_weights(weights: Sequence | None, d_in: int | None) -> tuple[np.ndarray | None, int]:
    """Weights as a `(d_in, d_out)` array (None when omitted) and the input width."""
    if weights is None:
        return None, 1 if d_in is None else d_in
    try:
        w = np.asarray(weights, dtype=np.float64)
    except (ValueError, TypeError):
        w = np.zeros((0,))
    if w.ndim == 1:
        w = w[:, None]
    if w.ndim != 2 or w.size == 0:
        raise UserError("expected a list of d_in numbers or a d_in x d_out list of lists", key="data.weights")
    if d_in is not None and w.shape[0] != d_in:
        raise UserError(f"{w.shape[0]} weights given for d_in={d_in} inputs", key="data.weights",
                        hint="give one weight per input (or a d_in x d_out list), or drop d_in")
    return w, w.shape[0]


def linear(rng: np.random.Generator, n: int = 100, d_in: int | None = None, d_out: int | None = None,
           weights: list[float] | list[list[float]] | None = None, bias: float | list[float] = 0.0,
           noise: float = 1.0) -> Raw:
    """x ~ N(0, 1) of shape (n, d_in); y = x @ weights + bias + noise * N(0, 1). x is drawn first, then the noise.

    `d_in` defaults to the number of weights (1 without weights); `d_out` to the weights' columns (1).
    Omitted weights are drawn from N(0, 1) after x and the noise, so x and the noise do not depend on them.
    """
    w, d_in = _linear_weights(weights, d_in)
    if w is not None and d_out is not None and w.shape[1] != d_out:
        raise UserError(f"weights have {w.shape[1]} output columns but d_out={d_out}", key="data.d_out")
    d_out = w.shape[1] if w is not None else (1 if d_out is None else d_out)
    try:
        b = np.asarray(bias, dtype=np.float64).reshape(-1)
    except (ValueError, TypeError):
        raise UserError("expected a number or a list of d_out numbers", key="data.bias") from None
    if b.size not in (1, d_out):
        raise UserError(f"expected one bias or d_out={d_out} of them, got {b.size}", key="data.bias")
    check_size(n, d_in + d_out)
    x = rng.standard_normal((n, d_in))
    eps = rng.standard_normal((n, d_out))
    if w is None:
        w = rng.standard_normal((d_in, d_out))
    return Raw(x, x @ w + b + noise * eps)


def polynomial(rng: np.random.Generator, n: int = 100, coefficients: list[float] = (0.0, -1.0, 0.0, 0.5),
               x_range: tuple[float, float] = (-2.0, 2.0), noise: float = 0.1) -> Raw:
    """x ~ U(x_range) of shape (n, 1); y = sum_k coefficients[k] * x**k + noise * N(0, 1) (lowest degree first)."""
    if len(coefficients) == 0:
        raise UserError("expected at least one coefficient", key="data.coefficients")
    low, high = _range(x_range, "x_range")
    check_size(n, 2)
    x = rng.uniform(low, high, (n, 1))
    eps = rng.standard_normal((n, 1))
    return Raw(x, np.polynomial.polynomial.polyval(x, np.asarray(coefficients, dtype=np.float64)) + noise * eps)


def sine(rng: np.random.Generator, n: int = 200, x_range: tuple[float, float] = (-3.0, 3.0),
         amplitude: float = 1.0, frequency: float = 1.0, phase: float = 0.0, noise: float = 0.1) -> Raw:
    """x ~ U(x_range) of shape (n, 1); y = amplitude * sin(frequency * x + phase) + noise * N(0, 1)."""
    low, high = _range(x_range, "x_range")
    check_size(n, 2)
    x = rng.uniform(low, high, (n, 1))
    eps = rng.standard_normal((n, 1))
    return Raw(x, amplitude * np.sin(frequency * x + phase) + noise * eps)
