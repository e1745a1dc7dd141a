"""Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"), as lion-pytorch computes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import from_numpy, no_grad
from ._functional import Arrays
from .optimizer import Optimizer, ParamsT, _to_scalar


class Lion(Optimizer):
    """Sign of an interpolated momentum as the update: one state tensor, lr 3-10x below AdamW's.

    lion-pytorch's `Lion`: the update is `sign(beta1 * m + (1 - beta1) * g)`, then `m` moves toward `g`
    with `beta2`; weight decay always multiplies the parameter by `1 - lr * weight_decay` first
    (`decoupled_weight_decay=True` divides `weight_decay` by the initial lr, so schedulers scale it).
    `use_triton` (a CUDA kernel) is accepted only as False.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-4,
        betas: tuple[float, float] = (0.9, 0.99),
        weight_decay: float = 0.0,
        use_triton: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if not _to_scalar(lr) > 0.0:
            raise ValueError(f"Invalid learning rate: {lr} (Lion needs lr > 0)")
        for i, beta in enumerate(betas):
            if not 0.0 <= beta <= 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        if use_triton:
            raise ValueError("use_triton=True needs CUDA and Triton; this engine runs on the CPU")
        self._init_lr = float(_to_scalar(lr))
        self.decoupled_wd = decoupled_weight_decay
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "weight_decay": weight_decay})

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Lion step for every parameter with a gradient."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, exp_avgs = [], [], []
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:  # laid out like p, so adjacent parameters have adjacent state (`_flat`)
                    state["exp_avg"] = from_numpy(self._state_arena.full_like(p._array, "exp_avg"))
                params.append(p._array)
                grads.append(p.grad._array)
                exp_avgs.append(state["exp_avg"]._array)
            live = [p for p in group["params"] if p.grad is not None]
            flat = self._flat.gather(group, live, self.state, ["exp_avg"], 0, steps=False) \
                if self.flat_updates and len(live) > 1 else None
            if flat is not None:  # runs of adjacent parameters, each as one array
                params, grads, exp_avgs = flat
            weight_decay = float(group["weight_decay"])
            if self.decoupled_wd:
                weight_decay /= self._init_lr
            beta1, beta2 = (float(_to_scalar(b)) for b in group["betas"])
            _single_tensor_lion(params, grads, exp_avgs, lr=float(_to_scalar(group["lr"])),
                                weight_decay=weight_decay, beta1=beta1, beta2=beta2)
        return loss


def _single_tensor_lion(params: Arrays, grads: Arrays, exp_avgs: Arrays, *, lr: float, weight_decay: float,
                        beta1: float, beta2: float) -> None:
    """Lion's update of each parameter in place (the paper's Algorithm 2, weight decay first)."""
    for param, grad, exp_avg in zip(params, grads, exp_avgs, strict=True):
        param *= 1.0 - lr * weight_decay
        update = np.sign(exp_avg * beta1 + grad * (1.0 - beta1))
        param += update * -lr
        exp_avg *= beta2
        exp_avg += grad * (1.0 - beta2)
