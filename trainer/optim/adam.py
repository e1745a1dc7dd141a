"""Adam and AdamW (Adam with decoupled weight decay), with AMSGrad.

`_single_tensor_adam` states the update rule; `_fused_adam`, which `step()` runs, gives the same bits faster.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import kernels, no_grad
from ._functional import Arrays, Scratch, addcdiv_, addcmul_, lerp_
from .optimizer import Optimizer, ParamsT, _increment, _to_scalar, check_betas, check_common


class Adam(Optimizer):
    """`torch.optim.Adam` (single-tensor arithmetic); `decoupled_weight_decay=True` makes it AdamW."""

    _elementwise = True  # adjacent parameters are updated as one flat array

    group_key_tail = ("maximize", "foreach", "capturable", "differentiable", "fused", "decoupled_weight_decay")

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
        """One Adam step for every parameter with a gradient (`_fused_adam`, the rule of `_single_tensor_adam`)."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            amsgrad = group["amsgrad"]
            params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps = self._gather(
                group, ("exp_avg", "exp_avg_sq"), optional={"max_exp_avg_sq": amsgrad})
            beta1, beta2 = group["betas"]
            _fused_adam(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps, amsgrad=amsgrad,
                        beta1=float(_to_scalar(beta1)), beta2=float(_to_scalar(beta2)),
                        lr=float(_to_scalar(group["lr"])), weight_decay=float(group["weight_decay"]),
                        eps=float(group["eps"]), maximize=group["maximize"],
                        decoupled_weight_decay=group["decoupled_weight_decay"], scratch=self._scratch)
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


def _single_tensor_adam(params: Arrays, grads: Arrays, exp_avgs: Arrays, exp_avg_sqs: Arrays, max_exp_avg_sqs: Arrays,
                        state_steps: Arrays, *, amsgrad: bool, beta1: float, beta2: float, lr: float,
                        weight_decay: float, eps: float, maximize: bool, decoupled_weight_decay: bool) -> None:
    """Adam's update of each parameter in place, one line per term (Kingma & Ba, Algorithm 1).

    `max_exp_avg_sqs` is used (and must match `params`) only with `amsgrad`; `state_steps` are 0-d step
    counters, incremented here. This is the readable statement of the rule; `_fused_adam` computes the
    same numbers faster.
    """
    for i, param in enumerate(params):
        grad = -grads[i] if maximize else grads[i]
        exp_avg, exp_avg_sq = exp_avgs[i], exp_avg_sqs[i]
        step = _increment(state_steps[i])
        if weight_decay != 0:
            if decoupled_weight_decay:
                param *= 1 - lr * weight_decay
            else:
                grad = grad + weight_decay * param
        lerp_(exp_avg, grad, 1 - beta1)  # m = beta1 * m + (1 - beta1) * g
        exp_avg_sq *= beta2  # v = beta2 * v + (1 - beta2) * g * g
        addcmul_(exp_avg_sq, grad, grad, 1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        if amsgrad:
            np.maximum(max_exp_avg_sqs[i], exp_avg_sq, out=max_exp_avg_sqs[i])
            second_moment = max_exp_avg_sqs[i]
        else:
            second_moment = exp_avg_sq
        denom = np.sqrt(second_moment) / bias_correction2**0.5 + eps  # sqrt(v_hat) + eps
        addcdiv_(param, exp_avg, denom, -step_size)  # param -= lr * m_hat / denom


def _fused_adam(params: Arrays, grads: Arrays, exp_avgs: Arrays, exp_avg_sqs: Arrays, max_exp_avg_sqs: Arrays,
                state_steps: Arrays, *, amsgrad: bool, beta1: float, beta2: float, lr: float, weight_decay: float,
                eps: float, maximize: bool, decoupled_weight_decay: bool, scratch: Scratch | None = None) -> None:
    """`_single_tensor_adam` with bit-identical results, as a fixed run of in-place ufuncs per parameter.

    The hot loop of small networks: each update works on its state, two shared scratch buffers and 0-d
    constants (`Scratch`, a fresh one when not given), so it makes no temporaries and no Python-float
    operands, yet rounds exactly as the one-term-per-line form does.
    """
    scratch = Scratch() if scratch is None else scratch
    weight = 1 - beta1  # lerp_'s weight; ATen switches to the formula exact at 1 from 0.5 up
    two_sided = abs(weight) >= 0.5
    consts_for = None  # (step, dtype) the constants below were filled for
    max_sqs = max_exp_avg_sqs if amsgrad else params  # not used without amsgrad
    for param, grad, exp_avg, exp_avg_sq, max_sq, state_step in zip(
            params, grads, exp_avgs, exp_avg_sqs, max_sqs, state_steps, strict=True):
        if maximize:
            grad = -grad
        step = _increment(state_step)
        if (step, param.dtype) != consts_for:
            consts_for = (step, param.dtype)
            bias_correction1 = 1 - beta1**step
            bias_correction2 = 1 - beta2**step
            lerp_scale = float(1 - param.dtype.type(weight)) if two_sided else weight
            c_lerp, c_beta2, c_sq, c_bc2, c_eps, c_step, c_decay = scratch.scalars(
                "adam", param.dtype, (lerp_scale, beta2, 1 - beta2, bias_correction2**0.5, eps,
                                      -(lr / bias_correction1), 1 - lr * weight_decay))
        if weight_decay != 0:
            if decoupled_weight_decay:
                param *= c_decay
            else:
                grad = grad + weight_decay * param
        if param.size >= kernels.NUMPY_BELOW[0] and kernels.adam_update(
                param, grad, exp_avg, exp_avg_sq, max_sq if amsgrad else None,
                (c_lerp, c_beta2, c_sq, c_bc2, c_eps, c_step), two_sided):
            continue  # the same ufunc sequence below, compiled and multi-threaded (large arrays only)
        buf, buf2 = scratch.buffers(param)
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
            np.maximum(max_sq, exp_avg_sq, out=max_sq)
            np.sqrt(max_sq, out=buf)
        else:
            np.sqrt(exp_avg_sq, out=buf)
        buf /= c_bc2
        buf += c_eps  # denom
        np.multiply(exp_avg, c_step, out=buf2)  # addcdiv_: (value * exp_avg) / denom
        buf2 /= buf
        param += buf2
