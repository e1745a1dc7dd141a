"""Pieces shared by the optimizers whose reference is pytorch_optimizer: its validation, weight decay,
bias corrections, RAdam rectification, AMSBound, AdaNorm and cautious masking, on numpy arrays.

Those optimizers keep the step count in each parameter group (`group["step"]`, an int) rather than
per parameter, and put options given as extra keyword arguments in `param_groups` only when given.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd import Tensor, from_numpy

Group = dict[str, Any]


# ----- validation (the reference's messages) ---------------------------------------------------
def check_lr(lr: Any) -> None:
    lr = lr.item() if isinstance(lr, Tensor) else lr
    if lr is not None and lr < 0.0:
        raise ValueError(f"learning rate must be non-negative: {lr}")


def check_non_negative(**values: float | None) -> None:
    for name, value in values.items():
        if value is not None and value < 0.0:
            raise ValueError(f"{name} must be non-negative")


def check_positive(**values: float) -> None:
    for name, value in values.items():
        if value <= 0:
            raise ValueError(f"{name} must be positive")


def check_range(value: float, name: str, low: float, high: float, closed_high: bool = False) -> None:
    if not (low <= value <= high if closed_high else low <= value < high):
        raise ValueError(f"{name} must be in the range [{low}, {high}{']' if closed_high else ')'}")


def check_options(value: str, name: str, options: list[str]) -> None:
    if value not in options:
        raise ValueError(f"{name} {value} must be one of ({' or '.join(repr(o) for o in options)})")


def check_betas(betas: tuple[float, ...]) -> None:
    """beta1 and beta2 in [0, 1) (beta1 may be None), a third in [0, 1]."""
    if betas[0] is not None:
        check_range(betas[0], "beta1", 0.0, 1.0)
    check_range(betas[1], "beta2", 0.0, 1.0)
    if len(betas) > 2 and betas[2] is not None:
        check_range(betas[2], "beta3", 0.0, 1.0, closed_high=True)


# ----- state -----------------------------------------------------------------------------------
def zeros_like(p: Tensor) -> Tensor:
    return from_numpy(np.zeros_like(p._array))


def scalar(value: float | np.ndarray, like: np.ndarray) -> Tensor:
    """A 0-d tensor in `like`'s dtype (the reference keeps norms and ratios as 0-d tensors)."""
    return from_numpy(np.array(value, dtype=like.dtype))


def next_step(group: Group) -> int:
    """`group["step"] += 1` (created at 0 on the first step); returns the new count."""
    group["step"] = group.get("step", 0) + 1
    return group["step"]


def extras(**given: Any) -> dict[str, Any]:
    """The optional keyword options that are not at their defaults (the reference stores only those)."""
    return {k: v for k, (v, default) in given.items() if v != default}


# ----- update pieces ---------------------------------------------------------------------------
def debias(beta: float, step: int) -> float:
    """1 - beta ** step."""
    return 1.0 - math.pow(beta, step)


def weight_decay_(param: np.ndarray, grad: np.ndarray | None, lr: float, weight_decay: float,
                  weight_decouple: bool, fixed_decay: bool) -> np.ndarray | None:
    """Decoupled decay shrinks `param` in place; coupled decay returns grad + wd * param (None stays None)."""
    if weight_decay == 0.0:
        return grad
    if weight_decouple:
        param *= 1.0 - weight_decay * (1.0 if fixed_decay else lr)
    elif weight_decay > 0.0 and grad is not None:
        return grad + weight_decay * param
    return grad


def rectified_step_size(rectify: bool, step: int, lr: float, beta2: float, n_sma_threshold: int,
                        degenerated_to_sgd: bool) -> tuple[float, float]:
    """RAdam's (step size, length of the approximated SMA); -lr when neither rectified nor SGD-like."""
    if not rectify:
        return lr, 0.0
    n_sma_max = 2.0 / (1.0 - beta2) - 1.0
    beta2_t = beta2**step
    n_sma = n_sma_max - 2 * step * beta2_t / (1.0 - beta2_t)
    if n_sma >= n_sma_threshold:
        rt = math.sqrt((1.0 - beta2_t) * (n_sma - 4) / (n_sma_max - 4) * (n_sma - 2) / n_sma * n_sma_max
                       / (n_sma_max - 2))
    else:
        rt = 1.0 if degenerated_to_sgd else -1.0
    return lr * rt, n_sma


def ams_denominator(ams_bound: bool, exp_avg_sq: np.ndarray, max_exp_avg_sq: np.ndarray | None, eps: float,
                    exp_avg_sq_eps: float = 1e-15) -> np.ndarray:
    """sqrt(v + exp_avg_sq_eps) + eps, v the running maximum (updated in place) under AMSBound."""
    if ams_bound:
        np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
        exp_avg_sq = max_exp_avg_sq
    denom = np.sqrt(exp_avg_sq + exp_avg_sq_eps)
    denom += eps
    return denom


def adanorm_grad(grad: np.ndarray, exp_grad_norm: np.ndarray | None, r: float | None) -> np.ndarray:
    """AdaNorm: a gradient whose norm is below its running average is scaled up to it (average updated)."""
    if exp_grad_norm is None:
        return grad
    r = 0.95 if r is None else r
    norm = float(np.linalg.norm(grad))
    exp_grad_norm *= r
    exp_grad_norm += (1.0 - r) * norm
    if norm > 0 and float(exp_grad_norm[0]) > norm:
        return grad * float(exp_grad_norm[0]) / norm
    return grad


def cautious_(update: np.ndarray, grad: np.ndarray) -> None:
    """Zero the entries of `update` whose sign disagrees with the gradient, rescaling the others."""
    mask = (update * grad > 0).astype(grad.dtype)
    mask *= mask.size / (mask.sum() + 1)
    update *= mask


def global_clip_scale(groups: list[Group], max_grad_norm: float, eps: float) -> float:
    """min(max_grad_norm / (‖g‖ + eps), 1) over all gradients, with the reference's float32 norm."""
    if max_grad_norm == 0.0:
        return 1.0
    norms = [np.float32(np.linalg.norm(p.grad._array)) for g in groups for p in g["params"] if p.grad is not None]
    squared = np.float32(0.0)
    for n in norms:  # the reference stacks float32 norms and sums their squares in float32
        squared = np.float32(squared + np.float32(n * n))
    total = np.float32(np.sqrt(squared)) + np.float32(eps)
    return float(min(np.float32(np.float32(max_grad_norm) / np.float32(total)), np.float32(1.0)))
