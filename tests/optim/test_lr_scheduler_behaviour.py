"""Scheduler behaviour beyond the reference values: errors, warnings, resuming with last_epoch, tensor lr."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import trainer
from trainer import optim
from trainer.optim import lr_scheduler as sched


def _sgd(lr: float = 0.1, **kwargs: float) -> optim.SGD:
    return optim.SGD([trainer.zeros(2, requires_grad=True)], lr=lr, **kwargs)


def test_get_last_lr_and_initial_lr() -> None:
    opt = _sgd()
    s = sched.StepLR(opt, step_size=2, gamma=0.5)
    assert opt.param_groups[0]["initial_lr"] == 0.1 and s.base_lrs == [0.1]
    assert s.get_last_lr() == [0.1] and s.last_epoch == 0
    for _ in range(2):
        opt.step()
        s.step()
    assert s.get_last_lr() == [0.05] and opt.param_groups[0]["lr"] == 0.05


def test_warns_when_scheduler_steps_before_optimizer_and_when_get_lr_is_called_directly() -> None:
    s = sched.ExponentialLR(_sgd(), gamma=0.9)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        s.step()
    with pytest.warns(UserWarning, match="get_last_lr"):
        s.get_lr()
    opt = _sgd()
    s = sched.ExponentialLR(opt, gamma=0.9)
    opt.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s.step()


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda o: sched.ConstantLR(o, factor=1.5), ValueError, "between 0 and 1"),
        (lambda o: sched.LinearLR(o, start_factor=0.0), ValueError, "Starting multiplicative factor"),
        (lambda o: sched.LinearLR(o, end_factor=2.0), ValueError, "Ending multiplicative factor"),
        (lambda o: sched.LambdaLR(o, lr_lambda=[lambda e: 1.0] * 2), ValueError, "Expected 1 lr_lambdas"),
        (lambda o: sched.MultiplicativeLR(o, lr_lambda=3.0), TypeError, "should be a function"),
        (lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=0), ValueError, "positive integer T_0"),
        (lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=0), ValueError, "T_mult >= 1"),
        (lambda o: sched.CyclicLR(o, 0.01, 0.1, mode="zigzag"), ValueError, "mode is invalid"),
        (lambda o: sched.CyclicLR(o, [0.01, 0.02], 0.1), ValueError, "same length as optimizer.param_groups"),
        (lambda o: sched.OneCycleLR(o, max_lr=0.1), ValueError, "total_steps OR"),
        (lambda o: sched.OneCycleLR(o, max_lr=0.1, total_steps=10, pct_start=1), ValueError, "pct_start"),
        (lambda o: sched.OneCycleLR(o, max_lr=0.1, total_steps=10, anneal_strategy="exp"), ValueError, "cos"),
        (lambda o: sched.ReduceLROnPlateau(o, factor=1.0), ValueError, "Factor should be < 1.0"),
        (lambda o: sched.ReduceLROnPlateau(o, mode="up"), ValueError, "mode up is unknown"),
        (lambda o: sched.ReduceLROnPlateau(o, threshold_mode="pct"), ValueError, "threshold mode pct is unknown"),
        (lambda o: sched.ReduceLROnPlateau(o, min_lr=[0.1, 0.2]), ValueError, "expected 1 min_lrs"),
        (lambda o: sched.StepLR(o, step_size=3, last_epoch=4), KeyError, "initial_lr"),
        (lambda o: sched.SequentialLR(o, [sched.StepLR(o, 3)], milestones=[2]), ValueError, "one more than"),
        (lambda o: sched.SequentialLR(o, [sched.ReduceLROnPlateau(o)], milestones=[]), ValueError, "Plateau"),
        (lambda o: sched.ChainedScheduler([]), ValueError, "at least one scheduler"),
        (lambda o: sched.ChainedScheduler([sched.StepLR(_sgd(), 3)], optimizer=o), ValueError, "same optimizer"),
        (lambda o: sched.StepLR(object(), 3), TypeError, "is not an Optimizer"),
    ],
)
def test_invalid_arguments(make, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        make(_sgd())


def test_cycle_momentum_needs_momentum_or_betas() -> None:
    opt = optim.Adagrad([trainer.zeros(2, requires_grad=True)])
    with pytest.raises(ValueError, match="momentum or beta1"):
        sched.OneCycleLR(opt, max_lr=0.1, total_steps=10)
    sched.OneCycleLR(opt, max_lr=0.1, total_steps=10, cycle_momentum=False)


def test_one_cycle_refuses_to_step_past_total_steps() -> None:
    opt = _sgd(momentum=0.9)
    s = sched.OneCycleLR(opt, max_lr=0.1, total_steps=3)
    for _ in range(3):
        opt.step()
        s.step()
    with pytest.raises(ValueError, match="Tried to step 4 times"):
        s.step()


def test_resume_with_last_epoch_after_loading_the_optimizer() -> None:
    opt = _sgd()
    s = sched.StepLR(opt, step_size=3, gamma=0.5)
    for _ in range(4):
        opt.step()
        s.step()
    opt2 = _sgd()
    opt2.load_state_dict(opt.state_dict())
    s2 = sched.StepLR(opt2, step_size=3, gamma=0.5, last_epoch=3)
    assert s2.last_epoch == 4 and s2.base_lrs == [0.1]


def test_tensor_lr_is_updated_in_place() -> None:
    lr = trainer.tensor(0.1, dtype="float64")
    opt = optim.Adam([trainer.zeros(2, requires_grad=True)], lr=lr)
    s = sched.ExponentialLR(opt, gamma=0.5)
    opt.step()
    s.step()
    assert opt.param_groups[0]["lr"] is lr and float(lr) == pytest.approx(0.05)
    assert float(s.get_last_lr()[0]) == pytest.approx(0.05)


def test_plateau_state_dict_round_trip_keeps_the_comparison() -> None:
    opt = _sgd()
    s = sched.ReduceLROnPlateau(opt, mode="max", patience=0)
    s.step(1.0)
    s.step(0.5)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.01)
    s2 = sched.ReduceLROnPlateau(_sgd(), mode="min")
    s2.load_state_dict(s.state_dict())
    assert s2.mode == "max" and s2.best == 1.0 and s2._is_better(2.0, 1.0)


def test_lambda_state_dict_keeps_callable_objects_state() -> None:
    class Decay:
        def __init__(self) -> None:
            self.rate = 0.5

        def __call__(self, epoch: int) -> float:
            return self.rate**epoch

    opt = _sgd()
    fn = Decay()
    s = sched.LambdaLR(opt, lr_lambda=fn)
    fn.rate = 0.25
    saved = s.state_dict()
    assert saved["lr_lambdas"] == [{"rate": 0.25}]
    fn2 = Decay()
    s2 = sched.LambdaLR(_sgd(), lr_lambda=fn2)
    s2.load_state_dict(saved)
    assert fn2.rate == 0.25
    assert np.isclose(s2.get_last_lr()[0], 0.1)
