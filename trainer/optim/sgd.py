"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import from_numpy
from ._functional import grads_of, signed
from .optimizer import Optimizer, ParamsT, _to_scalar


class SGD(Optimizer):
    """`torch.optim.SGD`: `p -= lr * (momentum buffer or gradient)`, PyTorch's formulation of momentum."""

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        if _to_scalar(lr) < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize}
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr = float(_to_scalar(group["lr"]))
            momentum, dampening = float(group["momentum"]), float(group["dampening"])
            weight_decay = float(_to_scalar(group["weight_decay"]))
            for p, grad in grads_of(group["params"]):
                grad = signed(grad, group["maximize"])
                if weight_decay != 0:
                    grad = grad + weight_decay * p.data
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = from_numpy(np.array(grad, copy=True))
                    else:
                        buf.data *= momentum
                        buf.data += (1 - dampening) * grad
                    grad = grad + momentum * buf.data if group["nesterov"] else buf.data
                p.data += -lr * grad
        return loss
