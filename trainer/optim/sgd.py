"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import from_numpy, no_grad
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

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One SGD step per parameter with a gradient, in ATen's arithmetic order:

            grad = grad + weight_decay * param
            buf.mul_(momentum).add_(grad, alpha=1 - dampening)      # buf = clone(grad) on the first step
            grad = grad + momentum * buf if nesterov else buf
            param.add_(grad, alpha=-lr)

        The momentum and parameter updates run in place with 0-d constants and a shared scratch buffer
        (see `Optimizer._scalars`/`_buffers`): deep narrow networks spend most of a step here. `alpha=1`
        multiplications are skipped, which is exact.
        """
        loss = self._evaluate(closure)
        state_of = self.state
        for group in self.param_groups:
            lr = float(_to_scalar(group["lr"]))
            momentum, dampening = float(group["momentum"]), float(group["dampening"])
            weight_decay = float(_to_scalar(group["weight_decay"]))
            nesterov, maximize = group["nesterov"], group["maximize"]
            consts_for = None  # the dtype the constants below were filled for
            for p in group["params"]:
                if p.grad is None:
                    continue
                param, grad = p.data, p.grad.data
                if consts_for is None or param.dtype != consts_for:
                    consts_for = param.dtype
                    c_momentum, c_damp, c_lr = self._scalars("sgd", param.dtype, (momentum, 1 - dampening, -lr))
                if maximize:
                    grad = -grad
                if weight_decay != 0:
                    grad = grad + weight_decay * param
                if momentum != 0:
                    state = state_of[p]
                    buffer = state.get("momentum_buffer")
                    if buffer is None:
                        buffer = state["momentum_buffer"] = from_numpy(np.array(grad, copy=True))
                        buf = buffer.data
                    else:
                        buf = buffer.data
                        buf *= c_momentum
                        if dampening != 0:
                            scratch = self._buffers(param)[0]
                            np.multiply(grad, c_damp, out=scratch)
                            buf += scratch
                        else:
                            buf += grad
                    grad = grad + momentum * buf if nesterov else buf
                scratch = self._buffers(param)[0]
                np.multiply(grad, c_lr, out=scratch)
                param += scratch
        return loss
