"""Adam and AdamW (Adam with decoupled weight decay), with AMSGrad."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import no_grad
from .optimizer import Optimizer, ParamsT, _increment, _scalar_tensor, _to_scalar, _zeros_like


def check_betas(betas: tuple[float, float]) -> None:
    """Both coefficients in [0, 1), PyTorch's messages."""
    for i, beta in enumerate(betas):
        if not 0.0 <= _to_scalar(beta) < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")


def check_common(lr: float, eps: float, weight_decay: float) -> None:
    """lr, eps and weight_decay must be non-negative."""
    if not 0.0 <= _to_scalar(lr):
        raise ValueError(f"Invalid learning rate: {lr}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")


class Adam(Optimizer):
    """`torch.optim.Adam` (single-tensor arithmetic); `decoupled_weight_decay=True` makes it AdamW."""

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        check_common(lr, eps, weight_decay)
        check_betas(betas)
        betas = (float(_to_scalar(betas[0])), float(_to_scalar(betas[1])))
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adam step per parameter with a gradient, in ATen's single-tensor arithmetic order.

        The hot loop of small networks, so each parameter's update is a fixed run of in-place ufuncs on
        its state, two shared scratch buffers (`_buffers`) and 0-d constants (`_scalars`): no temporaries,
        no Python-float operands, the same roundings as the one-expression-per-line form:

            exp_avg.lerp_(grad, 1 - beta1)                 # exp_avg += (1 - beta1) * (grad - exp_avg)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2)
            denom = (exp_avg_sq.sqrt() / sqrt(1 - beta2**step)) + eps     # max_exp_avg_sq with AMSGrad
            param.addcdiv_(exp_avg, denom, -lr / (1 - beta1**step))
        """
        loss = self._evaluate(closure)
        state_of = self.state
        for group in self.param_groups:
            lr = float(_to_scalar(group["lr"]))
            beta1, beta2 = (float(_to_scalar(b)) for b in group["betas"])
            eps, weight_decay = float(group["eps"]), float(group["weight_decay"])
            amsgrad, maximize, decoupled = group["amsgrad"], group["maximize"], group["decoupled_weight_decay"]
            weight = 1 - beta1  # lerp_'s weight; ATen switches to the formula exact at 1 from 0.5 up
            two_sided = abs(weight) >= 0.5
            consts_for = None  # (step, dtype) the constants below were filled for
            for p in group["params"]:
                if p.grad is None:
                    continue
                param, grad = p.data, p.grad.data
                state = state_of[p]
                if len(state) == 0:
                    state["step"] = _scalar_tensor(0.0)
                    state["exp_avg"] = _zeros_like(p)
                    state["exp_avg_sq"] = _zeros_like(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = _zeros_like(p)
                if maximize:
                    grad = -grad
                step = _increment(state["step"])
                if (step, param.dtype) != consts_for:
                    consts_for = (step, param.dtype)
                    bias_correction1 = 1 - beta1**step
                    bias_correction2 = 1 - beta2**step
                    lerp_scale = float(1 - param.dtype.type(weight)) if two_sided else weight
                    c_lerp, c_beta2, c_sq, c_bc2, c_eps, c_step, c_decay = self._scalars(
                        "adam", param.dtype, (lerp_scale, beta2, 1 - beta2, bias_correction2**0.5, eps,
                                              -(lr / bias_correction1), 1 - lr * weight_decay))
                if weight_decay != 0:
                    if decoupled:
                        param *= c_decay
                    else:
                        grad = grad + weight_decay * param
                exp_avg, exp_avg_sq = state["exp_avg"].data, state["exp_avg_sq"].data
                buf, buf2 = self._buffers(param)
                np.subtract(grad, exp_avg, out=buf)  # lerp_
                buf *= c_lerp
                if two_sided:
                    np.subtract(grad, buf, out=exp_avg)  # grad - (grad - exp_avg) * (1 - weight)
                else:
                    exp_avg += buf
                exp_avg_sq *= c_beta2
                np.multiply(grad, c_sq, out=buf)  # addcmul_: (value * grad) * grad
                buf *= grad
                exp_avg_sq += buf
                if amsgrad:
                    max_sq = state["max_exp_avg_sq"].data
                    np.maximum(max_sq, exp_avg_sq, out=max_sq)
                    np.sqrt(max_sq, out=buf)
                else:
                    np.sqrt(exp_avg_sq, out=buf)
                buf /= c_bc2
                buf += c_eps  # denom
                np.multiply(exp_avg, c_step, out=buf2)  # addcdiv_: (value * exp_avg) / denom
                buf2 /= buf
                param += buf2
        return loss


class AdamW(Adam):
    """`torch.optim.AdamW`: Adam whose weight decay shrinks the parameters directly (default 1e-2)."""

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         decoupled_weight_decay=True)

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        super().load_state_dict(state_dict)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
