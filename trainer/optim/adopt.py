"""ADOPT (Taniguchi et al. 2024, "ADOPT: Modified Adam Can Converge with Any beta2"), as torch-adopt computes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ._functional import Arrays, addcmul_, lerp_, signed
from .optimizer import Optimizer, ParamsT, _to_scalar, check_betas, check_common


def _quarter_power(step: float) -> float:
    return step**0.25


class ADOPT(Optimizer):
    """Adam that normalizes the gradient by the previous second moment, then averages it: converges for any beta2.

    torch-adopt's `ADOPT`: the first step only initializes the second moment; later steps clip the
    normalized gradient to `clip_lambda(step)` (step**0.25 by default, None for no clipping; Python
    only, not from YAML). `decouple=True` makes weight decay AdamW-style.
    """

    _elementwise = True  # adjacent parameters are updated as one flat array

    group_key_tail = ("maximize", "foreach", "capturable", "differentiable", "fused")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.9999),
        eps: float = 1e-6,
        clip_lambda: Callable[[int], float] | None = _quarter_power,
        weight_decay: float = 0.0,
        decouple: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        check_common(lr, eps, weight_decay)
        check_betas(betas)
        self.clip_lambda = clip_lambda
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay, "decouple": decouple,
                    "maximize": maximize}
        super().__init__(params, defaults)
        if self.defaults.get("fused"):
            raise RuntimeError("`fused` is not currently supported")

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One ADOPT step for every parameter with a gradient."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, exp_avgs, exp_avg_sqs, state_steps = self._gather(group, ("exp_avg", "exp_avg_sq"))
            beta1, beta2 = (float(_to_scalar(b)) for b in group["betas"])
            _single_tensor_adopt(params, grads, exp_avgs, exp_avg_sqs, state_steps, beta1=beta1, beta2=beta2,
                                 lr=float(_to_scalar(group["lr"])), clip_lambda=self.clip_lambda,
                                 weight_decay=float(group["weight_decay"]), decouple=group["decouple"],
                                 eps=float(group["eps"]), maximize=group["maximize"])
        return loss


def _single_tensor_adopt(params: Arrays, grads: Arrays, exp_avgs: Arrays, exp_avg_sqs: Arrays, state_steps: Arrays, *,
                         beta1: float, beta2: float, lr: float, clip_lambda: Callable[[int], float] | None,
                         weight_decay: float, decouple: bool, eps: float, maximize: bool) -> None:
    """ADOPT's update of each parameter in place (the paper's Algorithm 2, with clipping)."""
    for i, param in enumerate(params):
        grad = signed(grads[i], maximize)
        exp_avg, exp_avg_sq, state_step = exp_avgs[i], exp_avg_sqs[i], state_steps[i]
        step = float(state_step)
        if weight_decay != 0 and not decouple:
            grad = grad + weight_decay * param
        state_step[()] = step + 1.0
        if step == 0:
            addcmul_(exp_avg_sq, grad, grad)  # v_0 = g_0^2; no update yet
            continue
        if weight_decay != 0 and decouple:
            param += param * (-lr * weight_decay)
        normed_grad = grad / np.maximum(np.sqrt(exp_avg_sq), eps)
        if clip_lambda is not None:
            clip = clip_lambda(step)
            np.clip(normed_grad, -clip, clip, out=normed_grad)
        lerp_(exp_avg, normed_grad, 1 - beta1)
        param += exp_avg * -lr
        exp_avg_sq *= beta2
        addcmul_(exp_avg_sq, grad, grad, 1 - beta2)
