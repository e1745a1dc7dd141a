"""Prodigy (Mishchenko & Defazio 2024, "Prodigy: An Expeditiously Adaptive Parameter-Free Learner"), as prodigyopt
computes it."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import Tensor, from_numpy, no_grad
from .optimizer import Optimizer, ParamsT, _to_scalar, _zeros_like

DIFFERENT_LRS = "Setting different lr values in different parameter groups is only supported for values of 0"


class Prodigy(Optimizer):
    """Adam whose step size d is estimated from the distance travelled: lr is a multiplier (1.0), no tuning.

    prodigyopt's `Prodigy`. Every group must share one lr (or have lr 0: frozen); a scheduler scales it
    as it would Adam's lr, which is how warm-up and decay are done. The estimate d lives in every group
    (`d`, `d_max`, `d_numerator`, ...), per-parameter state in `s`, `p0` and the Adam moments.
    `fsdp_in_use=True` sums the estimates over a single process here (no distributed training).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1.0,
        betas: tuple[float, float] = (0.9, 0.999),
        beta3: float | None = None,
        eps: float = 1e-8,
        weight_decay: float = 0,
        decouple: bool = True,
        use_bias_correction: bool = False,
        safeguard_warmup: bool = False,
        d0: float = 1e-6,
        d_coef: float = 1.0,
        growth_rate: float = math.inf,
        fsdp_in_use: bool = False,
        slice_p: int = 1,
    ) -> None:
        for name, value in (("d0", d0), ("learning rate", lr), ("epsilon", eps)):
            if not 0.0 < _to_scalar(value):
                raise ValueError(f"Invalid {name} value: {value}" if name != "learning rate"
                                 else f"Invalid learning rate: {value}")
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        self.d0 = d0
        defaults = {"lr": lr, "betas": tuple(betas), "beta3": beta3, "eps": eps, "weight_decay": weight_decay,
                    "d": d0, "d0": d0, "d_max": d0, "d_numerator": 0.0, "d_coef": d_coef, "k": 0,
                    "growth_rate": growth_rate, "use_bias_correction": use_bias_correction, "decouple": decouple,
                    "safeguard_warmup": safeguard_warmup, "fsdp_in_use": fsdp_in_use, "slice_p": slice_p}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Prodigy step: update the moments and the estimate of d, then an Adam step of size d * lr."""
        loss = self._evaluate(closure)
        first = self.param_groups[0]
        beta1, beta2 = (float(b) for b in first["betas"])
        beta3 = math.sqrt(beta2) if first["beta3"] is None else float(first["beta3"])
        k = first["k"]
        d, d_max = first["d"], first["d_max"]
        lr = max(float(_to_scalar(g["lr"])) for g in self.param_groups)
        bias_correction = 1.0
        if first["use_bias_correction"]:
            bias_correction = ((1 - beta2 ** (k + 1)) ** 0.5) / (1 - beta1 ** (k + 1))
        dlr = d * lr * bias_correction
        d_numerator = first["d_numerator"] * beta3
        delta_numerator, d_denom = 0.0, 0.0
        grads: dict[int, np.ndarray] = {}  # gradients with coupled weight decay, reused by the step with beta1 = 0
        for group in self.param_groups:
            decay, group_lr, d0 = group["weight_decay"], float(_to_scalar(group["lr"])), group["d0"]
            if group_lr not in (lr, 0.0):
                raise RuntimeError(DIFFERENT_LRS)
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad._array
                if decay != 0 and not first["decouple"]:
                    grad = grad + p._array * decay
                grads[id(p)] = grad
                state = self.state[p]
                if "step" not in state:
                    self._init_state(state, p, group["slice_p"], beta1)
                if group_lr > 0.0:
                    delta_numerator, denom_part = _accumulate(
                        p._array, grad, state, delta_numerator, d=d, d0=d0, dlr=dlr, beta1=beta1, beta2=beta2,
                        beta3=beta3, slice_p=group["slice_p"], safeguard_warmup=group["safeguard_warmup"])
                    d_denom += denom_part
        fsdp = first["fsdp_in_use"]
        if d_denom == 0 and not fsdp:
            return loss
        d_hat = d
        global_numerator, global_denom = d_numerator + delta_numerator, d_denom  # one process: the sums are local
        if lr > 0.0:
            d_hat = first["d_coef"] * global_numerator / global_denom
            if d == first["d0"]:
                d = max(d, d_hat)
            d_max = max(d_max, d_hat)
            d = min(d_max, d * first["growth_rate"])
        for group in self.param_groups:
            group.update(d_numerator=global_numerator, d_denom=global_denom, d=d, d_max=d_max, d_hat=d_hat)
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                state["step"] += 1
                _prodigy_step(p._array, grads[id(p)], state, d=d, dlr=dlr, eps=group["eps"], beta1=beta1,
                              decay=group["weight_decay"] if first["decouple"] else 0.0)
            group["k"] = group["k"] + 1
        return loss

    @staticmethod
    def _init_state(state: dict[str, Any], p: Tensor, slice_p: int, beta1: float) -> None:
        """A parameter's first state: step 0, s, p0 (a 0-d zero when the parameter is all zeros), the moments."""
        state["step"] = 0
        flat = p._array.reshape(-1)[::slice_p]
        state["s"] = from_numpy(np.zeros_like(flat))
        state["p0"] = from_numpy(flat.copy() if p._array.any() else np.zeros((), p._array.dtype))
        if beta1 > 0:
            state["exp_avg"] = _zeros_like(p)
        state["exp_avg_sq"] = _zeros_like(p)


def _accumulate(param: np.ndarray, grad: np.ndarray, state: dict[str, Any], delta_numerator: float, *, d: float,
                d0: float, dlr: float, beta1: float, beta2: float, beta3: float, slice_p: int,
                safeguard_warmup: bool) -> tuple[float, float]:
    """Update one parameter's moments and s; return the new d numerator sum and its part of the denominator."""
    sliced_grad = grad.reshape(-1)[::slice_p]
    p0 = state["p0"]._array
    delta_numerator += (d / d0) * dlr * float(np.dot(sliced_grad, p0 - param.reshape(-1)[::slice_p]))
    if beta1 > 0:
        exp_avg = state["exp_avg"]._array
        exp_avg *= beta1
        exp_avg += grad * (d * (1 - beta1))
    exp_avg_sq = state["exp_avg_sq"]._array
    exp_avg_sq *= beta2
    exp_avg_sq += (grad * (d * d * (1 - beta2))) * grad
    s = state["s"]._array
    s *= beta3
    s += sliced_grad * ((d / d0) * d if safeguard_warmup else (d / d0) * dlr)
    return delta_numerator, float(np.abs(s).sum())


def _prodigy_step(param: np.ndarray, grad: np.ndarray, state: dict[str, Any], *, d: float, dlr: float, eps: float,
                  beta1: float, decay: float) -> None:
    """The Adam step of one parameter with step size dlr (decoupled weight decay first)."""
    denom = np.sqrt(state["exp_avg_sq"]._array) + d * eps
    if decay != 0:
        param += param * (-decay * dlr)
    if beta1 > 0:
        param += (state["exp_avg"]._array * -dlr) / denom
    else:
        param += (grad * (-dlr * d)) / denom
