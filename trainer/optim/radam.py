"""RAdam: Adam with a rectified adaptive learning rate during warm-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ._functional import Arrays, addcmul_, lerp_, signed
from .optimizer import Optimizer, ParamsT, _increment, _to_scalar, check_betas, check_common


class RAdam(Optimizer):
    """`torch.optim.RAdam`: the adaptive term is used only once the variance rectification term rho_t > 5."""

    _elementwise = True  # adjacent parameters are updated as one flat array

    group_key_tail = ("maximize", "foreach", "capturable", "decoupled_weight_decay", "differentiable")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        check_common(lr, eps, weight_decay)
        check_betas(betas)
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, exp_avgs, exp_avg_sqs, state_steps = self._gather(group, ("exp_avg", "exp_avg_sq"))
            beta1, beta2 = (float(b) for b in group["betas"])
            _single_tensor_radam(params, grads, exp_avgs, exp_avg_sqs, state_steps, lr=float(_to_scalar(group["lr"])),
                                 beta1=beta1, beta2=beta2, eps=float(group["eps"]),
                                 weight_decay=float(group["weight_decay"]),
                                 decoupled_weight_decay=group["decoupled_weight_decay"], maximize=group["maximize"])
        return loss


def _single_tensor_radam(params: Arrays, grads: Arrays, exp_avgs: Arrays, exp_avg_sqs: Arrays, state_steps: Arrays, *,
                         lr: float, beta1: float, beta2: float, eps: float, weight_decay: float,
                         decoupled_weight_decay: bool, maximize: bool) -> None:
    """RAdam's update of each parameter in place: SGD with momentum until rho_t > 5, then rectified Adam."""
    for i, param in enumerate(params):
        grad = signed(grads[i], maximize)
        exp_avg, exp_avg_sq = exp_avgs[i], exp_avg_sqs[i]
        step = _increment(state_steps[i])
        if weight_decay != 0:
            if decoupled_weight_decay:
                param *= 1 - lr * weight_decay
            else:
                grad = grad + weight_decay * param
        lerp_(exp_avg, grad, 1 - beta1)
        exp_avg_sq *= beta2
        addcmul_(exp_avg_sq, grad, grad, 1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        update = exp_avg / bias_correction1 * lr
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * beta2**step / bias_correction2
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            exp_avg_sq_sqrt = np.sqrt(exp_avg_sq)
            exp_avg_sq_sqrt += eps
            # scalar / tensor is reciprocal-then-multiply in torch
            adaptive_lr = np.reciprocal(exp_avg_sq_sqrt) * bias_correction2**0.5
            update = update * adaptive_lr * rect
        param -= update
