"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay.

`_single_tensor_sgd` states the update rule; `_fused_sgd`, which `step()` runs, gives the same bits faster.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import from_numpy, kernels, no_grad
from ._functional import Arrays, Scratch
from .optimizer import Optimizer, ParamsT, _to_scalar


class SGD(Optimizer):
    """`torch.optim.SGD`: `p -= lr * (momentum buffer or gradient)`, PyTorch's formulation of momentum."""

    group_key_tail = ("maximize", "foreach", "differentiable", "fused")

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
        """One SGD step for every parameter with a gradient (`_fused_sgd`, the rule of `_single_tensor_sgd`)."""
        loss = self._evaluate(closure)
        state_of = self.state
        for group in self.param_groups:
            momentum = float(group["momentum"])
            kwargs = {"momentum": momentum, "dampening": float(group["dampening"]),
                      "lr": float(_to_scalar(group["lr"])), "weight_decay": float(_to_scalar(group["weight_decay"])),
                      "nesterov": group["nesterov"], "maximize": group["maximize"], "scratch": self._scratch}
            flat = self._flat_lists(group, momentum != 0) if self.flat_updates else None
            if flat is not None:  # runs of adjacent parameters, each as one array
                _fused_sgd(flat[0], flat[1], flat[2] if momentum != 0 else [], **kwargs)
                continue
            params: list[np.ndarray] = []
            grads: list[np.ndarray] = []
            momentum_buffers: list[np.ndarray | None] = []
            new_buffers = []  # parameters whose momentum buffer the first step creates
            for p in group["params"]:
                if p.grad is None:
                    continue
                params.append(p._array)
                grads.append(p.grad._array)
                if momentum != 0:
                    buffer = state_of[p].get("momentum_buffer")
                    if buffer is None:
                        new_buffers.append((p, len(momentum_buffers)))
                        momentum_buffers.append(None)
                    else:
                        momentum_buffers.append(buffer._array)
            _fused_sgd(params, grads, momentum_buffers, **kwargs)
            for p, i in new_buffers:
                state_of[p].setdefault("momentum_buffer", from_numpy(self._laid_out_buffer(p, momentum_buffers[i])))
        return loss

    def _flat_lists(self, group: dict[str, Any], momentum: bool) -> tuple[list[np.ndarray], ...] | None:
        """`(params, grads[, momentum buffers])` by runs of adjacent parameters (`_flat`), or None.

        Only once every parameter with a gradient has its buffer: the first step makes them.
        """
        live = [p for p in group["params"] if p.grad is not None]
        if len(live) < 2 or momentum and any("momentum_buffer" not in self.state[p] for p in live):
            return None
        names = ["momentum_buffer"] if momentum else []
        return self._flat.gather(group, live, self.state, names, 0, steps=False)

    def _laid_out_buffer(self, p: Any, buf: np.ndarray) -> np.ndarray:
        """A new momentum buffer moved into `StateArena` (next to its neighbours'), when shaped like `p`."""
        arr = p._array
        if buf.shape != arr.shape or buf.dtype != arr.dtype:
            return buf
        moved = self._state_arena.full_like(arr, "momentum_buffer")
        moved[...] = buf
        return moved


def _single_tensor_sgd(params: Arrays, grads: Arrays, momentum_buffers: list[np.ndarray | None], *, momentum: float,
                       dampening: float, lr: float, weight_decay: float, nesterov: bool, maximize: bool) -> None:
    """SGD's update of each parameter in place, in ATen's arithmetic order.

    With momentum, `momentum_buffers[i]` is None until the first step, which stores a new buffer there
    (a copy of the gradient); without momentum the list is not used.
    """
    for i, param in enumerate(params):
        grad = -grads[i] if maximize else grads[i]
        if weight_decay != 0:
            grad = grad + weight_decay * param
        if momentum != 0:
            buf = momentum_buffers[i]
            if buf is None:
                buf = momentum_buffers[i] = np.array(grad, copy=True)
            else:
                buf *= momentum  # buf = momentum * buf + (1 - dampening) * grad
                buf += (1 - dampening) * grad
            grad = grad + momentum * buf if nesterov else buf
        param += -lr * grad


def _fused_sgd(params: Arrays, grads: Arrays, momentum_buffers: list[np.ndarray | None], *, momentum: float,
               dampening: float, lr: float, weight_decay: float, nesterov: bool, maximize: bool,
               scratch: Scratch | None = None) -> None:
    """`_single_tensor_sgd` with bit-identical results, the updates in place on 0-d constants and scratch.

    Deep narrow networks spend most of a step here (see `Scratch`, a fresh one when not given).
    `alpha=1` multiplications are skipped, which is exact.
    """
    scratch = Scratch() if scratch is None else scratch
    consts_for = None  # the dtype the constants below were filled for
    for i, (param, grad) in enumerate(zip(params, grads, strict=True)):
        if consts_for is None or param.dtype != consts_for:
            consts_for = param.dtype
            c_momentum, c_damp, c_lr = scratch.scalars("sgd", param.dtype, (momentum, 1 - dampening, -lr))
        if maximize:
            grad = -grad
        if weight_decay != 0:
            grad = grad + weight_decay * param
        if momentum != 0:
            buf = momentum_buffers[i]
            if buf is None:
                buf = momentum_buffers[i] = np.array(grad, copy=True)
            elif not nesterov and kernels.sgd_momentum_update(param, grad, buf, c_momentum,
                                                              c_damp if dampening != 0 else None, c_lr):
                continue  # the same ufuncs, compiled and multi-threaded (large arrays only)
            else:
                buf *= c_momentum
                if dampening != 0:
                    tmp = scratch.buffers(param)[0]
                    np.multiply(grad, c_damp, out=tmp)
                    buf += tmp
                else:
                    buf += grad
            grad = grad + momentum * buf if nesterov else buf
        tmp = scratch.buffers(param)[0]
        np.multiply(grad, c_lr, out=tmp)
        param += tmp
