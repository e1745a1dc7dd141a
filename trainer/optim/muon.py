"""Muon: momentum whose update is orthogonalized by Newton-Schulz iterations (2-D parameters only)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ._functional import Arrays, lerp, lerp_
from .optimizer import Optimizer, ParamsT, _to_scalar, _zeros_like

EPS = 1e-7
DEFAULT_NS_COEFFICIENTS = (3.4445, -4.775, 2.0315)
DEFAULT_NS_STEPS = 5


def to_bfloat16(x: np.ndarray) -> np.ndarray:
    """Round to the nearest bfloat16 (ties to even), returned as float32 holding bfloat16 values."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    out = rounded.astype(np.uint32).view(np.float32)
    nan = np.isnan(x)
    if nan.any():
        out = np.where(nan, np.float32(np.nan), out)
    return out


def zeropower_via_newtonschulz(
    grad: np.ndarray, ns_coefficients: tuple[float, float, float], ns_steps: int, eps: float
) -> np.ndarray:
    """Approximately orthogonalize `grad` (U V^T of its SVD) with a quintic Newton-Schulz iteration.

    Like PyTorch, the iteration runs in bfloat16: every matrix product is rounded to bfloat16 once
    (products accumulate in float64 here, in float32 blocks in PyTorch, so very large matrices may
    differ from PyTorch by one bfloat16 unit in a few entries).
    """
    if ns_steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if grad.ndim != 2:
        raise ValueError("Input tensor gradient must be a 2D matrix")
    if len(ns_coefficients) != 3:
        raise ValueError("Coefficients must be a tuple of exactly 3 values")
    a, b, c = (float(v) for v in ns_coefficients)
    x = to_bfloat16(grad).astype(np.float64)
    transposed = grad.shape[0] > grad.shape[1]
    if transposed:
        x = x.T
    norm = to_bfloat16(np.sqrt(np.sum(x * x)))
    x = to_bfloat16(x / to_bfloat16(np.maximum(norm, eps))).astype(np.float64)
    for _ in range(ns_steps):
        gram = to_bfloat16(x @ x.T).astype(np.float64)
        gram_update = to_bfloat16(b * gram + c * (gram @ gram)).astype(np.float64)
        x = to_bfloat16(a * x + gram_update @ x).astype(np.float64)
    return x.T if transposed else x


def adjust_lr(lr: float, adjust_lr_fn: str | None, shape: tuple[int, ...]) -> float:
    """Scale lr by the matrix shape: 'original' sqrt(max(1, A/B)); 'match_rms_adamw' 0.2 sqrt(max(A, B))."""
    rows, cols = shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        ratio = math.sqrt(max(1, rows / cols))
    elif adjust_lr_fn == "match_rms_adamw":
        ratio = 0.2 * math.sqrt(max(rows, cols))
    else:
        ratio = 1.0
    return lr * ratio


class Muon(Optimizer):
    """`torch.optim.Muon` for 2-D parameters (use another optimizer for biases and embeddings)."""

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        weight_decay: float = 0.1,
        momentum: float = 0.95,
        nesterov: bool = True,
        ns_coefficients: tuple[float, float, float] = DEFAULT_NS_COEFFICIENTS,
        eps: float = EPS,
        ns_steps: int = DEFAULT_NS_STEPS,
        adjust_lr_fn: str | None = None,
    ) -> None:
        if not 0.0 <= _to_scalar(lr):
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ("original", "match_rms_adamw"):
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = {"lr": lr, "weight_decay": weight_decay, "momentum": momentum, "nesterov": nesterov,
                    "ns_coefficients": tuple(ns_coefficients), "eps": eps, "ns_steps": ns_steps,
                    "adjust_lr_fn": adjust_lr_fn}
        super().__init__(params, defaults)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        super().add_param_group(param_group)
        self._check_2d(self.param_groups[-1])

    @staticmethod
    def _check_2d(group: dict[str, Any]) -> None:
        for p in group["params"]:
            if p.ndim != 2:
                raise ValueError(
                    f"Muon only supports 2D parameters whereas we found a parameter with size: {tuple(p.shape)}"
                )

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, momentum_buffers = [], [], []
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad._array
                if grad.ndim != 2:
                    raise ValueError("Param gradient must be a 2D matrix")
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = _zeros_like(p)
                params.append(p._array)
                grads.append(grad)
                momentum_buffers.append(state["momentum_buffer"]._array)
            _single_tensor_muon(params, grads, momentum_buffers, lr=float(_to_scalar(group["lr"])),
                                weight_decay=float(group["weight_decay"]), momentum=float(group["momentum"]),
                                nesterov=group["nesterov"], ns_coefficients=group["ns_coefficients"],
                                ns_steps=group["ns_steps"], eps=float(group["eps"]),
                                adjust_lr_fn=group["adjust_lr_fn"])
        return loss


def _single_tensor_muon(params: Arrays, grads: Arrays, momentum_buffers: Arrays, *, lr: float, weight_decay: float,
                        momentum: float, nesterov: bool, ns_coefficients: tuple[float, float, float], ns_steps: int,
                        eps: float, adjust_lr_fn: str | None) -> None:
    """Muon's update of each 2-D parameter in place: decoupled decay, then a step along orthogonalized momentum."""
    for i, param in enumerate(params):
        grad = grads[i]
        buf = lerp_(momentum_buffers[i], grad, 1 - momentum)
        update = lerp(grad, buf, momentum) if nesterov else buf
        ortho = zeropower_via_newtonschulz(update, ns_coefficients, ns_steps, eps)
        adjusted_lr = adjust_lr(lr, adjust_lr_fn, param.shape)
        param *= 1 - lr * weight_decay
        param += -adjusted_lr * ortho.astype(param.dtype)
