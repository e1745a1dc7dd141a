"""Who records a graph during `step()`: built-in steps say `@no_grad()`, nothing wraps a user's `step` behind
its back; `needs_closure` tells callers which optimizers must be given a closure."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any

import pytest

import trainer
from trainer import optim
from trainer.optim import lr_scheduler as sched

OPTIMIZERS = [getattr(optim, name) for name in optim.__all__ if name not in ("Optimizer", "lr_scheduler")]


def _params() -> list[trainer.Tensor]:
    return [trainer.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True), trainer.tensor([0.5, 1.5],
                                                                                          requires_grad=True)]


def _loss(params: list[trainer.Tensor]) -> trainer.Tensor:
    return sum(((p * p) * (i + 1.0)).sum() for i, p in enumerate(params))


def test_every_built_in_step_is_decorated_and_runs_without_recording(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    evaluate = optim.Optimizer._evaluate

    def recording(closure: Callable[[], Any] | None) -> Any:
        seen.append(trainer.is_grad_enabled())
        return evaluate(closure)

    monkeypatch.setattr(optim.Optimizer, "_evaluate", staticmethod(recording))
    for cls in OPTIMIZERS:
        assert hasattr(cls.step, "__wrapped__"), cls.__name__  # @no_grad() (functools.wraps) on step
        params = _params()[:1] if cls is optim.Muon else _params()  # Muon takes only matrices
        opt = cls(optim.SGD(params, lr=0.1)) if cls is optim.Lookahead else cls(params)  # a wrapper
        opt.train()  # schedule-free optimizers step only in train mode; a no-op for the others

        def closure(opt: optim.Optimizer = opt, params: list[trainer.Tensor] = params) -> trainer.Tensor:
            opt.zero_grad()
            loss = _loss(params)
            loss.backward()
            return loss

        seen.clear()
        closure()
        assert trainer.is_grad_enabled()
        opt.step(closure) if cls.needs_closure else opt.step()
        assert seen and seen[0] is False, cls.__name__
        assert trainer.is_grad_enabled()
        assert all(p.is_leaf and p.requires_grad for p in params), cls.__name__


class _PlainSGD(optim.Optimizer):
    """A user's optimizer whose step says nothing about grad mode."""

    def __init__(self, params: Any, seen: list[bool]) -> None:
        super().__init__(params, {"lr": 0.1})
        self.seen = seen

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        self.seen.append(trainer.is_grad_enabled())
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p._array -= group["lr"] * p.grad._array
        return None


class _NoGradSGD(_PlainSGD):
    @trainer.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        return super().step(closure)


def test_a_user_subclass_step_is_not_wrapped() -> None:
    assert _PlainSGD.step is _PlainSGD.__dict__["step"] and not hasattr(_PlainSGD.step, "__wrapped__")
    seen: list[bool] = []
    _PlainSGD(_params(), seen).step()
    _NoGradSGD(_params(), seen).step()
    assert seen == [True, False]


def test_a_subclass_overriding_a_built_in_step_is_not_wrapped() -> None:
    seen: list[bool] = []

    class Logged(optim.SGD):
        def step(self, closure: Callable[[], Any] | None = None) -> Any:
            seen.append(trainer.is_grad_enabled())
            return super().step(closure)

    assert not hasattr(Logged.step, "__wrapped__")
    Logged(_params(), lr=0.1).step()
    assert seen == [True]


def test_schedulers_see_steps_of_user_optimizers_and_of_copies() -> None:
    opt = _PlainSGD(_params(), [])
    s = sched.StepLR(opt, step_size=1)
    opt.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s.step()
    twin = _PlainSGD(_params(), [])
    sched.ExponentialLR(twin, gamma=0.5)
    sched.ExponentialLR(twin, gamma=0.5)  # a second scheduler does not wrap again
    clone = copy.deepcopy(twin)
    clone.step()
    assert getattr(clone, "_opt_called", False) and not getattr(twin, "_opt_called", False)
    assert clone.seen == [True] and twin.seen == []


def test_needs_closure_is_true_only_for_lbfgs() -> None:
    assert optim.Optimizer.needs_closure is False
    assert {cls.__name__ for cls in OPTIMIZERS if cls.needs_closure} == {"LBFGS"}
    assert optim.LBFGS(_params()).needs_closure is True and optim.SGD(_params()).needs_closure is False
    assert optim.Lookahead(optim.LBFGS(_params())).needs_closure is True  # a wrapper needs what it wraps


def test_a_built_in_step_bumps_the_parameters_it_updates() -> None:
    lin = trainer.nn.Linear(2, 1)
    opt = optim.SGD(lin.parameters(), lr=0.1)
    (lin(trainer.ones(1, 2)) ** 2).sum().backward()
    before = lin.weight._version
    saved = (lin(trainer.ones(1, 2)) * lin.weight).sum()
    opt.step()
    assert lin.weight._version == before + 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        saved.backward()
