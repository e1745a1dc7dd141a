"""Schedule-free AdamW, SGD and RAdam (Defazio et al. 2024, "The Road Less Scheduled"), as schedulefree computes them.

Each parameter keeps `z`, the base optimizer's iterate; the averaged point `x` (where the model is
evaluated) is never stored: in train mode the parameters hold `y = (1 - beta1) * z + beta1 * x`, the
point gradients are taken at, and `eval()` / `train()` move them between `y` and `x` in place. The
average's weights grow with `lr_max ** weight_lr_power` (and `k ** r`), so warm-up steps count less.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import Tensor, from_numpy, no_grad
from ._functional import Arrays, addcmul_, lerp_
from .optimizer import Optimizer, ParamsT, _to_scalar

NOT_IN_TRAIN_MODE = ("Optimizer was not in train mode when step is called. Please insert .train() and .eval() calls "
                     "on the optimizer. See documentation for details.")


class _ScheduleFree(Optimizer):
    """What the three share: train/eval moving between y and x, the step's mode check, the averaging weight."""

    def _beta(self, group: dict[str, Any]) -> float:
        """The interpolation coefficient between x and z (beta1, or SGD's momentum)."""
        return float(_to_scalar(group["betas"][0]))

    @no_grad()
    def eval(self) -> None:
        """Move the parameters to the averaged point x, for evaluation and saving."""
        for group in self.param_groups:
            if group["train_mode"]:
                self._lerp_to_z(group, 1 - 1 / self._beta(group))
                group["train_mode"] = False

    @no_grad()
    def train(self) -> None:
        """Move the parameters to the point y where gradients are taken."""
        for group in self.param_groups:
            if not group["train_mode"]:
                self._lerp_to_z(group, 1 - self._beta(group))
                group["train_mode"] = True

    def _lerp_to_z(self, group: dict[str, Any], weight: float) -> None:
        for p in group["params"]:
            state = self.state.get(p)
            if state and "z" in state:
                lerp_(p._array, state["z"]._array, weight)

    def _check_train_mode(self) -> None:
        if not self.param_groups[0]["train_mode"]:
            raise RuntimeError(NOT_IN_TRAIN_MODE)

    def _gather_sf(self, group: dict[str, Any], second_moment: bool) -> tuple[Arrays, Arrays, Arrays, Arrays]:
        """(params, grads, z, exp_avg_sq) of the parameters with a gradient; z starts as a copy of the parameter."""
        params, grads, zs, sqs = [], [], [], []
        for p in group["params"]:
            if p.grad is None:
                continue
            state = self.state[p]
            if "z" not in state:  # laid out like p, so adjacent parameters have adjacent state (`_flat`)
                z = self._state_arena.full_like(p._array, "z")
                z[...] = p._array
                state["z"] = from_numpy(z)
                if second_moment:
                    state["exp_avg_sq"] = from_numpy(self._state_arena.full_like(p._array, "exp_avg_sq"))
            params.append(p._array)
            grads.append(p.grad._array)
            zs.append(state["z"]._array)
            if second_moment:
                sqs.append(state["exp_avg_sq"]._array)
        if self.flat_updates and len(params) > 1:  # runs of adjacent parameters, each as one array
            live = [p for p in group["params"] if p.grad is not None]
            flat = self._flat.gather(group, live, self.state, ["z", "exp_avg_sq"] if second_moment else ["z"], 0,
                                     steps=False)
            if flat is not None:
                return flat[0], flat[1], flat[2], flat[3] if second_moment else []
        return params, grads, zs, sqs


def _average_weight(group: dict[str, Any], lr: float, step: int) -> float:
    """Record `lr` as the group's scheduled lr and return ckp1, this step's weight in the running average of x."""
    group["scheduled_lr"] = lr
    lr_max = group["lr_max"] = max(lr, group["lr_max"])
    weight = (step ** group["r"]) * (lr_max ** group["weight_lr_power"])
    weight_sum = group["weight_sum"] = group["weight_sum"] + weight
    return weight / weight_sum if weight_sum != 0 else 0.0


def _warmup(group: dict[str, Any]) -> float:
    k, warmup_steps = group["k"], group["warmup_steps"]
    return (k + 1) / warmup_steps if k < warmup_steps else 1.0


class AdamWScheduleFree(_ScheduleFree):
    """AdamW without a schedule: an average of its iterates replaces the decay; linear warm-up via warmup_steps.

    schedulefree's `AdamWScheduleFree`. Call `train()` before training steps and `eval()` before evaluating
    or saving (the training loop does); `step()` in eval mode raises, as the reference does.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float | Tensor = 0.0025,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        warmup_steps: int = 0,
        r: float = 0.0,
        weight_lr_power: float = 2.0,
        foreach: bool | None = True,
    ) -> None:
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "r": r, "k": 0, "warmup_steps": warmup_steps,
                    "train_mode": False, "weight_sum": 0.0, "lr_max": -1.0, "scheduled_lr": 0.0,
                    "weight_lr_power": weight_lr_power, "weight_decay": weight_decay, "foreach": foreach}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One step at y: Adam-normalized gradient moves z; y follows the average."""
        self._check_train_mode()
        loss = self._evaluate(closure)
        for group in self.param_groups:
            k = group["k"]
            beta1, beta2 = (float(_to_scalar(b)) for b in group["betas"])
            lr = float(_to_scalar(group["lr"])) * _warmup(group)
            ckp1 = _average_weight(group, lr, k + 1)
            params, grads, zs, sqs = self._gather_sf(group, second_moment=True)
            _single_tensor_adamw_schedule_free(params, grads, zs, sqs, lr=lr, beta1=beta1, beta2=beta2,
                                               eps=float(group["eps"]), weight_decay=float(group["weight_decay"]),
                                               bias_correction2=1 - beta2 ** (k + 1), ckp1=ckp1)
            group["k"] = k + 1
        return loss


class RAdamScheduleFree(_ScheduleFree):
    """RAdam without a schedule or warm-up: the rectification term warms up, an iterate average replaces decay.

    schedulefree's `RAdamScheduleFree`; until the rectification applies (rho_t <= 4) steps are plain
    SGD steps on z, or take no step (lr 0) with `silent_sgd_phase=True` (the default).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float | Tensor = 0.0025,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        r: float = 0.0,
        weight_lr_power: float = 2.0,
        foreach: bool | None = True,
        silent_sgd_phase: bool = True,
    ) -> None:
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "r": r, "k": 0, "train_mode": False,
                    "weight_sum": 0.0, "lr_max": -1.0, "scheduled_lr": 0.0, "weight_lr_power": weight_lr_power,
                    "weight_decay": weight_decay, "foreach": foreach, "silent_sgd_phase": silent_sgd_phase}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One step at y: a rectified-Adam (or SGD) step on z; y follows the average."""
        self._check_train_mode()
        loss = self._evaluate(closure)
        for group in self.param_groups:
            k = group["k"]
            step = k + 1
            beta1, beta2 = (float(_to_scalar(b)) for b in group["betas"])
            beta2_t = beta2**step
            bias_correction2 = 1 - beta2_t
            rho_inf = 2 / (1 - beta2) - 1
            rho_t = rho_inf - 2 * step * beta2_t / bias_correction2
            adaptive = rho_t > 4.0
            if adaptive:
                rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            else:
                rect = float(not group["silent_sgd_phase"])
            lr = float(_to_scalar(group["lr"])) * rect
            ckp1 = _average_weight(group, lr, step)
            params, grads, zs, sqs = self._gather_sf(group, second_moment=True)
            _single_tensor_radam_schedule_free(params, grads, zs, sqs, lr=lr, beta1=beta1, beta2=beta2,
                                               eps=float(group["eps"]), weight_decay=float(group["weight_decay"]),
                                               bias_correction2=bias_correction2, ckp1=ckp1, adaptive=adaptive)
            group["k"] = k + 1
        return loss


class SGDScheduleFree(_ScheduleFree):
    """SGD with momentum without a schedule: the momentum is an average of iterates; warm-up via warmup_steps.

    schedulefree's `SGDScheduleFree` (lr 1.0 by default, as there).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float | Tensor = 1.0,
        momentum: float = 0.9,
        weight_decay: float = 0,
        warmup_steps: int = 0,
        r: float = 0.0,
        weight_lr_power: float = 2,
        foreach: bool | None = True,
    ) -> None:
        if _to_scalar(lr) < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if momentum <= 0 or momentum >= 1:
            raise ValueError(f"Momentum must be between 0 and 1 exclusive: {momentum}")
        defaults = {"lr": lr, "momentum": momentum, "r": r, "k": 0, "warmup_steps": warmup_steps,
                    "train_mode": False, "weight_sum": 0.0, "lr_max": -1.0, "scheduled_lr": 0.0,
                    "weight_lr_power": weight_lr_power, "weight_decay": weight_decay, "foreach": foreach}
        super().__init__(params, defaults)

    def _beta(self, group: dict[str, Any]) -> float:
        return float(group["momentum"])

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One step at y: an SGD step on z; y follows the average."""
        self._check_train_mode()
        loss = self._evaluate(closure)
        for group in self.param_groups:
            k = group["k"]
            lr = float(_to_scalar(group["lr"])) * _warmup(group)
            ckp1 = _average_weight(group, lr, k + 1)
            params, grads, zs, _ = self._gather_sf(group, second_moment=False)
            _single_tensor_sgd_schedule_free(params, grads, zs, lr=lr, momentum=float(group["momentum"]),
                                             weight_decay=float(group["weight_decay"]), ckp1=ckp1)
            group["k"] = k + 1
        return loss


def _y_and_z_step(y: np.ndarray, z: np.ndarray, direction: np.ndarray, *, y_lr: float, lr: float, ckp1: float) -> None:
    """y moves toward z by ckp1 and along the direction by y_lr; z takes the base optimizer's step."""
    lerp_(y, z, ckp1)
    y += direction * y_lr
    z -= direction * lr


def _single_tensor_adamw_schedule_free(params: Arrays, grads: Arrays, zs: Arrays, exp_avg_sqs: Arrays, *, lr: float,
                                       beta1: float, beta2: float, eps: float, weight_decay: float,
                                       bias_correction2: float, ckp1: float) -> None:
    """Schedule-free AdamW's update of each parameter (y) and its z in place; weight decay taken at y."""
    for y, grad, z, exp_avg_sq in zip(params, grads, zs, exp_avg_sqs, strict=True):
        exp_avg_sq *= beta2
        addcmul_(exp_avg_sq, grad, grad, 1 - beta2)
        direction = grad / (np.sqrt(exp_avg_sq / bias_correction2) + eps)
        if weight_decay != 0:
            direction += y * weight_decay
        _y_and_z_step(y, z, direction, y_lr=lr * (beta1 * (1 - ckp1) - 1), lr=lr, ckp1=ckp1)


def _single_tensor_radam_schedule_free(params: Arrays, grads: Arrays, zs: Arrays, exp_avg_sqs: Arrays, *, lr: float,
                                       beta1: float, beta2: float, eps: float, weight_decay: float,
                                       bias_correction2: float, ckp1: float, adaptive: bool) -> None:
    """Schedule-free RAdam's update in place: Adam-normalized once `adaptive`, the raw gradient before."""
    for y, grad, z, exp_avg_sq in zip(params, grads, zs, exp_avg_sqs, strict=True):
        exp_avg_sq *= beta2
        addcmul_(exp_avg_sq, grad, grad, 1 - beta2)
        direction = grad / (np.sqrt(exp_avg_sq / bias_correction2) + eps) if adaptive else grad.copy()
        if weight_decay != 0:
            direction += y * weight_decay
        _y_and_z_step(y, z, direction, y_lr=lr * (beta1 * (1 - ckp1) - 1), lr=lr, ckp1=ckp1)


def _single_tensor_sgd_schedule_free(params: Arrays, grads: Arrays, zs: Arrays, *, lr: float, momentum: float,
                                     weight_decay: float, ckp1: float) -> None:
    """Schedule-free SGD's update of each parameter (y) and its z in place."""
    for y, grad, z in zip(params, grads, zs, strict=True):
        direction = grad + y * weight_decay if weight_decay != 0 else grad
        _y_and_z_step(y, z, direction, y_lr=lr * (momentum * (1 - ckp1) - 1), lr=lr, ckp1=ckp1)
