"""AdEMAMix: Adam with a second, slow momentum mixed into the update (pytorch_optimizer's `AdEMAMix`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from . import _pytorch_optimizer as po
from ._functional import lerp_
from .optimizer import Optimizer, ParamsT, _to_scalar


class AdEMAMix(Optimizer):
    """Adam plus a slow gradient EMA weighted by alpha, with optional warm-up (Pagliardini et al. 2024).

    pytorch_optimizer's `AdEMAMix`; `cautious` and `stable_adamw` are its optional extras.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float, float] = (0.9, 0.999, 0.9999),
        weight_decay: float = 0.0,
        weight_decouple: bool = False,
        fixed_decay: bool = False,
        alpha: float = 5.0,
        t_alpha_beta3: float | None = None,
        eps: float = 1e-8,
        maximize: bool = False,
        foreach: bool | None = None,
        *,
        cautious: bool = False,
        stable_adamw: bool = False,
    ) -> None:
        po.check_lr(lr)
        po.check_betas(betas)
        po.check_non_negative(alpha=alpha, t_alpha_beta3=t_alpha_beta3, weight_decay=weight_decay, eps=eps)
        self.maximize = maximize
        self.foreach = foreach
        defaults = {"lr": lr, "betas": tuple(betas), "weight_decay": weight_decay,
                    "weight_decouple": weight_decouple, "fixed_decay": fixed_decay, "alpha": alpha,
                    "t_alpha_beta3": t_alpha_beta3, "eps": eps, "foreach": foreach,
                    **po.extras(cautious=(cautious, False), stable_adamw=(stable_adamw, False))}
        super().__init__(params, defaults)

    @staticmethod
    def schedule_alpha(t_alpha_beta3: float | None, step: int, alpha: float) -> float:
        """alpha warmed up linearly over t_alpha_beta3 steps."""
        return alpha if t_alpha_beta3 is None else min(step * alpha / t_alpha_beta3, alpha)

    @staticmethod
    def schedule_beta3(t_alpha_beta3: float | None, step: int, beta1: float, beta3: float) -> float:
        """beta3 warmed up from beta1 so that the slow EMA's half-life grows linearly."""
        if t_alpha_beta3 is None:
            return beta3
        log_beta1, log_beta3 = math.log(beta1), math.log(beta3)
        frac = step / t_alpha_beta3
        return min(math.exp(log_beta1 * log_beta3 / ((1.0 - frac) * log_beta3 + frac * log_beta1)), beta3)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One AdEMAMix step for every parameter with a gradient."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None and len(self.state[p]) == 0:
                    for key in ("exp_avg", "exp_avg_sq", "exp_avg_slow"):
                        self.state[p][key] = po.zeros_like(p)
            step = po.next_step(group)
            beta1, beta2, beta3 = group["betas"]
            lr, eps = float(_to_scalar(group["lr"])), group["eps"]
            bias_correction1 = po.debias(beta1, step)
            bias_correction2_sq = math.sqrt(po.debias(beta2, step))
            alpha_t = self.schedule_alpha(group["t_alpha_beta3"], step, group["alpha"])
            beta3_t = self.schedule_beta3(group["t_alpha_beta3"], step, beta1, beta3)
            for p in group["params"]:
                if p.grad is None:
                    continue
                state, param = self.state[p], p._array
                grad = -p.grad._array if self.maximize else p.grad._array
                grad = po.weight_decay_(param, grad, lr, group["weight_decay"], group["weight_decouple"],
                                        group["fixed_decay"])
                exp_avg, exp_avg_sq = state["exp_avg"]._array, state["exp_avg_sq"]._array
                exp_avg_slow = state["exp_avg_slow"]._array
                lerp_(exp_avg, grad, 1.0 - beta1)
                exp_avg_sq *= beta2
                exp_avg_sq += ((1.0 - beta2) * grad) * grad
                lerp_(exp_avg_slow, grad, 1.0 - beta3_t)
                denom = np.sqrt(exp_avg_sq) / bias_correction2_sq + eps
                update = np.array(exp_avg, copy=True)
                if group.get("cautious"):
                    po.cautious_(update, grad)
                update /= bias_correction1
                update += alpha_t * exp_avg_slow
                if group.get("stable_adamw"):
                    update /= denom
                    rms = np.sqrt(np.mean(grad**2 / np.maximum(exp_avg_sq, 1e-16)))
                    update /= max(float(rms), 1.0)
                    param += -lr * update
                else:
                    param += (-lr * update) / denom
        return loss
