"""Optional multi-threaded kernels (numba) for the hot elementwise paths, bit-identical to numpy's.

Each function either does the work with a compiled loop and says so (True / the result), or leaves it to
the numpy path, which stays the reference: below `dispatch.MIN_SIZE` elements, with
`TRAINER_KERNELS=numpy`, without numba (`pip install 'trainer[fast]'`), or for layouts the loops do not
take (non-contiguous or mixed-dtype arrays).
"""

from __future__ import annotations

import numpy as np

from ..plain import grad_where
from .dispatch import MIN_SIZE, NUMPY_BELOW, kernels_for, mode, reset

__all__ = ["MIN_SIZE", "NUMPY_BELOW", "adam_update", "bias_add_", "mode", "relu", "relu_backward", "reset",
           "sgd_momentum_update"]

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _flat(arrays: tuple[np.ndarray, ...]) -> list[np.ndarray] | None:
    """1-D views of same-shape, same-dtype, C-contiguous float arrays, or None when they are not."""
    first = arrays[0]
    if first.dtype not in _FLOATS:
        return None
    for a in arrays:
        if a.dtype != first.dtype or a.shape != first.shape or not a.flags.c_contiguous:
            return None
    return [a.reshape(-1) for a in arrays]


def adam_update(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray,
                max_sq: np.ndarray | None, consts: tuple[np.ndarray, ...], two_sided: bool) -> bool:
    """One Adam update in place (`optim.adam._fused_adam` after weight decay); True when done here.

    `consts` are the update's 0-d constants (c_lerp, c_beta2, c_sq, c_bc2, c_eps, c_step) of the
    parameter's dtype; `max_sq` is the AMSGrad state or None.
    """
    jit = kernels_for(param.size)
    if jit is None:
        return False
    arrays = (param, grad, exp_avg, exp_avg_sq) + (() if max_sq is None else (max_sq,))
    flat = _flat(arrays)
    if flat is None or any(c.dtype != param.dtype for c in consts):
        return False
    p, g, m, v = flat[:4]
    jit.adam(p, g, m, v, p if max_sq is None else flat[4], max_sq is not None, bool(two_sided),
             *(c[()] for c in consts))
    return True


def sgd_momentum_update(param: np.ndarray, grad: np.ndarray, buf: np.ndarray, c_momentum: np.ndarray,
                        c_damp: np.ndarray | None, c_lr: np.ndarray) -> bool:
    """buf = buf * momentum + grad (* (1 - dampening) when given); param += buf * -lr. True when done here."""
    jit = kernels_for(param.size)
    if jit is None:
        return False
    flat = _flat((param, grad, buf))
    consts = (c_momentum, c_lr) if c_damp is None else (c_momentum, c_lr, c_damp)
    if flat is None or any(c.dtype != param.dtype for c in consts):
        return False
    jit.sgd_momentum(*flat, c_momentum[()], (c_lr if c_damp is None else c_damp)[()], c_damp is not None,
                     c_lr[()])
    return True


def relu(x: np.ndarray, zero: np.ndarray) -> np.ndarray:
    """np.maximum(x, zero), `zero` a 0-d zero of x's dtype."""
    jit = kernels_for(x.size)
    flat = None if jit is None or zero.dtype != x.dtype else _flat((x,))
    if flat is None:
        return np.maximum(x, zero)
    out = np.empty_like(x)
    jit.relu(flat[0], out.reshape(-1), zero[()])
    return out


def relu_backward(g: np.ndarray, out: np.ndarray, zero: np.ndarray) -> np.ndarray:
    """ReLU's gradient, PyTorch's `threshold_backward(g, out, 0)`: +0 where out <= 0, else g (`plain.grad_where`),
    `out` the forward's result. As out = max(x, 0) is >= 0 or NaN, `out != zero` is that test in one pass
    (a NaN input passes its gradient)."""
    jit = kernels_for(g.size)
    flat = None if jit is None or zero.dtype != g.dtype else _flat((g, out))
    if flat is None:
        return grad_where(out != zero, g)
    grad = np.empty_like(g)
    jit.relu_backward(flat[0], flat[1], grad.reshape(-1), zero[()])
    return grad


def bias_add_(out: np.ndarray, bias: np.ndarray) -> bool:
    """out += bias for a C-ordered 2-D `out` and its row-wide 1-D `bias`; True when done here."""
    jit = kernels_for(out.size)
    if (jit is None or out.ndim != 2 or bias.shape != out.shape[1:] or out.dtype != bias.dtype
            or out.dtype not in _FLOATS or not out.flags.c_contiguous or not bias.flags.c_contiguous):
        return False
    jit.bias_add(out.reshape(-1), bias, out.shape[0], out.shape[1])
    return True
