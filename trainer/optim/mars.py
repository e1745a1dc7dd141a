"""MARS: variance-reduced gradient corrections fed to an AdamW, Lion or Shampoo-style step (pytorch_optimizer's)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from . import _pytorch_optimizer as po
from ._functional import lerp_
from .muon import to_bfloat16, zeropower_via_newtonschulz
from .optimizer import Optimizer, ParamsT, _to_scalar

NS_COEFFICIENTS = (3.4445, -4.775, 2.0315)


class MARS(Optimizer):
    """Variance-reduced momentum feeding an AdamW, Lion or Shampoo step (Yuan et al. 2024).

    pytorch_optimizer's `MARS`; `mars_type` picks the step ('adamw', 'lion' or 'shampoo', the last
    orthogonalizing momentum by Newton-Schulz in bfloat16). Unless `optimize_1d`, 1-D parameters take
    plain AdamW steps with `lr_1d` (scaled with `lr` by schedulers), `betas_1d` and `weight_decay_1d`.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 3e-3,
        betas: tuple[float, float] = (0.95, 0.99),
        gamma: float = 0.025,
        mars_type: str = "adamw",
        optimize_1d: bool = False,
        lr_1d: float = 3e-3,
        betas_1d: tuple[float, float] = (0.9, 0.95),
        weight_decay: float = 0.0,
        weight_decay_1d: float = 1e-1,
        weight_decouple: bool = True,
        fixed_decay: bool = False,
        ams_bound: bool = False,
        cautious: bool = False,
        eps: float = 1e-8,
        maximize: bool = False,
        foreach: bool | None = None,
    ) -> None:
        po.check_lr(lr)
        po.check_lr(lr_1d)
        po.check_betas(betas)
        po.check_betas(betas_1d)
        po.check_options(mars_type, "mars_type", ["adamw", "lion", "shampoo"])
        po.check_non_negative(gamma=gamma, weight_decay=weight_decay, weight_decay_1d=weight_decay_1d, eps=eps)
        self.maximize = maximize
        defaults = {"lr": lr, "lr_1d": lr_1d, "lr_1d_factor": lr_1d / lr, "betas": tuple(betas),
                    "betas_1d": tuple(betas_1d), "mars_type": mars_type, "gamma": gamma, "optimize_1d": optimize_1d,
                    "weight_decay": weight_decay, "weight_decay_1d": weight_decay_1d,
                    "weight_decouple": weight_decouple, "fixed_decay": fixed_decay, "ams_bound": ams_bound,
                    "cautious": cautious, "eps": eps, "foreach": foreach}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One MARS step for every parameter with a gradient."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                if p.grad is not None and len(state) == 0:
                    for key in ("exp_avg", "exp_avg_sq", "last_grad"):
                        state[key] = po.zeros_like(p)
                    if group["ams_bound"]:
                        state["max_exp_avg_sq"] = po.zeros_like(p)
            step = po.next_step(group)
            lr = float(_to_scalar(group["lr"]))
            for p in group["params"]:
                if p.grad is None:
                    continue
                state, param = self.state[p], p._array
                grad = -p.grad._array if self.maximize else p.grad._array
                mixed = group["optimize_1d"] or grad.ndim >= 2
                step_size = lr if mixed else lr * group["lr_1d_factor"]
                max_sq = state["max_exp_avg_sq"]._array if group["ams_bound"] else None
                moments = (state["exp_avg"]._array, state["exp_avg_sq"]._array, max_sq)
                if mixed:
                    update = self._mixed(grad, state["last_grad"]._array, *moments, group, step)
                else:
                    update = _adam_direction(grad, grad, *moments, group["betas_1d"], step, group)
                grad = po.weight_decay_(param, grad, step_size,
                                        group["weight_decay"] if mixed else group["weight_decay_1d"],
                                        group["weight_decouple"], group["fixed_decay"])
                param += -step_size * update
                state["last_grad"]._array[...] = grad  # after coupled decay, as the reference keeps it
        return loss

    @staticmethod
    def _mixed(grad: np.ndarray, last_grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray,
               max_exp_avg_sq: np.ndarray | None, group: dict[str, Any], step: int) -> np.ndarray:
        beta1, _ = group["betas"]
        correction = (grad - last_grad) * (group["gamma"] * (beta1 / (1.0 - beta1)))
        correction += grad
        norm = float(np.linalg.norm(correction))
        if norm > 1.0:
            correction /= norm
        if group["mars_type"] == "adamw" or (group["mars_type"] == "shampoo" and grad.ndim < 2):
            return _adam_direction(correction, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, group["betas"], step, group)
        lerp_(exp_avg, correction, 1.0 - beta1)
        update = np.array(exp_avg, copy=True)
        if group["cautious"]:
            po.cautious_(update, grad)
        if group["mars_type"] == "lion":
            return np.sign(update)
        factor = math.sqrt(max(1.0, grad.shape[0] / grad.shape[1]))
        matrix = (update * (1.0 / (1.0 - beta1))).reshape(update.shape[0], -1)
        ortho = zeropower_via_newtonschulz(matrix, NS_COEFFICIENTS, 5, group["eps"]).astype(np.float32)
        return to_bfloat16(ortho * np.float32(factor)).astype(grad.dtype).reshape(grad.shape)


def _adam_direction(moment_in: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray,
                    max_exp_avg_sq: np.ndarray | None, betas: tuple[float, float], step: int,
                    group: dict[str, Any]) -> np.ndarray:
    """m / (sqrt(v) / sqrt(bc2) * bc1): AdamW's direction from moments of `moment_in` (cautious mask by `grad`)."""
    beta1, beta2 = betas
    lerp_(exp_avg, moment_in, 1.0 - beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += ((1.0 - beta2) * moment_in) * moment_in
    update = np.array(exp_avg, copy=True)
    if group["cautious"]:
        po.cautious_(update, grad)
    denom = po.ams_denominator(group["ams_bound"], exp_avg_sq, max_exp_avg_sq, group["eps"])
    denom /= math.sqrt(po.debias(beta2, step))
    denom *= po.debias(beta1, step)
    return update / denom
