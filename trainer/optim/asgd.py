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
            lambd, alpha, t0 = float(group["lambd"]), float(group["alpha"]), float(group["t0"])
            weight_decay = float(group["weight_decay"])
            for p, grad in grads_of(group["params"]):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _scalar_tensor(0.0)
                    state["eta"] = _scalar_tensor(lr)
                    state["mu"] = _scalar_tensor(1.0)
                    state["ax"] = _zeros_like(p)
                grad = signed(grad, group["maximize"])
                step = _increment(state["step"].data)
                if weight_decay != 0:
                    grad = grad + weight_decay * p.data
                eta, mu, ax = state["eta"].data, state["mu"].data, state["ax"].data
                eta_value = float(eta)
                p.data *= 1 - lambd * eta_value
                p.data += -eta_value * grad
                if float(mu) != 1:
                    ax += (p.data - ax) * float(mu)
                else:
                    np.copyto(ax, p.data)
                eta[...] = lr / (1 + lambd * lr * step) ** alpha
                mu[...] = 1 / max(1, step - t0)
        return loss
