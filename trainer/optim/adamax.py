"""Adamax: Adam with an infinity-norm second moment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ._functional import Arrays, addcdiv_, lerp_, signed
from .optimizer import Optimizer, ParamsT, _increment, _to_scalar, check_betas, check_common


class Adamax(Optimizer):
    """`torch.optim.Adamax`."""

    _elementwise = True  # adjacent parameters are updated as one flat array

    group_key_tail = ("foreach", "maximize", "differentiable", "capturable")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        *,
        maximize: bool = False,
    ) -> None:
        check_common(lr, eps, weight_decay)
        check_betas(betas)
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay, "maximize": maximize}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, exp_avgs, exp_infs, state_steps = self._gather(group, ("exp_avg", "exp_inf"))
            beta1, beta2 = (float(b) for b in group["betas"])
            _single_tensor_adamax(params, grads, exp_avgs, exp_infs, state_steps, lr=float(_to_scalar(group["lr"])),
                                  beta1=beta1, beta2=beta2, eps=float(group["eps"]),
                                  weight_decay=float(group["weight_decay"]), maximize=group["maximize"])
        return loss


def _single_tensor_adamax(params: Arrays, grads: Arrays, exp_avgs: Arrays, exp_infs: Arrays, state_steps: Arrays, *,
                          lr: float, beta1: float, beta2: float, eps: float, weight_decay: float,
                          maximize: bool) -> None:
    """Adamax's update of each parameter in place: the second moment is a decaying max of |grad|."""
    for i, param in enumerate(params):
        grad = signed(grads[i], maximize)
        exp_avg, exp_inf = exp_avgs[i], exp_infs[i]
        step = _increment(state_steps[i])
        if weight_decay != 0:
            grad = grad + weight_decay * param
        lerp_(exp_avg, grad, 1 - beta1)
        exp_inf *= beta2  # u = max(beta2 * u, |g| + eps)
        norm_buf = np.abs(grad)
        norm_buf += eps
        np.maximum(exp_inf, norm_buf, out=exp_inf)
        clr = lr / (1 - beta1**step)
        addcdiv_(param, exp_avg, exp_inf, -clr)
