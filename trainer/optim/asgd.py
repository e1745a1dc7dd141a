"""ASGD: averaged stochastic gradient descent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ._functional import Arrays, signed
from .optimizer import Optimizer, ParamsT, _increment, _to_scalar, check_lr, check_non_negative


class ASGD(Optimizer):
    """`torch.optim.ASGD`: `state['ax']` holds the running average of the iterates after step `t0`."""

    _elementwise = True  # adjacent parameters are updated as one flat array

    group_key_tail = ("foreach", "maximize", "differentiable", "capturable")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0,
        *,
        maximize: bool = False,
    ) -> None:
        check_lr(lr)
        check_non_negative(weight_decay=weight_decay)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "maximize": maximize}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr = float(_to_scalar(group["lr"]))
            params, grads, etas, mus, axs, state_steps = self._gather(group, ("ax",), scalars={"eta": lr, "mu": 1.0})
            _single_tensor_asgd(params, grads, axs, etas, mus, state_steps, lr=lr, lambd=float(group["lambd"]),
                                alpha=float(group["alpha"]), t0=float(group["t0"]),
                                weight_decay=float(group["weight_decay"]), maximize=group["maximize"])
        return loss


def _single_tensor_asgd(params: Arrays, grads: Arrays, axs: Arrays, etas: Arrays, mus: Arrays, state_steps: Arrays, *,
                        lr: float, lambd: float, alpha: float, t0: float, weight_decay: float, maximize: bool) -> None:
    """ASGD's update of each parameter in place; `etas` and `mus` are 0-d step-size and averaging weights."""
    for i, param in enumerate(params):
        grad = signed(grads[i], maximize)
        eta, mu, ax = etas[i], mus[i], axs[i]
        step = _increment(state_steps[i])
        if weight_decay != 0:
            grad = grad + weight_decay * param
        eta_value = float(eta)
        param *= 1 - lambd * eta_value
        param += -eta_value * grad
        if float(mu) != 1:
            ax += (param - ax) * float(mu)
        else:
            np.copyto(ax, param)
        eta[...] = lr / (1 + lambd * lr * step) ** alpha
        mu[...] = 1 / max(1, step - t0)
