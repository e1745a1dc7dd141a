"""The error function for numpy arrays, accurate to float64 rounding.

numpy has no erf; this evaluates W. J. Cody's rational Chebyshev approximations
("Rational Chebyshev approximations for the error function", Math. Comp. 23, 1969), the ones
behind SPECFUN's CALERF: erf = x P(x^2)/Q(x^2) for |x| <= 0.46875, and erfc = exp(-x^2) R(x) on
(0.46875, 4] and beyond 4, with the exponential split to keep full precision.
"""

from __future__ import annotations

import numpy as np

_THRESH = 0.46875
_XBIG = 26.543  # erfc underflows to 0 in float64 beyond this
_SQRPI = 5.6418958354775628695e-1  # 1/sqrt(pi)

_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03,
      1.85777706184603153e-1)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03)
_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
      8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
      2.15311535474403846e-8)
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
      3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03)
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
      6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1, 6.05183413124413191e-2,
      2.33520497626869185e-3)


def _erf_small(x: np.ndarray) -> np.ndarray:
    """erf(x) for |x| <= 0.46875."""
    z = x * x
    num = _A[4] * z
    den = z
    for i in range(3):
        num = (num + _A[i]) * z
        den = (den + _B[i]) * z
    return x * (num + _A[3]) / (den + _B[3])


def _exp_neg_square(y: np.ndarray) -> np.ndarray:
    """exp(-y^2) without losing the low bits of y^2 (Cody's split at multiples of 1/16)."""
    head = np.trunc(y * 16.0) / 16.0
    tail = (y - head) * (y + head)
    return np.exp(-head * head) * np.exp(-tail)


def _erfc_medium(y: np.ndarray) -> np.ndarray:
    """erfc(y) for 0.46875 < y <= 4."""
    num = _C[8] * y
    den = y
    for i in range(7):
        num = (num + _C[i]) * y
        den = (den + _D[i]) * y
    return _exp_neg_square(y) * (num + _C[7]) / (den + _D[7])


def _erfc_large(y: np.ndarray) -> np.ndarray:
    """erfc(y) for y > 4 (0 beyond the float64 underflow point)."""
    z = 1.0 / (y * y)
    num = _P[5] * z
    den = z
    for i in range(4):
        num = (num + _P[i]) * z
        den = (den + _Q[i]) * z
    r = z * (num + _P[4]) / (den + _Q[4])
    out = _exp_neg_square(np.minimum(y, _XBIG)) * (_SQRPI - r) / y
    return np.where(y >= _XBIG, 0.0, out)


def erfc_abs(y: np.ndarray) -> np.ndarray:
    """erfc(y) for y >= 0 (float64)."""
    out = np.empty_like(y)
    medium = y <= 4.0
    out[medium] = _erfc_medium(y[medium])
    large = ~medium
    out[large] = _erfc_large(y[large])
    return out


def erf(x: np.ndarray) -> np.ndarray:
    """Elementwise erf, computed in float64 and returned in `x`'s floating dtype."""
    x = np.asarray(x)
    x64 = x.astype(np.float64, copy=False)
    y = np.abs(x64)
    out = np.empty_like(x64)
    small = y <= _THRESH
    out[small] = _erf_small(x64[small])
    rest = ~small
    out[rest] = np.copysign(1.0 - erfc_abs(y[rest]), x64[rest])
    return out.astype(x.dtype if x.dtype.kind == "f" else np.float64, copy=False)


def erfc(x: np.ndarray) -> np.ndarray:
    """Elementwise erfc, computed in float64 and returned in `x`'s floating dtype (full precision in the upper
    tail, where 1 - erf(x) would cancel)."""
    x = np.asarray(x)
    x64 = x.astype(np.float64, copy=False)
    y = np.abs(x64)
    out = np.empty_like(x64)
    small = y <= _THRESH
    out[small] = 1.0 - _erf_small(x64[small])
    rest = ~small
    tail = erfc_abs(y[rest])
    out[rest] = np.where(x64[rest] < 0, 2.0 - tail, tail)
    return out.astype(x.dtype if x.dtype.kind == "f" else np.float64, copy=False)
