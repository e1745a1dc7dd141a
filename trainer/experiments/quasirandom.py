"""Seeded quasirandom points in the unit cube: a scrambled Halton sequence, in numpy.

Dimension d uses the d-th prime as its base; every digit position of every dimension gets its own
random permutation of the base's digits (drawn from `seed`), which breaks the correlations plain
Halton shows between high bases while keeping the low discrepancy. Points lie strictly inside (0, 1).
"""

from __future__ import annotations

import math

import numpy as np

_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53)


def halton(n: int, dims: int, seed: int = 0) -> np.ndarray:
    """`n` scrambled Halton points in [0, 1)^dims, shape (n, dims); the same seed gives the same points."""
    if dims > len(_PRIMES):
        raise ValueError(f"at most {len(_PRIMES)} dimensions, got {dims}")
    rng = np.random.default_rng(seed)
    out = np.zeros((n, dims))
    for d in range(dims):
        base = _PRIMES[d]
        digits = max(1, math.ceil(52 / math.log2(base)))  # enough digits to fill a double
        perms = [rng.permutation(base) for _ in range(digits)]
        for i in range(n):
            k, value, scale = i + 1, 0.0, 1.0 / base
            for perm in perms:
                value += perm[k % base] * scale
                k //= base
                scale /= base
            out[i, d] = value
    return out


def grid(n: int) -> np.ndarray:
    """`n` evenly spaced points from 0 to 1, both ends included (one point: the middle)."""
    return np.array([0.5]) if n == 1 else np.linspace(0.0, 1.0, n)
