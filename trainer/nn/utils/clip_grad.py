"""Gradient clipping by total norm or by value, as `torch.nn.utils` does it."""

from __future__ import annotations

import types
import warnings
from collections.abc import Iterable

import numpy as np

from ...autograd import Tensor, from_numpy, get_default_dtype

TensorOrTensors = Tensor | Iterable[Tensor]


def _as_list(tensors: TensorOrTensors) -> list[Tensor]:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _vector_norm(a: np.ndarray, norm_type: float) -> np.ndarray:
    """`torch.linalg.vector_norm` of a whole array, as a 0-d array of its dtype."""
    x = np.abs(a.reshape(-1))
    if norm_type == np.inf:
        out = x.max() if x.size else np.zeros((), a.dtype)
    elif norm_type == -np.inf:
        out = x.min() if x.size else np.array(np.inf, a.dtype)
    elif norm_type == 0:
        out = np.count_nonzero(x)
    elif norm_type == 1:
        out = x.sum()
    elif norm_type == 2:
        out = np.sqrt(np.sum(x * x))
    else:
        out = np.sum(x**norm_type) ** (1.0 / norm_type)
    return np.asarray(out, dtype=a.dtype)


def get_total_norm(
    tensors: TensorOrTensors, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach: bool | None = None
) -> Tensor:
    """The `norm_type` norm of the norms of `tensors` (the norm of all their values as one vector)."""
    arrays = [t._array for t in _as_list(tensors)]
    norm_type = float(norm_type)
    if not arrays:
        return from_numpy(np.array(0.0, dtype=get_default_dtype()))
    norms = [_vector_norm(a, norm_type) for a in arrays]
    total = _vector_norm(np.stack(norms), norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it cannot be "
            "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`"
        )
    return from_numpy(total)


def clip_grads_with_norm_(
    parameters: TensorOrTensors, max_norm: float, total_norm: Tensor, foreach: bool | None = None
) -> None:
    """Scale the gradients in place by min(1, max_norm / (total_norm + 1e-6))."""
    grads = [p.grad._array for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    norm = total_norm._array if isinstance(total_norm, Tensor) else np.asarray(total_norm)
    clip_coef = np.minimum(float(max_norm) / (norm + 1e-6), 1.0)
    with np.errstate(invalid="ignore"):  # a non-finite norm gives NaN gradients, silently as in PyTorch
        for g in grads:
            g *= clip_coef.astype(g.dtype)


def clip_grad_norm_(
    parameters: TensorOrTensors,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Clip the gradients of `parameters` so their total norm is at most `max_norm`; returns the total norm.

    `norm_type` may be `float('inf')`. `foreach` is accepted for PyTorch compatibility and ignored.
    """
    is_generator = isinstance(parameters, types.GeneratorType)
    params = _as_list(parameters)
    if is_generator and not params:
        warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=2)
    grads = [p.grad for p in params if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite)
    clip_grads_with_norm_(params, max_norm, total_norm)
    return total_norm


def clip_grad_value_(parameters: TensorOrTensors, clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient value of `parameters` into [-clip_value, clip_value] in place."""
    clip_value = float(clip_value)
    for p in _as_list(parameters):
        if p.grad is not None:
            np.clip(p.grad._array, -clip_value, clip_value, out=p.grad._array)
