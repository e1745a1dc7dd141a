"""SOAP: Adam run in the eigenbasis of Shampoo's preconditioners (pytorch_optimizer's `SOAP`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import Tensor, from_numpy, no_grad
from . import _pytorch_optimizer as po
from ._functional import lerp_
from ._shapes import merge_small_dims
from .optimizer import Optimizer, ParamsT, _to_scalar

Basis = list[Any]  # per dimension: a Tensor (a matrix) or [] (that dimension is not preconditioned)


class SOAP(Optimizer):
    """Adam in the eigenbasis of Shampoo's preconditioners (Vyas et al. 2024).

    pytorch_optimizer's `SOAP`. Each dimension of a parameter up to `max_precondition_dim` gets a
    statistics matrix GG (an EMA of gradient outer products) whose eigenvectors Q, found by `eigh` on the
    first step and refined by one power iteration and a float32 QR every `precondition_frequency` steps,
    rotate the gradient before Adam's moments. The first step only gathers statistics. Its state is not
    parameter-sized: GG and Q add 2 d^2 numbers per preconditioned dimension d.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 3e-3,
        betas: tuple[float, float] = (0.95, 0.95),
        shampoo_beta: float | None = None,
        weight_decay: float = 1e-2,
        precondition_frequency: int = 10,
        max_precondition_dim: int = 10000,
        merge_dims: bool = False,
        precondition_1d: bool = False,
        correct_bias: bool = True,
        normalize_gradient: bool = False,
        data_format: str = "channels_first",
        eps: float = 1e-8,
        maximize: bool = False,
    ) -> None:
        po.check_lr(lr)
        po.check_betas(betas)
        po.check_non_negative(shampoo_beta=shampoo_beta, weight_decay=weight_decay)
        po.check_positive(precondition_frequency=precondition_frequency, max_precondition_dim=max_precondition_dim)
        po.check_non_negative(eps=eps)
        po.check_options(data_format, "data_format", ["channels_first", "channels_last"])
        self.data_format = data_format
        self.maximize = maximize
        defaults = {"lr": lr, "betas": tuple(betas), "shampoo_beta": shampoo_beta, "weight_decay": weight_decay,
                    "precondition_frequency": precondition_frequency, "max_precondition_dim": max_precondition_dim,
                    "merge_dims": merge_dims, "precondition_1d": precondition_1d, "correct_bias": correct_bias,
                    "normalize_gradient": normalize_gradient, "eps": eps}
        super().__init__(params, defaults)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        super().add_param_group(param_group)
        group = self.param_groups[-1]
        if not group["merge_dims"]:
            return
        for p in group["params"]:  # the reference fails at its first step on these; say so up front
            shape = p.shape if not (self.data_format == "channels_last" and p.dim() == 4) else \
                tuple(p.shape[i] for i in (0, 3, 1, 2))
            if p.numel() > 1 and merge_small_dims(tuple(shape), group["max_precondition_dim"]) == [1]:
                raise ValueError(f"merge_dims would merge every dimension of a {tuple(p.shape)} parameter into one "
                                 f"(max_precondition_dim={group['max_precondition_dim']}), which SOAP cannot "
                                 "precondition; lower max_precondition_dim below its size, or set merge_dims per "
                                 "parameter group")

    # ----- shapes ----------------------------------------------------------------------------
    def _channels_last(self, x: np.ndarray) -> bool:
        return self.data_format == "channels_last" and x.ndim == 4

    def _merged(self, x: np.ndarray, max_dim: int) -> np.ndarray:
        if self._channels_last(x):
            x = x.transpose(0, 3, 1, 2)
        return x.reshape(merge_small_dims(x.shape, max_dim))

    def _unmerged(self, x: np.ndarray, like: np.ndarray) -> np.ndarray:
        if self._channels_last(like):
            return x.reshape(like.transpose(0, 3, 1, 2).shape).transpose(0, 2, 3, 1)
        return x.reshape(like.shape)

    def _project(self, x: np.ndarray, basis: Basis, group: dict[str, Any], backward: bool = False) -> np.ndarray:
        """x rotated into the eigenbasis (each dimension contracted with its Q), or back with `backward`."""
        original = x
        if group["merge_dims"]:
            x = self._merged(x, group["max_precondition_dim"])
        for q in basis:
            if isinstance(q, Tensor):
                x = np.tensordot(x, q._array, axes=([0], [1 if backward else 0]))
            else:
                x = np.moveaxis(x, 0, -1)
        return self._unmerged(x, original) if group["merge_dims"] else x

    # ----- preconditioner --------------------------------------------------------------------
    def _init_preconditioner(self, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        max_dim = group["max_precondition_dim"]
        if grad.ndim == 1:
            dims = [grad.shape[0]] if group["precondition_1d"] and grad.shape[0] <= max_dim else [None]
        else:
            shape = self._merged(grad, max_dim).shape if group["merge_dims"] else grad.shape
            dims = [d if d <= max_dim else None for d in shape]
        state["GG"] = [from_numpy(np.zeros((d, d), dtype=grad.dtype)) if d is not None else [] for d in dims]
        state["Q"] = None
        state["precondition_frequency"] = group["precondition_frequency"]
        state["shampoo_beta"] = group["shampoo_beta"] if group["shampoo_beta"] is not None else group["betas"][1]

    def _update_preconditioner(self, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any],
                               step: int) -> None:
        weight = 1.0 - state["shampoo_beta"]
        max_dim = group["max_precondition_dim"]
        if grad.ndim == 1:
            if group["precondition_1d"] and grad.shape[0] <= max_dim:
                lerp_(state["GG"][0]._array, np.outer(grad, grad), weight)
        else:
            if group["merge_dims"]:
                grad = self._merged(grad, max_dim)
            for idx, dim in enumerate(grad.shape):
                if dim <= max_dim:
                    others = [i for i in range(grad.ndim) if i != idx]
                    lerp_(state["GG"][idx]._array, np.tensordot(grad, grad, axes=(others, others)), weight)
        if state["Q"] is None:
            state["Q"] = _eigenbases(state["GG"])
        if step > 0 and step % state["precondition_frequency"] == 0:
            state["Q"] = self._power_iteration(state, group)

    def _power_iteration(self, state: dict[str, Any], group: dict[str, Any]) -> Basis:
        """One power iteration and a float32 QR per matrix; exp_avg_sq is permuted to the new eigenvalue order."""
        original = state["exp_avg_sq"]._array
        exp_avg_sq = self._merged(original, group["max_precondition_dim"]) if group["merge_dims"] else original
        basis: Basis = []
        for axis, (gg, q) in enumerate(zip(state["GG"], state["Q"], strict=True)):
            if not isinstance(gg, Tensor):
                basis.append([])
                continue
            product = gg._array @ q._array
            estimated = (q._array * product).sum(axis=0)
            order = np.argsort(-estimated, kind="stable")
            exp_avg_sq = np.take(exp_avg_sq, order, axis=axis)
            new_q, _ = np.linalg.qr(product[:, order].astype(np.float32))
            basis.append(from_numpy(new_q.astype(product.dtype)))
        if group["merge_dims"]:
            exp_avg_sq = self._unmerged(exp_avg_sq, original)
        state["exp_avg_sq"] = from_numpy(np.ascontiguousarray(exp_avg_sq))
        return basis

    # ----- step ------------------------------------------------------------------------------
    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One SOAP step for every parameter with a gradient (the group's first step only gathers statistics)."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                if p.grad is not None and len(state) == 0:
                    state["exp_avg"] = po.zeros_like(p)
                    state["exp_avg_sq"] = po.zeros_like(p)
                    self._init_preconditioner(p.grad._array, state, group)
                    self._update_preconditioner(p.grad._array, state, group, group.get("step", 0))
            if po.next_step(group) == 1:
                continue
            step = group["step"] - 1
            beta1, beta2 = group["betas"]
            lr = float(_to_scalar(group["lr"]))
            step_size = lr
            if group["correct_bias"]:
                step_size *= math.sqrt(po.debias(beta2, step)) / po.debias(beta1, step)
            for p in group["params"]:
                if p.grad is not None:
                    self._update(p, group, step, step_size, lr, beta1, beta2)
        return loss

    def _update(self, p: Tensor, group: dict[str, Any], step: int, step_size: float, lr: float, beta1: float,
                beta2: float) -> None:
        state, param = self.state[p], p._array
        grad = -p.grad._array if self.maximize else p.grad._array
        projected = self._project(grad, state["Q"], group)
        exp_avg, exp_avg_sq = state["exp_avg"]._array, state["exp_avg_sq"]._array
        lerp_(exp_avg, grad, 1.0 - beta1)
        lerp_(exp_avg_sq, projected * projected, 1.0 - beta2)
        denom = np.sqrt(exp_avg_sq) + group["eps"]
        direction = self._project(self._project(exp_avg, state["Q"], group) / denom, state["Q"], group, backward=True)
        if group["normalize_gradient"]:
            direction = direction / (math.sqrt(float(np.mean(direction * direction))) + group["eps"])
        param += -step_size * direction
        if group["weight_decay"] != 0.0:
            param *= 1.0 - group["weight_decay"] * lr
        self._update_preconditioner(grad, state, group, step)


def _eigenbases(matrices: Basis) -> Basis:
    """Eigenvectors of each statistics matrix, by decreasing eigenvalue (eigh's order reversed)."""
    out: Basis = []
    for m in matrices:
        if not isinstance(m, Tensor):
            out.append([])
            continue
        _, q = np.linalg.eigh(m._array + 1e-30 * np.eye(m.shape[0], dtype=m._array.dtype))
        out.append(from_numpy(np.ascontiguousarray(q[:, ::-1])))
    return out
