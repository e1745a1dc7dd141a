"""Lion, the schedule-free optimizers, Prodigy and ADOPT follow their authors' packages step for step (float64).

References: tools/references_optim_extra_a.py (lion-pytorch, schedulefree, prodigyopt, torch-adopt), 40 steps,
some with a torch scheduler stepped after every step; schedule-free ones in train mode after every step,
through eval()/train() every `toggle_every` steps, and in eval mode at the end.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.optim.problem import build, flat, make_closure, make_params
from tests.optim.test_references import SKIP_GROUP_KEYS, _compare_state
from tests.reference_data import load_reference
from trainer import optim
from trainer.optim import lr_scheduler

FILES_A = ["lion", "adamw_schedule_free", "sgd_schedule_free", "radam_schedule_free", "prodigy", "adopt"]
RTOL = 1e-6  # the bound; most cases agree far closer (sums and dot products round differently)


def cases_a() -> list[tuple[str, int]]:
    return [(f, i) for f in FILES_A for i in range(len(load_reference("optim", f)["cases"]))]


def case_id(case: tuple[str, int]) -> str:
    return f"{case[0]}-{load_reference('optim', case[0])['cases'][case[1]]['name']}"


def build_with_scheduler(spec: dict[str, Any], params: list[Any]) -> tuple[optim.Optimizer, Any]:
    """The optimizer of a case (in train mode, as the reference run starts) and its scheduler, if any."""
    opt = build(spec, params)
    scheduler = None
    if spec["scheduler"]:
        scheduler = getattr(lr_scheduler, spec["scheduler"]["cls"])(opt, **spec["scheduler"]["kwargs"])
    opt.train()
    return opt, scheduler


def run_steps(opt: optim.Optimizer, scheduler: Any, closure: Any, spec: dict[str, Any], steps: range) -> Any:
    """Steps `steps` of a case as the reference tool runs them; yields (step index, loss) after each."""
    for i in steps:
        loss = opt.step(closure)
        if scheduler is not None:
            scheduler.step()
        yield i, loss
        if spec["toggle_every"] and (i + 1) % spec["toggle_every"] == 0:
            opt.eval()
            opt.train()


@pytest.mark.parametrize("case", cases_a(), ids=case_id)
def test_trajectory_matches_the_reference_package(case: tuple[str, int], float64_default: None) -> None:
    ref = load_reference("optim", case[0])
    spec = ref["cases"][case[1]]
    params = make_params(ref["problem"])
    opt, scheduler = build_with_scheduler(spec, params)
    closure = make_closure(opt, params, ref["problem"], l2=spec["l2"])
    trajectory = spec["trajectory"]
    for i, loss in run_steps(opt, scheduler, closure, spec, range(len(trajectory))):
        assert float(loss) == pytest.approx(spec["losses"][i], rel=RTOL, abs=1e-12), f"loss at step {i}"
        np.testing.assert_allclose(flat(params), trajectory[i], rtol=RTOL, atol=1e-10, err_msg=f"after step {i}")
    if "eval_params" in spec:
        opt.eval()
        np.testing.assert_allclose(flat(params), spec["eval_params"], rtol=RTOL, atol=1e-10, err_msg="eval mode")
    sd = opt.state_dict()
    _compare_state({str(k): v for k, v in sd["state"].items()}, spec["state"], "state", 1e-10)
    for ours, theirs in zip(sd["param_groups"], spec["param_groups"], strict=True):
        _compare_state({k: v for k, v in ours.items() if k not in SKIP_GROUP_KEYS}, theirs, "param_group", 1e-10)
