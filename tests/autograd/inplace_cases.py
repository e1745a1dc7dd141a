"""In-place ops on non-leaf tensors, written once for both engines: `fn(t, x, w)` with `t` the module
(`trainer` or `torch`) and x, w float64 leaves that require grad. Shared by the tests and by
tools/references_inplace.py, which records PyTorch's output, gradients, or error message for each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np


class Case(NamedTuple):
    fn: Callable[..., Any]
    shapes: tuple[tuple[int, ...], tuple[int, ...]] = ((2, 3), (2, 3))


def _steps(*calls: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def run(y: Any) -> Any:
        for call in calls:
            call(y)
        return y

    return run


def _iadd(y: Any, v: Any) -> Any:
    y += v
    return y


def _isub(y: Any, v: Any) -> Any:
    y -= v
    return y


def _imul(y: Any, v: Any) -> Any:
    y *= v
    return y


def _idiv(y: Any, v: Any) -> Any:
    y /= v
    return y


def _ipow(y: Any, v: Any) -> Any:
    y **= v
    return y


def _no_grad_add(t: Any, target: Any) -> None:
    with t.no_grad():
        target.add_(1.0)


def _unsaved_consumer(t: Any, x: Any, w: Any) -> Any:
    y = x * w
    z = y + 3
    y.mul_(2)  # Add saved nothing: z's gradient still reaches y's old node
    return z * 1


def _saved_consumer(t: Any, x: Any, w: Any) -> Any:
    y = x * w
    z = y * y
    y += 1
    return z


def _leaf_modified_under_no_grad(t: Any, x: Any, w: Any) -> Any:
    y = x * w
    _no_grad_add(t, w)
    return y


def _detached_view_modified(t: Any, x: Any, w: Any) -> Any:
    y = x * x
    x.detach().add_(1)  # detach shares the version counter
    return y


def _data_modified(t: Any, x: Any, w: Any) -> Any:
    y = x * x
    x.data.add_(1)  # .data does not: the change goes unnoticed, as in PyTorch
    return y


def _into_fresh_leaf(t: Any, x: Any, w: Any) -> Any:
    y = t.zeros(2, 3, dtype=t.float64)
    y += x * w
    return y * 2


CASES: dict[str, Case] = {
    "iadd_scalar": Case(lambda t, x, w: _iadd(x * 2, 1) * x),
    "iadd_tensor": Case(lambda t, x, w: _iadd(x * 2, w) * w),
    "iadd_broadcast": Case(lambda t, x, w: _iadd(x * 2, w) * x, ((2, 3), (3,))),
    "isub": Case(lambda t, x, w: _isub(x * w, x) * 3),
    "imul": Case(lambda t, x, w: _imul(x + 0, w)),
    "imul_scalar_then_iadd": Case(lambda t, x, w: _iadd(_imul(x * w, 3), x)),
    "idiv": Case(lambda t, x, w: _idiv(x * 3, w * w + 1)),
    "div_by_scalar_then_iadd": Case(lambda t, x, w: _iadd(x / 2, 1) * w),
    "ipow": Case(lambda t, x, w: _ipow(x * w + 2, 2)),
    "add_alpha": Case(lambda t, x, w: (x * 1).add_(w, alpha=-0.5)),
    "sub_alpha": Case(lambda t, x, w: (x * w).sub_(w, alpha=0.25)),
    "mul_div_chain": Case(lambda t, x, w: (x * 1).mul_(w).div_(2.0).add_(x)),
    "neg_": Case(lambda t, x, w: (x * w).neg_()),
    "abs_": Case(lambda t, x, w: (x * w).abs_()),
    "sqrt_": Case(lambda t, x, w: (x * x + 1).sqrt_() * w),
    "exp_": Case(lambda t, x, w: (x * 0.5).exp_() * w),
    "log_": Case(lambda t, x, w: (x * x + 1).log_()),
    "sigmoid_tanh_": Case(lambda t, x, w: (x * w).sigmoid_().tanh_()),
    "relu_": Case(lambda t, x, w: (x * w).relu_()),
    "clamp_": Case(lambda t, x, w: (x * 2).clamp_(-0.5, 0.5) * w),
    "clamp_min_": Case(lambda t, x, w: (x * 2).clamp_min_(0.1)),
    "addcmul_": Case(lambda t, x, w: (x * 1).addcmul_(w, x, value=0.3)),
    "addcdiv_": Case(lambda t, x, w: (x * 1).addcdiv_(w, x * x + 1, value=-0.7)),
    "lerp_": Case(lambda t, x, w: (x * 1).lerp_(w, 0.25)),
    "masked_fill_": Case(lambda t, x, w: (x * w).masked_fill_(x > 0, 0.5) * x),
    "copy_": Case(lambda t, x, w: (x * 2).copy_(w * 3) * x),
    "fill_": Case(lambda t, x, w: (x * 2).fill_(1.5) * w),
    "zero_": Case(lambda t, x, w: (x * 2).zero_() + w),
    "unsqueeze_": Case(lambda t, x, w: (x * 2).unsqueeze_(0) * w),
    "into_fresh_leaf": Case(_into_fresh_leaf),
    "unsaved_consumer": Case(_unsaved_consumer),
    "data_modified": Case(_data_modified),
    # PyTorch refuses these at backward: a value a node saved was changed in place
    "saved_consumer": Case(_saved_consumer),
    "saved_result_exp": Case(lambda t, x, w: _iadd(x.exp(), 1)),
    "saved_result_sigmoid": Case(lambda t, x, w: (x * w).sigmoid().mul_(2)),
    "saved_result_of_inplace": Case(lambda t, x, w: (x * 1).exp_().add_(1)),
    "leaf_modified_under_no_grad": Case(_leaf_modified_under_no_grad),
    "detached_view_modified": Case(_detached_view_modified),
}


def draw(name: str, case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The case's inputs x, w (float64), drawn from a seed of its name; the output weights come later."""
    rng = np.random.default_rng(sum(name.encode()))
    return rng.standard_normal(case.shapes[0]), rng.standard_normal(case.shapes[1]), None


def run(t: Any, name: str) -> dict[str, Any]:
    """Output, gradients and error message of one case under engine `t`."""
    case = CASES[name]
    xa, wa, _ = draw(name, case)
    x = t.tensor(xa, dtype=t.float64, requires_grad=True)
    w = t.tensor(wa, dtype=t.float64, requires_grad=True)
    try:
        out = case.fn(t, x, w)
        weights = np.random.default_rng(len(name)).standard_normal(tuple(out.shape))
        out.backward(t.tensor(weights, dtype=t.float64))
    except RuntimeError as e:
        return {"error": str(e).split(" Hint:")[0]}
    return {
        "output": out.detach().numpy().copy(),
        "grads": [np.zeros(xa.shape) if x.grad is None else x.grad.numpy().copy(),
                  np.zeros(wa.shape) if w.grad is None else w.grad.numpy().copy()],
        "version": out._version,
    }
