"""Every optimizer follows PyTorch's trajectory step for step (tests/references/optim, float64)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import trainer
from tests.optim.problem import build, flat, make_closure, make_params
from tests.reference_data import load_reference

FILES = ["sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam", "rprop", "asgd",
         "lbfgs", "adafactor", "muon"]
RTOL = 1e-9  # the issue asks for 1e-6; the single-tensor arithmetic order gets far tighter
# final state: L-BFGS curvature pairs near convergence are differences of nearly equal gradients, so its
# history (and the two-loop scratch `al`) is compared to 1e-6 absolute as well
STATE_RTOL = 1e-6
SKIP_GROUP_KEYS = {"foreach", "fused", "capturable", "differentiable"}


def _cases() -> list[tuple[str, int]]:
    return [(f, i) for f in FILES for i in range(len(load_reference("optim", f)["cases"]))]


def _case_id(case: tuple[str, int]) -> str:
    return f"{case[0]}-{load_reference('optim', case[0])['cases'][case[1]]['name']}"


def _compare_state(ours: Any, theirs: Any, what: str, atol: float = 1e-12, rtol: float = STATE_RTOL) -> None:
    if isinstance(theirs, dict):
        assert set(ours) == set(theirs), f"{what}: keys {sorted(ours)} != {sorted(theirs)}"
        for k in theirs:
            _compare_state(ours[k], theirs[k], f"{what}.{k}", atol, rtol)
    elif isinstance(theirs, list):
        assert isinstance(ours, list | tuple) and len(ours) == len(theirs), what
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            _compare_state(a, b, f"{what}[{i}]", atol, rtol)
    elif theirs is None:
        assert ours is None, what
    elif isinstance(theirs, str | bool):
        assert ours == theirs, what
    else:
        a = np.asarray(ours._array if isinstance(ours, trainer.Tensor) else ours, dtype=np.float64)
        np.testing.assert_allclose(a, np.asarray(theirs, dtype=np.float64), rtol=rtol, atol=atol, err_msg=what)


@pytest.mark.parametrize("case", _cases(), ids=_case_id)
def test_trajectory_matches_pytorch(case: tuple[str, int], float64_default: None) -> None:
    ref = load_reference("optim", case[0])
    spec = ref["cases"][case[1]]
    params = make_params(ref["problem"])
    opt = build(spec, params)
    closure = make_closure(opt, params, ref["problem"], l2=spec["l2"])
    for step, (loss, expected) in enumerate(zip(spec["losses"], spec["trajectory"], strict=True)):
        got = opt.step(closure)
        assert float(got) == pytest.approx(loss, rel=RTOL, abs=1e-14), f"loss at step {step}"
        np.testing.assert_allclose(flat(params), expected, rtol=RTOL, atol=1e-12, err_msg=f"params after step {step}")
    sd = opt.state_dict()
    atol = 1e-6 if spec["cls"] == "LBFGS" else 1e-12
    _compare_state({str(k): v for k, v in sd["state"].items()}, spec["state"], "state", atol)
    for ours, theirs in zip(sd["param_groups"], spec["param_groups"], strict=True):
        _compare_state({k: v for k, v in ours.items() if k not in SKIP_GROUP_KEYS}, theirs, "param_group")
