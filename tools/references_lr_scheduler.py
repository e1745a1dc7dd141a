"""PyTorch reference values for every LR scheduler (run by tools/make_references.py; needs torch).

Each case is a JSON spec (optimizer class and per-group lrs, scheduler class and kwargs, nested specs
for SequentialLR/ChainedScheduler, lambdas by name) plus the lr of every group, and the momentum or
Adam beta1 where the optimizer has one, after construction and after each of 100 epochs.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from reference_io import write_json

EPOCHS = 100

# the same functions, by name, are in tests/optim/test_lr_scheduler_references.py
LAMBDAS: dict[str, Callable[[float], float]] = {
    "pow095": lambda e: 0.95**e,
    "inverse": lambda e: 1.0 / (1.0 + e),
    "const097": lambda e: 0.97,
    "half_pow": lambda x: 0.5**x,
}
LAMBDA_KEYS = ("lr_lambda", "scale_fn")


def _sgd() -> dict[str, Any]:
    return {"cls": "SGD", "kwargs": {"momentum": 0.9}, "lrs": [0.1, 0.05]}


def _adam() -> dict[str, Any]:
    return {"cls": "Adam", "kwargs": {}, "lrs": [0.1, 0.05]}


def _sched(cls: str, **kwargs: Any) -> dict[str, Any]:
    return {"cls": cls, "kwargs": kwargs}


def _case(name: str, scheduler: dict[str, Any], optimizer: dict[str, Any] | None = None,
          **extra: Any) -> dict[str, Any]:
    return {"name": name, "optimizer": optimizer or _sgd(), "scheduler": scheduler, **extra}


JUMPY_EPOCHS = list(range(1, 50)) + list(range(60, 111))
PLATEAU_METRICS = [1.0 / (1 + 0.3 * i) if i < 30 else 0.1 + 0.01 * ((i * 7) % 5) for i in range(EPOCHS)]
RISING_METRICS = [min(0.5 + 0.02 * i, 0.9) + 0.005 * ((i * 3) % 4) for i in range(EPOCHS)]


def cases() -> list[dict[str, Any]]:
    return [
        _case("lambda_single", _sched("LambdaLR", lr_lambda="pow095")),
        _case("lambda_per_group", _sched("LambdaLR", lr_lambda=["pow095", "inverse"])),
        _case("multiplicative", _sched("MultiplicativeLR", lr_lambda="const097")),
        _case("step", _sched("StepLR", step_size=7, gamma=0.5)),
        _case("multistep", _sched("MultiStepLR", milestones=[10, 30, 30, 60], gamma=0.3)),
        _case("constant_default", _sched("ConstantLR")),
        _case("constant", _sched("ConstantLR", factor=0.25, total_iters=12)),
        _case("linear_default", _sched("LinearLR")),
        _case("linear", _sched("LinearLR", start_factor=0.1, end_factor=0.9, total_iters=40)),
        _case("exponential", _sched("ExponentialLR", gamma=0.96)),
        _case("polynomial_default", _sched("PolynomialLR")),
        _case("polynomial", _sched("PolynomialLR", total_iters=60, power=2.0)),
        _case("cosine", _sched("CosineAnnealingLR", T_max=30, eta_min=0.001)),
        _case("cosine_long", _sched("CosineAnnealingLR", T_max=100)),
        _case("warm_restarts_mult", _sched("CosineAnnealingWarmRestarts", T_0=10, T_mult=2, eta_min=1e-3)),
        _case("warm_restarts", _sched("CosineAnnealingWarmRestarts", T_0=7)),
        _case("warm_restarts_fractional", _sched("CosineAnnealingWarmRestarts", T_0=5, T_mult=2),
              step_epochs=[0.25 * k for k in range(1, EPOCHS + 1)]),
        _case("cyclic_triangular", _sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=10)),
        _case("cyclic_triangular2", _sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=5, step_size_down=15,
                                           mode="triangular2")),
        _case("cyclic_exp_range_adam", _sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=8,
                                              mode="exp_range", gamma=0.99, base_momentum=0.8, max_momentum=0.95),
              _adam()),
        _case("cyclic_custom_no_momentum", _sched("CyclicLR", base_lr=[0.01, 0.02], max_lr=[0.1, 0.05],
                                                  step_size_up=6, scale_fn="half_pow", scale_mode="iterations",
                                                  cycle_momentum=False)),
        _case("one_cycle", _sched("OneCycleLR", max_lr=[0.1, 0.05], total_steps=EPOCHS)),
        _case("one_cycle_three_phase_adam", _sched("OneCycleLR", max_lr=0.01, epochs=10, steps_per_epoch=10,
                                                   anneal_strategy="linear", three_phase=True), _adam()),
        _case("one_cycle_no_momentum", _sched("OneCycleLR", max_lr=0.2, total_steps=EPOCHS, pct_start=0.2,
                                              cycle_momentum=False, div_factor=10.0, final_div_factor=100.0)),
        _case("plateau_min_rel", _sched("ReduceLROnPlateau", factor=0.5, patience=3, cooldown=2,
                                        min_lr=[1e-3, 5e-4]), metrics=PLATEAU_METRICS),
        _case("plateau_max_abs", _sched("ReduceLROnPlateau", mode="max", threshold_mode="abs", threshold=0.01,
                                        patience=2, factor=0.3, eps=1e-4), metrics=RISING_METRICS),
        _case("sequential", _sched("SequentialLR", schedulers=[
            _sched("LinearLR", start_factor=0.1, total_iters=10), _sched("ExponentialLR", gamma=0.95)],
            milestones=[10])),
        _case("sequential_three", _sched("SequentialLR", schedulers=[
            _sched("ConstantLR", factor=0.5, total_iters=5), _sched("CosineAnnealingLR", T_max=40),
            _sched("StepLR", step_size=10, gamma=0.5)], milestones=[5, 50])),
        _case("chained", _sched("ChainedScheduler", schedulers=[
            _sched("ConstantLR", factor=0.5, total_iters=5), _sched("ExponentialLR", gamma=0.9)])),
        _case("chained_linear_multistep", _sched("ChainedScheduler", schedulers=[
            _sched("LinearLR", start_factor=0.5, total_iters=20), _sched("MultiStepLR", milestones=[30, 60],
                                                                         gamma=0.5)])),
        *[_case(f"closed_form_{s['cls']}", s, step_epochs=JUMPY_EPOCHS) for s in (
            _sched("StepLR", step_size=7, gamma=0.5), _sched("MultiStepLR", milestones=[10, 30, 30, 60], gamma=0.3),
            _sched("ConstantLR", factor=0.25, total_iters=12), _sched("LinearLR", start_factor=0.1, total_iters=40),
            _sched("ExponentialLR", gamma=0.96), _sched("PolynomialLR", total_iters=60, power=2.0),
            _sched("CosineAnnealingLR", T_max=30, eta_min=0.001))],
    ]


def build_scheduler(spec: dict[str, Any], opt: torch.optim.Optimizer) -> Any:
    kwargs = dict(spec["kwargs"])
    for key in LAMBDA_KEYS:
        if key in kwargs:
            value = kwargs[key]
            kwargs[key] = [LAMBDAS[v] for v in value] if isinstance(value, list) else LAMBDAS[value]
    cls = getattr(torch.optim.lr_scheduler, spec["cls"])
    if "schedulers" in kwargs:
        kwargs["schedulers"] = [build_scheduler(s, opt) for s in kwargs["schedulers"]]
        if spec["cls"] == "ChainedScheduler":
            return cls(kwargs["schedulers"], optimizer=opt)
    return cls(opt, **kwargs)


def momentum_of(opt: torch.optim.Optimizer) -> list[float] | None:
    groups = opt.param_groups
    if "betas" in groups[0]:
        return [g["betas"][0] for g in groups]
    if "momentum" in groups[0]:
        return [g["momentum"] for g in groups]
    return None


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    params = [torch.zeros(2, requires_grad=True) for _ in case["optimizer"]["lrs"]]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, case["optimizer"]["lrs"], strict=True)]
    opt = getattr(torch.optim, case["optimizer"]["cls"])(groups, **case["optimizer"]["kwargs"])
    scheduler = build_scheduler(case["scheduler"], opt)
    lrs, momenta = [[g["lr"] for g in opt.param_groups]], [momentum_of(opt)]
    for epoch in range(EPOCHS):
        opt.step()
        if "metrics" in case:
            scheduler.step(case["metrics"][epoch])
        elif "step_epochs" in case:
            scheduler.step(case["step_epochs"][epoch])
        else:
            scheduler.step()
        lrs.append([g["lr"] for g in opt.param_groups])
        momenta.append(momentum_of(opt))
    assert scheduler.get_last_lr() == lrs[-1]
    return {**case, "lrs": lrs, "momenta": momenta if momenta[0] is not None else None}


def main(out_dir: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the deprecated step(epoch) form warns by design
        write_json(out_dir / "schedulers.json", {"epochs": EPOCHS, "cases": [run_case(c) for c in cases()]})
