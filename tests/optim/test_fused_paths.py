"""The fused Adam and SGD kernels that `step()` runs give exactly the bits of the readable per-tensor rules."""

from __future__ import annotations

import importlib
import inspect
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import trainer
from trainer import optim
from trainer.optim import adam as adam_module
from trainer.optim import sgd as sgd_module
from trainer.optim._functional import Scratch

SHAPES = [(3, 4), (4,), (1, 4), (1,), (5, 2, 3)]
STEPS = 30


def _arrays(rng: np.random.Generator, dtype: str, scale: float = 1.0) -> list[np.ndarray]:
    return [(scale * rng.standard_normal(shape)).astype(dtype) for shape in SHAPES]


def _grads(dtype: str, steps: int = STEPS) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(7)
    return [_arrays(rng, dtype) for _ in range(steps)]


def _copy(arrays: list[Any]) -> list[Any]:
    return [None if a is None else np.array(a, copy=True) for a in arrays]


def _assert_same(a: list[Any], b: list[Any]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert (x is None) == (y is None)
        if x is not None:
            assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=True)


ADAM_OPTIONS = [
    dict(zip(("amsgrad", "maximize", "weight_decay", "decoupled_weight_decay", "betas"), values, strict=True))
    for values in itertools.product((False, True), (False, True), (0.0, 0.1), (False, True),
                                    ((0.9, 0.999), (0.3, 0.5)))
    if values[2] != 0.0 or not values[3]  # decoupled only matters with a weight decay
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("options", ADAM_OPTIONS, ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()))
def test_fused_adam_matches_single_tensor_adam_bit_for_bit(options: dict[str, Any], dtype: str) -> None:
    rng = np.random.default_rng(0)
    start = _arrays(rng, dtype)
    zeros = [np.zeros_like(a) for a in start]
    step_dtype = np.float64 if dtype == "float64" else np.float32
    runs = []
    for fn, kwargs in ((adam_module._single_tensor_adam, {}), (adam_module._fused_adam, {}),
                       (adam_module._fused_adam, {"scratch": Scratch()})):
        params, exp_avgs, exp_avg_sqs = _copy(start), _copy(zeros), _copy(zeros)
        max_sqs = _copy(zeros) if options["amsgrad"] else []
        steps = [np.array(0.0, step_dtype) for _ in start]
        beta1, beta2 = options["betas"]
        for grads in _grads(dtype):
            fn(params, grads, exp_avgs, exp_avg_sqs, max_sqs, steps, amsgrad=options["amsgrad"], beta1=beta1,
               beta2=beta2, lr=0.05, weight_decay=options["weight_decay"], eps=1e-8, maximize=options["maximize"],
               decoupled_weight_decay=options["decoupled_weight_decay"], **kwargs)
        runs.append((params, exp_avgs, exp_avg_sqs, max_sqs, steps))
    readable = runs[0]
    assert not np.array_equal(readable[0][0], start[0])
    for fused in runs[1:]:
        for a, b in zip(readable, fused, strict=True):
            _assert_same(a, b)


SGD_OPTIONS = [
    {"momentum": momentum, "dampening": dampening, "nesterov": nesterov, "weight_decay": weight_decay,
     "maximize": maximize}
    for momentum, dampening, nesterov, weight_decay, maximize in itertools.product(
        (0.0, 0.9), (0.0, 0.3), (False, True), (0.0, 0.01), (False, True))
    if not nesterov or (momentum > 0 and dampening == 0)
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("options", SGD_OPTIONS, ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()))
def test_fused_sgd_matches_single_tensor_sgd_bit_for_bit(options: dict[str, Any], dtype: str) -> None:
    start = _arrays(np.random.default_rng(1), dtype)
    runs = []
    for fn, kwargs in ((sgd_module._single_tensor_sgd, {}), (sgd_module._fused_sgd, {}),
                       (sgd_module._fused_sgd, {"scratch": Scratch()})):
        params = _copy(start)
        buffers: list[np.ndarray | None] = [None] * len(start) if options["momentum"] else []
        for grads in _grads(dtype):
            fn(params, grads, buffers, lr=0.05, **options, **kwargs)
        runs.append((params, buffers))
    readable = runs[0]
    assert not np.array_equal(readable[0][0], start[0])
    assert all(b is not None for b in readable[1])
    for fused in runs[1:]:
        for a, b in zip(readable, fused, strict=True):
            _assert_same(a, b)


def _readable(fn: Callable[..., None]) -> Callable[..., None]:
    """`fn` in place of a fused kernel, which also takes `scratch`."""

    def call(*args: Any, scratch: Scratch | None = None, **kwargs: Any) -> None:
        return fn(*args, **kwargs)

    return call


def _trajectory(make: Callable[[list[trainer.Tensor]], optim.Optimizer]) -> tuple[list[np.ndarray], dict[str, Any]]:
    """Params and state after many steps over two groups, one float32 and one float64, some grads missing."""
    rng = np.random.default_rng(3)
    params = [trainer.from_numpy(a).requires_grad_() for a in _arrays(rng, "float32")]
    params += [trainer.from_numpy(a).requires_grad_() for a in _arrays(rng, "float64")]
    opt = make(params)
    for i, (g32, g64) in enumerate(zip(_grads("float32"), _grads("float64"), strict=True)):
        for j, (p, g) in enumerate(zip(params, g32 + g64, strict=True)):
            p.grad = None if (i + j) % 7 == 3 else trainer.from_numpy(g)
        opt.step()
    return [p._array.copy() for p in params], opt.state_dict()


def _assert_same_state(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a["param_groups"] == b["param_groups"] and set(a["state"]) == set(b["state"])
    for key, state in a["state"].items():
        assert set(state) == set(b["state"][key])
        for name, value in state.items():
            _assert_same([value._array], [b["state"][key][name]._array])


ADAM_GROUPS: list[Callable[[list[trainer.Tensor]], optim.Optimizer]] = [
    lambda ps: optim.Adam([{"params": ps[:5]}, {"params": ps[5:], "lr": 0.02, "amsgrad": True}], lr=0.05),
    lambda ps: optim.AdamW([{"params": ps[:5], "maximize": True}, {"params": ps[5:], "betas": (0.2, 0.4)}],
                           lr=0.05, weight_decay=0.1),
    lambda ps: optim.Adam([{"params": ps[::2], "weight_decay": 0.1}, {"params": ps[1::2]}], lr=0.05),
]
SGD_GROUPS: list[Callable[[list[trainer.Tensor]], optim.Optimizer]] = [
    lambda ps: optim.SGD([{"params": ps[:5]}, {"params": ps[5:], "momentum": 0.9, "nesterov": True}], lr=0.05),
    lambda ps: optim.SGD([{"params": ps[::2], "dampening": 0.5, "weight_decay": 0.01},
                          {"params": ps[1::2], "maximize": True}], lr=0.05, momentum=0.8),
]


@pytest.mark.parametrize(("module", "fused", "readable", "make"), [
    *[(adam_module, "_fused_adam", "_single_tensor_adam", make) for make in ADAM_GROUPS],
    *[(sgd_module, "_fused_sgd", "_single_tensor_sgd", make) for make in SGD_GROUPS],
])
def test_step_with_two_param_groups_is_the_same_with_the_readable_rule(
    monkeypatch: pytest.MonkeyPatch, module: Any, fused: str, readable: str,
    make: Callable[[list[trainer.Tensor]], optim.Optimizer],
) -> None:
    fast_params, fast_state = _trajectory(make)
    monkeypatch.setattr(module, fused, _readable(getattr(module, readable)))
    slow_params, slow_state = _trajectory(make)
    _assert_same(fast_params, slow_params)
    _assert_same_state(fast_state, slow_state)


RULES = {"Adadelta": "adadelta", "Adafactor": "adafactor", "Adagrad": "adagrad", "Adamax": "adamax", "ASGD": "asgd",
         "Muon": "muon", "NAdam": "nadam", "RAdam": "radam", "RMSprop": "rmsprop", "Rprop": "rprop"}


@pytest.mark.parametrize("name", sorted(RULES))
def test_every_other_optimizer_steps_through_its_per_tensor_rule(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    module = importlib.import_module(f"trainer.optim.{RULES[name]}")
    rule = getattr(module, f"_single_tensor_{RULES[name]}")
    assert list(inspect.signature(rule).parameters)[:2] == ["params", "grads"]
    calls: list[int] = []

    def recording(params: list[np.ndarray], grads: list[np.ndarray], *args: Any, **kwargs: Any) -> None:
        assert all(isinstance(a, np.ndarray) for a in params + grads)
        calls.append(len(params))
        rule(params, grads, *args, **kwargs)

    monkeypatch.setattr(module, rule.__name__, recording)
    params = [trainer.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True), trainer.tensor([[2.0, 1.0]],
                                                                                            requires_grad=True)]
    opt = getattr(optim, name)([{"params": params[:1]}, {"params": params[1:]}])
    before = [p._array.copy() for p in params]
    for p in params:
        p.grad = trainer.ones_like(p)
    opt.step()
    assert calls == [1, 1]
    assert all(not np.array_equal(b, p._array) for b, p in zip(before, params, strict=True))
