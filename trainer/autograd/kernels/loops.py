"""The kernels' element loops in plain Python, compiled by numba on first use (`dispatch.compiled`).

Each loop repeats, element by element, the exact sequence of roundings the numpy path it replaces makes
(one IEEE operation per ufunc, in the same order, on operands of the array's dtype), so the results are
bit-identical: numba compiles without fastmath, so LLVM neither contracts a*b+c into an FMA nor
reorders. `prange` is `range` here; `dispatch` binds it to `numba.prange` before compiling. Every
element is written by exactly one iteration, so the result does not depend on the number of threads.
"""

from __future__ import annotations

import numpy as np

prange = range  # numba.prange once compiled (see the module docstring)


def adam(param, grad, exp_avg, exp_avg_sq, max_sq, amsgrad, two_sided, c_lerp, c_beta2, c_sq, c_bc2, c_eps,
         c_step):  # pragma: no cover - runs compiled
    """`optim.adam._fused_adam`'s ufunc sequence for one parameter, in one pass over 1-D arrays."""
    for i in prange(param.size):
        g = grad[i]
        buf = (g - exp_avg[i]) * c_lerp  # lerp_
        m = g - buf if two_sided else exp_avg[i] + buf
        exp_avg[i] = m
        v = exp_avg_sq[i] * c_beta2 + (g * c_sq) * g  # addcmul_
        exp_avg_sq[i] = v
        if amsgrad:
            ms = max_sq[i]
            if not (ms >= v or ms != ms):  # np.maximum(max_sq, v): NaN from either side
                ms = v
            max_sq[i] = ms
            v = ms
        param[i] = param[i] + (m * c_step) / (np.sqrt(v) / c_bc2 + c_eps)


def sgd_momentum(param, grad, buf, c_momentum, c_damp, damped, c_lr):  # pragma: no cover - runs compiled
    """`optim.sgd._fused_sgd` with a momentum buffer and no Nesterov term, in one pass."""
    for i in prange(param.size):
        g = grad[i]
        b = buf[i] * c_momentum + (g * c_damp if damped else g)
        buf[i] = b
        param[i] = param[i] + b * c_lr


def relu(x, out, zero):  # pragma: no cover - runs compiled
    """np.maximum(x, zero): NaN stays NaN, -0.0 becomes zero (numpy returns the second operand on ties)."""
    for i in prange(x.size):
        v = x[i]
        out[i] = v if (v > zero or v != v) else zero


def relu_backward(g, out, grad, zero):  # pragma: no cover - runs compiled
    """g where out != zero (out > 0 or NaN), else the (+0) zero, as `kernels.relu_backward`'s numpy path."""
    for i in prange(g.size):
        grad[i] = g[i] if out[i] != zero else zero


def bias_add(out, bias, rows, cols):  # pragma: no cover - runs compiled
    """out += bias over the rows of a C-ordered (rows, cols) array, in place."""
    for r in prange(rows):
        base = r * cols
        for j in range(cols):
            out[base + j] = out[base + j] + bias[j]
