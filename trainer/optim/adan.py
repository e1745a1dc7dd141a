"""Adan: adaptive Nesterov momentum from gradient differences (pytorch_optimizer's `Adan`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from . import _pytorch_optimizer as po
from ._functional import lerp_
from .optimizer import Optimizer, ParamsT, _to_scalar


class Adan(Optimizer):
    """Nesterov-style moments of the gradient and of its step-to-step change (Xie et al. 2022).

    pytorch_optimizer's `Adan`: global gradient clipping (`max_grad_norm`), decoupled or proximal weight
    decay, and its optional extras AdaNorm and gradient centralization (`use_gc`).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float, float] = (0.98, 0.92, 0.99),
        weight_decay: float = 0.0,
        weight_decouple: bool = False,
        max_grad_norm: float = 0.0,
        foreach: bool | None = None,
        eps: float = 1e-8,
        maximize: bool = False,
        *,
        adanorm: bool = False,
        adanorm_r: float | None = None,
        use_gc: bool = False,
    ) -> None:
        po.check_lr(lr)
        po.check_betas(betas)
        po.check_non_negative(weight_decay=weight_decay, max_grad_norm=max_grad_norm, eps=eps)
        self.max_grad_norm = max_grad_norm
        self.maximize = maximize
        self.foreach = foreach
        defaults = {"lr": lr, "betas": tuple(betas), "weight_decay": weight_decay,
                    "weight_decouple": weight_decouple, "max_grad_norm": max_grad_norm, "foreach": foreach,
                    "eps": eps,
                    **po.extras(adanorm=(adanorm, False), adanorm_r=(adanorm_r, None), use_gc=(use_gc, False))}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adan step for every parameter with a gradient."""
        loss = self._evaluate(closure)
        clip = po.global_clip_scale(self.param_groups, self.defaults["max_grad_norm"], self.defaults["eps"])
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                if p.grad is not None and len(state) == 0:
                    for key in ("exp_avg", "exp_avg_sq", "exp_avg_diff"):
                        state[key] = po.zeros_like(p)
                    state["previous_grad"] = po.scalar(p.grad._array * -clip, p._array)  # the first difference is 0
                    if group.get("adanorm"):
                        state["exp_grad_adanorm"] = po.scalar(np.zeros(1), p._array)
            step = po.next_step(group)
            self._update(group, step, clip)
        return loss

    def _update(self, group: dict[str, Any], step: int, clip: float) -> None:
        beta1, beta2, beta3 = group["betas"]
        lr, eps, weight_decay = float(_to_scalar(group["lr"])), group["eps"], group["weight_decay"]
        bias_correction1, bias_correction2 = po.debias(beta1, step), po.debias(beta2, step)
        bias_correction3_sq = math.sqrt(po.debias(beta3, step))
        for p in group["params"]:
            if p.grad is None:
                continue
            state, param = self.state[p], p._array
            grad = -p.grad._array if self.maximize else p.grad._array
            grad = grad * clip
            if group.get("use_gc") and grad.ndim > 1:
                grad = grad - grad.mean(axis=tuple(range(1, grad.ndim)), keepdims=True)
            exp_avg, exp_avg_sq = state["exp_avg"]._array, state["exp_avg_sq"]._array
            exp_avg_diff, grad_diff = state["exp_avg_diff"]._array, state["previous_grad"]._array
            grad_diff += grad  # g_t - g_{t-1}: previous_grad holds -g_{t-1}
            moment_grad = po.adanorm_grad(
                grad, state["exp_grad_adanorm"]._array if "exp_grad_adanorm" in state else None,
                group.get("adanorm_r"))
            lerp_(exp_avg, moment_grad, 1.0 - beta1)
            lerp_(exp_avg_diff, grad_diff, 1.0 - beta2)
            grad_diff *= beta2
            grad_diff += grad  # g_t + beta2 (g_t - g_{t-1})
            exp_avg_sq *= beta3
            exp_avg_sq += ((1.0 - beta3) * grad_diff) * grad_diff
            denom = np.sqrt(exp_avg_sq) / bias_correction3_sq + eps
            if weight_decay != 0.0 and group["weight_decouple"]:
                param *= 1.0 - lr * weight_decay
            param += (-lr / bias_correction1 * exp_avg) / denom
            param += (-lr * beta2 / bias_correction2 * exp_avg_diff) / denom
            if weight_decay != 0.0 and not group["weight_decouple"]:
                param /= 1.0 + lr * weight_decay
            np.negative(grad, out=grad_diff)
