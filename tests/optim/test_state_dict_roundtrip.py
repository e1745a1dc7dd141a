"""Save after k steps, load into fresh objects, continue: identical to an uninterrupted run."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import trainer
from tests.optim.problem import build, flat, make_closure, make_params
from tests.optim.test_lr_scheduler_references import build_optimizer, build_scheduler, momentum_of, step
from tests.optim.test_references import FILES
from tests.optim.test_references_beyond_a import build_with_scheduler, case_id, cases_a, run_steps
from tests.reference_data import load_reference

SPLIT, TOTAL = 10, 30


def _as_checkpoint(value: Any) -> Any:
    """What a checkpoint file gives back: numpy arrays for tensors, string keys for the state indices."""
    if isinstance(value, trainer.Tensor):
        return np.array(value._array, copy=True)
    if isinstance(value, dict):
        return {str(k) if isinstance(k, int) else k: _as_checkpoint(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_checkpoint(v) for v in value]
    return value


def _optimizer_cases() -> list[tuple[str, int]]:
    return [(f, i) for f in FILES for i in range(len(load_reference("optim", f)["cases"]))]


@pytest.mark.parametrize("via_checkpoint", [False, True], ids=["state_dict", "checkpoint"])
@pytest.mark.parametrize("case", _optimizer_cases(), ids=lambda c: f"{c[0]}-{c[1]}")
def test_optimizer_resumes_exactly(case: tuple[str, int], via_checkpoint: bool, float64_default: None) -> None:
    ref = load_reference("optim", case[0])
    spec, problem = ref["cases"][case[1]], ref["problem"]

    params = make_params(problem)
    opt = build(spec, params)
    closure = make_closure(opt, params, problem, l2=spec["l2"])
    for _ in range(SPLIT):
        opt.step(closure)
    saved_params = [p._array.copy() for p in params]
    saved = opt.state_dict()
    for _ in range(TOTAL - SPLIT):
        opt.step(closure)
    expected = flat(params)

    resumed = [trainer.tensor(a, dtype="float64", requires_grad=True) for a in saved_params]
    opt2 = build(spec, resumed)
    opt2.load_state_dict(_as_checkpoint(saved) if via_checkpoint else saved)
    closure2 = make_closure(opt2, resumed, problem, l2=spec["l2"])
    for _ in range(TOTAL - SPLIT):
        opt2.step(closure2)
    np.testing.assert_array_equal(flat(resumed), expected)


def _scheduler_cases() -> list[dict[str, Any]]:
    return load_reference("lr_scheduler", "schedulers")["cases"]


@pytest.mark.parametrize("case", _scheduler_cases(), ids=lambda c: c["name"])
def test_scheduler_and_optimizer_resume_exactly(case: dict[str, Any]) -> None:
    split, total = 37, len(case["lrs"]) - 1
    opt = build_optimizer(case["optimizer"])
    scheduler = build_scheduler(case["scheduler"], opt)
    for epoch in range(split):
        opt.step()
        step(scheduler, case, epoch)
    saved_opt, saved_sched = opt.state_dict(), scheduler.state_dict()
    history = []
    for epoch in range(split, total):
        opt.step()
        step(scheduler, case, epoch)
        history.append(([g["lr"] for g in opt.param_groups], momentum_of(opt), scheduler.get_last_lr()))

    opt2 = build_optimizer(case["optimizer"])
    scheduler2 = build_scheduler(case["scheduler"], opt2)
    scheduler2.load_state_dict(saved_sched)
    opt2.load_state_dict(saved_opt)
    for epoch in range(split, total):
        opt2.step()
        step(scheduler2, case, epoch)
        got = ([g["lr"] for g in opt2.param_groups], momentum_of(opt2), scheduler2.get_last_lr())
        assert got == history[epoch - split], f"epoch {epoch}"


def test_multistep_milestones_survive_a_plain_dict_checkpoint() -> None:
    opt = build_optimizer({"cls": "SGD", "kwargs": {}, "lrs": [0.1]})
    scheduler = build_scheduler({"cls": "MultiStepLR", "kwargs": {"milestones": [3, 3, 5], "gamma": 0.5}}, opt)
    saved = scheduler.state_dict()
    saved["milestones"] = {str(k): v for k, v in saved["milestones"].items()}
    scheduler.load_state_dict(saved)
    for _ in range(5):
        opt.step()
        scheduler.step()
    assert scheduler.get_last_lr() == [0.1 * 0.25 * 0.5]
    assert sorted(scheduler.milestones.elements()) == [3, 3, 5]


@pytest.mark.parametrize("via_checkpoint", [False, True], ids=["state_dict", "checkpoint"])
@pytest.mark.parametrize("case", cases_a(), ids=case_id)
def test_optimizers_beyond_torch_resume_exactly(case: tuple[str, int], via_checkpoint: bool,
                                                float64_default: None) -> None:
    """Lion, schedule-free, Prodigy, ADOPT (with their schedulers): saved mid-run, continued bit for bit."""
    ref = load_reference("optim", case[0])
    spec, problem = ref["cases"][case[1]], ref["problem"]
    split, total = 13, len(spec["losses"])

    params = make_params(problem)
    opt, scheduler = build_with_scheduler(spec, params)
    closure = make_closure(opt, params, problem, l2=spec["l2"])
    for _ in run_steps(opt, scheduler, closure, spec, range(split)):
        pass
    saved_params = [p._array.copy() for p in params]
    saved = opt.state_dict()
    saved_sched = scheduler.state_dict() if scheduler is not None else None
    for _ in run_steps(opt, scheduler, closure, spec, range(split, total)):
        pass
    opt.eval()
    expected = flat(params)

    resumed = [trainer.tensor(a, dtype="float64", requires_grad=True) for a in saved_params]
    opt2, scheduler2 = build_with_scheduler(spec, resumed)
    opt2.load_state_dict(_as_checkpoint(saved) if via_checkpoint else saved)
    if scheduler2 is not None:
        scheduler2.load_state_dict(saved_sched)
    closure2 = make_closure(opt2, resumed, problem, l2=spec["l2"])
    for _ in run_steps(opt2, scheduler2, closure2, spec, range(split, total)):
        pass
    opt2.eval()
    np.testing.assert_array_equal(flat(resumed), expected)
