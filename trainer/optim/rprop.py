"""Rprop: sign-based steps whose per-coordinate sizes grow or shrink with gradient agreement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from ._functional import Arrays, signed
from .optimizer import Optimizer, ParamsT, _increment, _to_scalar, check_lr


class Rprop(Optimizer):
    """`torch.optim.Rprop`: step sizes start at the group's lr and stay within `step_sizes`."""

    _elementwise = True  # adjacent parameters are updated as one flat array

    group_key_tail = ("foreach", "maximize", "differentiable", "capturable")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        maximize: bool = False,
    ) -> None:
        check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {"lr": lr, "etas": tuple(etas), "step_sizes": tuple(step_sizes), "maximize": maximize}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, prevs, step_sizes, state_steps = self._gather(
                group, ("prev",), fill={"step_size": float(_to_scalar(group["lr"]))})
            etaminus, etaplus = (float(e) for e in group["etas"])
            step_size_min, step_size_max = (float(s) for s in group["step_sizes"])
            _single_tensor_rprop(params, grads, prevs, step_sizes, state_steps, etaminus=etaminus, etaplus=etaplus,
                                 step_size_min=step_size_min, step_size_max=step_size_max,
                                 maximize=group["maximize"])
        return loss


def _single_tensor_rprop(params: Arrays, grads: Arrays, prevs: Arrays, step_sizes: Arrays, state_steps: Arrays, *,
                         etaminus: float, etaplus: float, step_size_min: float, step_size_max: float,
                         maximize: bool) -> None:
    """Rprop's update of each parameter in place: grow a coordinate's step while its gradient keeps its sign."""
    for i, param in enumerate(params):
        grad = signed(grads[i], maximize)
        prev, step_size = prevs[i], step_sizes[i]
        _increment(state_steps[i])
        factor = np.sign(grad * prev)
        factor[factor > 0] = etaplus
        factor[factor < 0] = etaminus
        factor[factor == 0] = 1
        step_size *= factor
        np.clip(step_size, step_size_min, step_size_max, out=step_size)
        grad = np.array(grad, copy=True)
        grad[factor == factor.dtype.type(etaminus)] = 0  # no step where the sign flipped
        param -= np.sign(grad) * step_size
        prev[...] = grad
