"""ASGD: averaged stochastic gradient descent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ._functional import grads_of, signed
from .optimizer import Optimizer, ParamsT, _increment, _scalar_tensor, _to_scalar, _zeros_like


class ASGD(Optimizer):
    """`torch.optim.ASGD`: `state['ax']` holds the running average of the iterates after step `t0`."""

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
        if not 0.0 <= _to_scalar(lr):
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "maximize": maximize}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr = float(_to_scalar(group["lr"]))
            params, grads, axs, etas, mus, state_steps = [], [], [], [], [], []
            for p, grad in grads_of(group["params"]):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _scalar_tensor(0.0)
                    state["eta"] = _scalar_tensor(lr)
                    state["mu"] = _scalar_tensor(1.0)
                    state["ax"] = _zeros_like(p)
                params.append(p.data)
                grads.append(grad)
                axs.append(state["ax"].data)
                etas.append(state["eta"].data)
                mus.append(state["mu"].data)
                state_steps.append(state["step"].data)
            _single_tensor_asgd(params, grads, axs, etas, mus, state_steps, lr=lr, lambd=float(group["lambd"]),
                                alpha=float(group["alpha"]), t0=float(group["t0"]),
                                weight_decay=float(group["weight_decay"]), maximize=group["maximize"])
        return loss


def _single_tensor_asgd(
    params: list[np.ndarray],
    grads: list[np.ndarray],
    axs: list[np.ndarray],
    etas: list[np.ndarray],
    mus: list[np.ndarray],
    state_steps: list[np.ndarray],
    *,
    lr: float,
    lambd: float,
    alpha: float,
    t0: float,
    weight_decay: float,
    maximize: bool,
) -> None:
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
