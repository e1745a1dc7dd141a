"""Adagrad: per-coordinate steps scaled by the accumulated squared gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ._functional import Arrays, addcdiv_, signed
from .optimizer import Optimizer, ParamsT, _increment, _to_scalar, check_lr, check_non_negative


class Adagrad(Optimizer):
    """`torch.optim.Adagrad`, with `lr_decay` and `initial_accumulator_value`.

    As in PyTorch, state is created eagerly in `__init__` for every parameter, and the accumulator
    starts at the constructor's `initial_accumulator_value` whatever a group says.
    """

    _elementwise = True  # adjacent parameters are updated as one flat array

    group_key_tail = ("foreach", "maximize", "differentiable", "fused")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        check_lr(lr)
        check_non_negative(lr_decay=lr_decay, weight_decay=weight_decay,
                           initial_accumulator_value=initial_accumulator_value, epsilon=eps)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "maximize": maximize}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._new_state(self.state[p], p, fill={"sum": initial_accumulator_value})

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, state_sums, state_steps = self._gather(
                group, fill={"sum": float(self.defaults["initial_accumulator_value"])})
            _single_tensor_adagrad(params, grads, state_sums, state_steps, lr=float(_to_scalar(group["lr"])),
                                   lr_decay=float(group["lr_decay"]), eps=float(group["eps"]),
                                   weight_decay=float(group["weight_decay"]), maximize=group["maximize"])
        return loss


def _single_tensor_adagrad(params: Arrays, grads: Arrays, state_sums: Arrays, state_steps: Arrays, *, lr: float,
                           lr_decay: float, eps: float, weight_decay: float, maximize: bool) -> None:
    """Adagrad's update of each parameter in place: steps shrink with the accumulated squared gradients."""
    for i, param in enumerate(params):
        step = _increment(state_steps[i])
        grad = signed(grads[i], maximize)
        if weight_decay != 0:
            grad = grad + weight_decay * param
        clr = lr / (1 + (step - 1) * lr_decay)
        state_sum = state_sums[i]
        state_sum += grad * grad
        std = np.sqrt(state_sum)
        std += eps
        addcdiv_(param, grad, std, -clr)
