"""LAMB: Adam's direction scaled per tensor by a trust ratio ‖w‖ / ‖update‖ (pytorch_optimizer's `Lamb`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from . import _pytorch_optimizer as po
from .optimizer import Optimizer, ParamsT, _to_scalar


class Lamb(Optimizer):
    """Adam's step scaled per tensor by a trust ratio ‖w‖/‖update‖ (LAMB, You et al. 2019).

    pytorch_optimizer's `Lamb` (version 3 of the paper, no bias correction of the second moment):
    optional RAdam rectification, global gradient pre-normalization, AdaNorm and AdamD (`adam_debias`).
    """

    clamp: float = 10.0
    """Upper bound of the weight norm in the trust ratio."""

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        weight_decay: float = 0.0,
        weight_decouple: bool = True,
        fixed_decay: bool = False,
        rectify: bool = False,
        degenerated_to_sgd: bool = False,
        n_sma_threshold: int = 5,
        grad_averaging: bool = True,
        max_grad_norm: float = 1.0,
        adam: bool = False,
        pre_norm: bool = False,
        eps: float = 1e-6,
        foreach: bool | None = None,
        maximize: bool = False,
        *,
        adanorm: bool = False,
        adanorm_r: float | None = None,
        adam_debias: bool = False,
    ) -> None:
        po.check_lr(lr)
        po.check_betas(betas)
        po.check_non_negative(weight_decay=weight_decay, max_grad_norm=max_grad_norm, eps=eps)
        self.degenerated_to_sgd = degenerated_to_sgd
        self.n_sma_threshold = n_sma_threshold
        self.pre_norm = pre_norm
        self.foreach = foreach
        self.maximize = maximize
        defaults = {"lr": lr, "betas": tuple(betas), "weight_decay": weight_decay,
                    "weight_decouple": weight_decouple, "fixed_decay": fixed_decay, "rectify": rectify,
                    "grad_averaging": grad_averaging, "max_grad_norm": max_grad_norm, "adam": adam, "eps": eps,
                    "foreach": foreach,
                    **po.extras(adanorm=(adanorm, False), adanorm_r=(adanorm_r, None),
                                adam_debias=(adam_debias, False))}
        super().__init__(params, defaults)

    def _init_state(self, group: dict[str, Any]) -> None:
        for p in group["params"]:
            state = self.state[p]
            if p.grad is not None and len(state) == 0:
                state["exp_avg"] = po.zeros_like(p)
                state["exp_avg_sq"] = po.zeros_like(p)
                if group.get("adanorm"):
                    state["exp_grad_adanorm"] = po.scalar(np.zeros(1), p._array)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One LAMB step for every parameter with a gradient."""
        loss = self._evaluate(closure)
        scale = 1.0
        if self.pre_norm:
            scale = po.global_clip_scale(self.param_groups, self.defaults["max_grad_norm"], self.defaults["eps"])
        for group in self.param_groups:
            self._init_state(group)
            step = po.next_step(group)
            beta1, beta2 = group["betas"]
            lr = float(_to_scalar(group["lr"]))
            step_size, n_sma = po.rectified_step_size(group["rectify"], step, lr, beta2, self.n_sma_threshold,
                                                      self.degenerated_to_sgd)
            if not group.get("adam_debias", False):
                step_size /= po.debias(beta1, step)
            for p in group["params"]:
                if p.grad is not None:
                    self._update(p, group, scale, step_size, n_sma, lr)
        return loss

    def _update(self, p: Any, group: dict[str, Any], scale: float, step_size: float, n_sma: float,
                lr: float) -> None:
        beta1, beta2 = group["betas"]
        eps, weight_decay, rectify = group["eps"], group["weight_decay"], group["rectify"]
        state = self.state[p]
        param, grad = p._array, p.grad._array
        if self.pre_norm:
            grad = grad * scale
        if self.maximize:
            grad = -grad
        exp_avg, exp_avg_sq = state["exp_avg"]._array, state["exp_avg_sq"]._array
        moment_grad = po.adanorm_grad(grad, state["exp_grad_adanorm"]._array if "exp_grad_adanorm" in state else None,
                                      group.get("adanorm_r"))
        exp_avg *= beta1
        exp_avg += (1.0 - beta1 if group["grad_averaging"] else 1.0) * moment_grad
        exp_avg_sq *= beta2
        exp_avg_sq += ((1.0 - beta2) * grad) * grad
        po.weight_decay_(param, None, lr, weight_decay, group["weight_decouple"], group["fixed_decay"])
        if rectify and step_size <= 0:
            return
        adaptive = not rectify or n_sma >= self.n_sma_threshold
        if adaptive:
            denom = np.sqrt(exp_avg_sq) + eps
        if rectify:  # the reference measures the rectified step's result, parameters included
            update = param + (-step_size * exp_avg) / denom if adaptive else param + -step_size * exp_avg
        else:
            update = exp_avg / denom
            if not group["weight_decouple"] and weight_decay > 0.0:
                update += weight_decay * param
        weight_norm = min(float(np.linalg.norm(param)), self.clamp)
        update_norm = float(np.linalg.norm(update))
        trust_ratio = 1.0 if weight_norm == 0 or update_norm == 0 else weight_norm / (update_norm + eps)
        state["weight_norm"] = po.scalar(weight_norm, param)
        state["adam_norm"] = po.scalar(update_norm, param)
        state["trust_ratio"] = po.scalar(trust_ratio, param)
        if group["adam"]:
            trust_ratio = 1.0
        if rectify:
            param += (-step_size * trust_ratio * exp_avg) / denom if adaptive else -step_size * trust_ratio * exp_avg
        else:
            param += -step_size * trust_ratio * update
