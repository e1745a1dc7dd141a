"""NAdam: Adam with Nesterov momentum and a momentum-decay schedule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ._functional import Arrays, addcdiv_, addcmul_, lerp_, signed
from .optimizer import Optimizer, ParamsT, _increment, _to_scalar, check_betas, check_common, check_non_negative


class NAdam(Optimizer):
    """`torch.optim.NAdam`; `state['mu_product']` is the running product of the momentum schedule."""

    _elementwise = True  # adjacent parameters are updated as one flat array

    group_key_tail = ("maximize", "foreach", "capturable", "differentiable")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        check_common(lr, eps, weight_decay)
        check_betas(betas)
        check_non_negative(momentum_decay=momentum_decay)
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, mu_products, exp_avgs, exp_avg_sqs, state_steps = self._gather(
                group, ("exp_avg", "exp_avg_sq"), scalars={"mu_product": 1.0})
            beta1, beta2 = (float(b) for b in group["betas"])
            _single_tensor_nadam(params, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps,
                                 lr=float(_to_scalar(group["lr"])), beta1=beta1, beta2=beta2,
                                 eps=float(group["eps"]), weight_decay=float(group["weight_decay"]),
                                 momentum_decay=float(group["momentum_decay"]),
                                 decoupled_weight_decay=group["decoupled_weight_decay"], maximize=group["maximize"])
        return loss


def _single_tensor_nadam(params: Arrays, grads: Arrays, exp_avgs: Arrays, exp_avg_sqs: Arrays, mu_products: Arrays,
                         state_steps: Arrays, *, lr: float, beta1: float, beta2: float, eps: float, weight_decay: float,
                         momentum_decay: float, decoupled_weight_decay: bool, maximize: bool) -> None:
    """NAdam's update of each parameter in place; `mu_products` are 0-d running products of mu_t."""
    for i, param in enumerate(params):
        grad = signed(grads[i], maximize)
        exp_avg, exp_avg_sq, mu_product_t = exp_avgs[i], exp_avg_sqs[i], mu_products[i]
        step = _increment(state_steps[i])
        bias_correction2 = 1 - beta2**step
        if weight_decay != 0:
            if decoupled_weight_decay:
                param *= 1 - lr * weight_decay
            else:
                grad = grad + weight_decay * param
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
        mu_product_t *= mu
        mu_product = float(mu_product_t)
        lerp_(exp_avg, grad, 1 - beta1)
        exp_avg_sq *= beta2
        addcmul_(exp_avg_sq, grad, grad, 1 - beta2)
        denom = np.sqrt(exp_avg_sq / bias_correction2)
        denom += eps
        mu_product_next = mu_product * mu_next
        addcdiv_(param, grad, denom, -lr * (1.0 - mu) / (1.0 - mu_product))
        addcdiv_(param, exp_avg, denom, -lr * mu_next / (1.0 - mu_product_next))
