"""Adafactor: Adam-like steps with factored (row/column) second moments for matrices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import from_numpy, no_grad
from ._functional import Arrays, grads_of, lerp_, signed
from .optimizer import Optimizer, ParamsT, _increment, _scalar_tensor, _to_scalar, _zeros_like


def _norm(a: np.ndarray) -> float:
    return float(np.sqrt(np.sum(a * a)))


class Adafactor(Optimizer):
    """`torch.optim.Adafactor` (PyTorch's variant, no first moment).

    Parameters with more than one dimension keep `row_var` and `col_var` over their last two
    dimensions; vectors keep a full `variance`. `eps=(eps1, eps2)`: eps1 (None means the dtype's
    machine epsilon) guards the second-moment estimate, eps2 the parameter-scale term.
    """

    group_key_tail = ("foreach", "maximize")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        beta2_decay: float = -0.8,
        eps: tuple[float | None, float] = (None, 1e-3),
        d: float = 1.0,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        if not 0.0 <= _to_scalar(lr):
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = {"lr": lr, "beta2_decay": beta2_decay, "eps": tuple(eps), "d": d, "weight_decay": weight_decay,
                    "maximize": maximize}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, row_vars, col_vars, variances, state_steps = [], [], [], [], [], []
            for p, grad in grads_of(group["params"]):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _scalar_tensor(0.0)
                    if grad.ndim > 1:
                        state["row_var"] = from_numpy(np.zeros(grad.shape[:-1] + (1,), grad.dtype))
                        state["col_var"] = from_numpy(np.zeros(grad.shape[:-2] + (1,) + grad.shape[-1:], grad.dtype))
                    else:
                        state["variance"] = _zeros_like(p)
                params.append(p._array)
                grads.append(grad)
                factored = grad.ndim > 1
                row_vars.append(state["row_var"]._array if factored else None)
                col_vars.append(state["col_var"]._array if factored else None)
                variances.append(None if factored else state["variance"]._array)
                state_steps.append(state["step"]._array)
            _single_tensor_adafactor(params, grads, row_vars, col_vars, variances, state_steps,
                                     lr=float(_to_scalar(group["lr"])), beta2_decay=float(group["beta2_decay"]),
                                     eps1=group["eps"][0], eps2=group["eps"][1], d=float(group["d"]),
                                     weight_decay=float(group["weight_decay"]), maximize=group["maximize"])
        return loss


def _single_tensor_adafactor(params: Arrays, grads: Arrays, row_vars: list[np.ndarray | None],
                             col_vars: list[np.ndarray | None], variances: list[np.ndarray | None], state_steps: Arrays,
                             *, lr: float, beta2_decay: float, eps1: float | None, eps2: float, d: float,
                             weight_decay: float, maximize: bool) -> None:
    """Adafactor's update of each parameter in place.

    Matrices (and stacks of them) use `row_vars`/`col_vars` (None for vectors), vectors `variances`
    (None for matrices). `eps1=None` takes the first parameter's machine epsilon for all of them.
    """
    for i, param in enumerate(params):
        grad = signed(grads[i], maximize)
        if eps1 is None:  # as in PyTorch, the first parameter's dtype decides for the whole group
            eps1 = float(np.finfo(param.dtype).eps)
        step = _increment(state_steps[i])
        one_minus_beta2_t = step**beta2_decay
        rho_t = min(lr, 1 / step**0.5)
        alpha = max(eps2, _norm(param) / param.size**0.5) * rho_t
        if weight_decay != 0:
            param *= 1 - lr * weight_decay
        if grad.ndim > 1:
            row_var, col_var = row_vars[i], col_vars[i]
            row_mean = np.sqrt(np.sum(grad * grad, axis=-1, keepdims=True)) ** 2 / grad.shape[-1]
            lerp_(row_var, row_mean, one_minus_beta2_t)
            col_mean = np.sqrt(np.sum(grad * grad, axis=-2, keepdims=True)) ** 2 / grad.shape[-2]
            lerp_(col_var, col_mean, one_minus_beta2_t)
            var_estimate = row_var @ col_var
            var_estimate /= np.maximum(row_var.mean(axis=-2, keepdims=True), eps1)
        else:
            variance = lerp_(variances[i], grad * grad, one_minus_beta2_t)
            var_estimate = variance.copy()
        np.maximum(var_estimate, eps1 * eps1, out=var_estimate)
        update = np.reciprocal(np.sqrt(var_estimate))
        update *= grad
        denom = max(1.0, _norm(update) / (update.size**0.5 * d))
        param += (-alpha / denom) * update
