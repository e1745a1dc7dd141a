"""RMSprop, optionally centered and with momentum."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ._functional import Arrays, addcdiv_, addcmul_, lerp_, signed
from .optimizer import Optimizer, ParamsT, _increment, _to_scalar, check_lr, check_non_negative


class RMSprop(Optimizer):
    """`torch.optim.RMSprop`: divide by a running root mean square of the gradient."""

    _elementwise = True  # adjacent parameters are updated as one flat array

    group_key_tail = ("capturable", "foreach", "maximize", "differentiable")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        check_lr(lr)
        check_non_negative(epsilon=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "maximize": maximize}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            momentum, centered = float(group["momentum"]), group["centered"]
            params, grads, square_avgs, momentum_buffers, grad_avgs, state_steps = self._gather(
                group, ("square_avg",), optional={"momentum_buffer": momentum > 0, "grad_avg": centered})
            _single_tensor_rmsprop(params, grads, square_avgs, grad_avgs, momentum_buffers, state_steps,
                                   lr=float(_to_scalar(group["lr"])), alpha=float(group["alpha"]),
                                   eps=float(group["eps"]), weight_decay=float(group["weight_decay"]),
                                   momentum=momentum, centered=centered, maximize=group["maximize"])
        return loss


def _single_tensor_rmsprop(params: Arrays, grads: Arrays, square_avgs: Arrays, grad_avgs: Arrays,
                           momentum_buffers: Arrays, state_steps: Arrays, *, lr: float, alpha: float, eps: float,
                           weight_decay: float, momentum: float, centered: bool, maximize: bool) -> None:
    """RMSprop's update of each parameter in place (`grad_avgs` used only when centered, buffers with momentum)."""
    for i, param in enumerate(params):
        grad = signed(grads[i], maximize)
        square_avg = square_avgs[i]
        _increment(state_steps[i])
        if weight_decay != 0:
            grad = grad + weight_decay * param
        square_avg *= alpha  # v = alpha * v + (1 - alpha) * g * g
        addcmul_(square_avg, grad, grad, 1 - alpha)
        if centered:
            grad_avg = lerp_(grad_avgs[i], grad, 1 - alpha)
            avg = np.sqrt(addcmul_(np.array(square_avg, copy=True), grad_avg, grad_avg, -1.0))
        else:
            avg = np.sqrt(square_avg)
        avg += eps
        if momentum > 0:
            buf = momentum_buffers[i]
            buf *= momentum
            addcdiv_(buf, grad, avg)
            param += -lr * buf
        else:
            addcdiv_(param, grad, avg, -lr)
