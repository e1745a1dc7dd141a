"""AdaBelief: Adam whose second moment tracks the gradient's deviation from its mean (pytorch_optimizer's)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from . import _pytorch_optimizer as po
from ._functional import lerp_
from .optimizer import Optimizer, ParamsT, _to_scalar


class AdaBelief(Optimizer):
    """Adam whose second moment is the gradient's variance around its EMA (Zhuang et al. 2020).

    pytorch_optimizer's `AdaBelief`: decoupled or coupled weight decay, RAdam rectification, AMSBound,
    AdaNorm and AdamD (`adam_debias`).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        weight_decay: float = 0.0,
        weight_decouple: bool = True,
        fixed_decay: bool = False,
        rectify: bool = False,
        n_sma_threshold: int = 5,
        degenerated_to_sgd: bool = True,
        ams_bound: bool = False,
        foreach: bool | None = None,
        eps: float = 1e-16,
        maximize: bool = False,
        *,
        adanorm: bool = False,
        adanorm_r: float | None = None,
        adam_debias: bool = False,
    ) -> None:
        po.check_lr(lr)
        po.check_betas(betas)
        po.check_non_negative(weight_decay=weight_decay, eps=eps)
        self.n_sma_threshold = n_sma_threshold
        self.degenerated_to_sgd = degenerated_to_sgd
        self.maximize = maximize
        self.foreach = foreach
        defaults = {"lr": lr, "betas": tuple(betas), "weight_decay": weight_decay,
                    "weight_decouple": weight_decouple, "fixed_decay": fixed_decay, "rectify": rectify,
                    "ams_bound": ams_bound, "foreach": foreach, "eps": eps,
                    **po.extras(adanorm=(adanorm, False), adanorm_r=(adanorm_r, None),
                                adam_debias=(adam_debias, False))}
        super().__init__(params, defaults)

    def _init_state(self, group: dict[str, Any]) -> None:
        for p in group["params"]:
            state = self.state[p]
            if p.grad is not None and len(state) == 0:
                state["exp_avg"] = po.zeros_like(p)
                state["exp_avg_var"] = po.zeros_like(p)
                if group["ams_bound"]:
                    state["max_exp_avg_var"] = po.zeros_like(p)
                if group.get("adanorm"):
                    state["exp_grad_adanorm"] = po.scalar(np.zeros(1), p._array)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One AdaBelief step for every parameter with a gradient."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            self._init_state(group)
            step = po.next_step(group)
            beta1, beta2 = group["betas"]
            lr, eps = float(_to_scalar(group["lr"])), group["eps"]
            step_size, n_sma = po.rectified_step_size(group["rectify"], step, lr, beta2, self.n_sma_threshold,
                                                      self.degenerated_to_sgd)
            if not group.get("adam_debias", False):
                step_size /= po.debias(beta1, step)
            bias_correction2_sq = math.sqrt(po.debias(beta2, step))
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                param = p._array
                grad = -p.grad._array if self.maximize else p.grad._array
                grad = po.weight_decay_(param, grad, lr, group["weight_decay"], group["weight_decouple"],
                                        group["fixed_decay"])
                exp_avg, exp_avg_var = state["exp_avg"]._array, state["exp_avg_var"]._array
                moment_grad = po.adanorm_grad(
                    grad, state["exp_grad_adanorm"]._array if "exp_grad_adanorm" in state else None,
                    group.get("adanorm_r"))
                lerp_(exp_avg, moment_grad, 1.0 - beta1)
                residual = grad - exp_avg
                exp_avg_var *= beta2
                exp_avg_var += ((1.0 - beta2) * residual) * residual
                exp_avg_var += eps
                denom = po.ams_denominator(group["ams_bound"], exp_avg_var,
                                           state["max_exp_avg_var"]._array if group["ams_bound"] else None,
                                           0.0, 0.0)
                if not group["rectify"]:
                    denom /= bias_correction2_sq
                    denom += eps
                    param += (-step_size * exp_avg) / denom
                    continue
                denom += eps
                if n_sma >= self.n_sma_threshold:
                    param += (-step_size * exp_avg) / denom
                elif step_size > 0:
                    param += -step_size * exp_avg
        return loss
