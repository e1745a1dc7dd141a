"""Adadelta: unit-corrected steps from running averages of squared gradients and updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ._functional import Arrays, addcmul_, signed
from .optimizer import Optimizer, ParamsT, _increment, _to_scalar, check_lr, check_non_negative


class Adadelta(Optimizer):
    """`torch.optim.Adadelta` (note PyTorch's default lr=1.0)."""

    _elementwise = True  # adjacent parameters are updated as one flat array

    group_key_tail = ("maximize", "capturable", "foreach", "differentiable")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        *,
        maximize: bool = False,
    ) -> None:
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_non_negative(epsilon=eps, weight_decay=weight_decay)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, square_avgs, acc_deltas, state_steps = self._gather(group, ("square_avg", "acc_delta"))
            _single_tensor_adadelta(params, grads, square_avgs, acc_deltas, state_steps,
                                    lr=float(_to_scalar(group["lr"])), rho=float(group["rho"]),
                                    eps=float(group["eps"]), weight_decay=float(group["weight_decay"]),
                                    maximize=group["maximize"])
        return loss


def _single_tensor_adadelta(params: Arrays, grads: Arrays, square_avgs: Arrays, acc_deltas: Arrays, state_steps: Arrays,
                            *, lr: float, rho: float, eps: float, weight_decay: float, maximize: bool) -> None:
    """Adadelta's update of each parameter in place: delta = sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * g."""
    for i, param in enumerate(params):
        _increment(state_steps[i])
        grad = signed(grads[i], maximize)
        if weight_decay != 0:
            grad = grad + weight_decay * param
        square_avg, acc_delta = square_avgs[i], acc_deltas[i]
        square_avg *= rho
        addcmul_(square_avg, grad, grad, 1 - rho)
        std = np.sqrt(square_avg + eps)
        delta = np.sqrt(acc_delta + eps)
        delta /= std
        delta *= grad
        acc_delta *= rho
        addcmul_(acc_delta, delta, delta, 1 - rho)
        param += -lr * delta
