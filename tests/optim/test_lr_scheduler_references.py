"""Every LR scheduler gives PyTorch's learning rates (and momentum / beta1) over 100 epochs."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import trainer
from tests.reference_data import load_reference
from trainer import optim
from trainer.optim import lr_scheduler

# the same functions, by name, as tools/references_lr_scheduler.py
LAMBDAS: dict[str, Callable[[float], float]] = {
    "pow095": lambda e: 0.95**e,
    "inverse": lambda e: 1.0 / (1.0 + e),
    "const097": lambda e: 0.97,
    "half_pow": lambda x: 0.5**x,
}


def _cases() -> list[dict[str, Any]]:
    return load_reference("lr_scheduler", "schedulers")["cases"]


def build_scheduler(spec: dict[str, Any], opt: optim.Optimizer) -> Any:
    kwargs = dict(spec["kwargs"])
    for key in ("lr_lambda", "scale_fn"):
        if key in kwargs:
            value = kwargs[key]
            kwargs[key] = [LAMBDAS[v] for v in value] if isinstance(value, list) else LAMBDAS[value]
    cls = getattr(lr_scheduler, spec["cls"])
    if "schedulers" in kwargs:
        kwargs["schedulers"] = [build_scheduler(s, opt) for s in kwargs["schedulers"]]
        if spec["cls"] == "ChainedScheduler":
            return cls(kwargs["schedulers"], optimizer=opt)
    return cls(opt, **kwargs)


def build_optimizer(spec: dict[str, Any]) -> optim.Optimizer:
    groups = [{"params": [trainer.zeros(2, requires_grad=True)], "lr": lr} for lr in spec["lrs"]]
    return getattr(optim, spec["cls"])(groups, **spec["kwargs"])


def momentum_of(opt: optim.Optimizer) -> list[float] | None:
    groups = opt.param_groups
    if "betas" in groups[0]:
        return [g["betas"][0] for g in groups]
    if "momentum" in groups[0]:
        return [g["momentum"] for g in groups]
    return None


def step(scheduler: Any, case: dict[str, Any], epoch: int) -> None:
    if "metrics" in case:
        scheduler.step(case["metrics"][epoch])
    elif "step_epochs" in case:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            scheduler.step(case["step_epochs"][epoch])
    else:
        scheduler.step()


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_schedule_matches_pytorch(case: dict[str, Any]) -> None:
    opt = build_optimizer(case["optimizer"])
    scheduler = build_scheduler(case["scheduler"], opt)
    lrs, momenta = [[g["lr"] for g in opt.param_groups]], [momentum_of(opt)]
    for epoch in range(len(case["lrs"]) - 1):
        opt.step()
        step(scheduler, case, epoch)
        lrs.append([g["lr"] for g in opt.param_groups])
        momenta.append(momentum_of(opt))
    np.testing.assert_allclose(np.array(lrs), np.array(case["lrs"]), rtol=1e-13, atol=1e-16)
    if case["momenta"] is not None:
        np.testing.assert_allclose(np.array(momenta), np.array(case["momenta"]), rtol=1e-13, atol=1e-16)
    assert scheduler.get_last_lr() == lrs[-1]
