"""Adagrad: per-coordinate steps scaled by the accumulated squared gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import Tensor, from_numpy, no_grad
from ._functional import addcdiv_, grads_of, signed
from .optimizer import Optimizer, ParamsT, _increment, _scalar_tensor, _to_scalar


class Adagrad(Optimizer):
    """`torch.optim.Adagrad`, with `lr_decay` and `initial_accumulator_value`.

    As in PyTorch, state is created eagerly in `__init__` for every parameter, and the accumulator
    starts at the constructor's `initial_accumulator_value` whatever a group says.
    """

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
        if not 0.0 <= _to_scalar(lr):
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "maximize": maximize}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, initial_accumulator_value)

    def _init_state(self, p: Tensor, initial_value: float) -> None:
        state = self.state[p]
        state["step"] = _scalar_tensor(0.0)
        state["sum"] = from_numpy(np.full_like(p.data, initial_value))

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, state_sums, state_steps = [], [], [], []
            for p, grad in grads_of(group["params"]):
                state = self.state[p]
                if len(state) == 0:
                    self._init_state(p, float(self.defaults["initial_accumulator_value"]))
                params.append(p.data)
                grads.append(grad)
                state_sums.append(state["sum"].data)
                state_steps.append(state["step"].data)
            _single_tensor_adagrad(params, grads, state_sums, state_steps, lr=float(_to_scalar(group["lr"])),
                                   lr_decay=float(group["lr_decay"]), eps=float(group["eps"]),
                                   weight_decay=float(group["weight_decay"]), maximize=group["maximize"])
        return loss


def _single_tensor_adagrad(
    params: list[np.ndarray],
    grads: list[np.ndarray],
    state_sums: list[np.ndarray],
    state_steps: list[np.ndarray],
    *,
    lr: float,
    lr_decay: float,
    eps: float,
    weight_decay: float,
    maximize: bool,
) -> None:
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
