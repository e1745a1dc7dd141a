"""Lamb, AdEMAMix, MARS, SOAP, AdaBelief, Adan and Lookahead: save after k steps, load into fresh objects,
continue: bit-identical to an uninterrupted run, from the state_dict itself and through a checkpoint's codec."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from tests.optim.problem import flat, make_closure
from tests.optim.test_references_beyond_b import FILES, build, make_params
from tests.reference_data import load_reference
from trainer.training.codec import decode, encode

SPLIT, TOTAL = 13, 30  # past SOAP's first eigenbasis refresh in most cases, and mid-way through a Lookahead cycle


def _cases() -> list[tuple[str, int]]:
    return [(f, i) for f in FILES for i in range(len(load_reference("optim", f)["cases"]))]


def _case_id(case: tuple[str, int]) -> str:
    return f"{case[0]}-{load_reference('optim', case[0])['cases'][case[1]]['name']}"


@pytest.mark.parametrize("via_checkpoint", [False, True], ids=["state_dict", "checkpoint"])
@pytest.mark.parametrize("case", _cases(), ids=_case_id)
def test_resumes_bit_identically(case: tuple[str, int], via_checkpoint: bool, float64_default: None) -> None:
    ref = load_reference("optim", case[0])
    spec, problem = ref["cases"][case[1]], ref["problem"]
    params = make_params(problem, spec)
    opt = build(spec, params)
    closure = make_closure(opt, params, problem)
    for _ in range(SPLIT):
        opt.step(closure)
    saved_params = [p._array.copy() for p in params]
    saved = opt.state_dict()
    for _ in range(TOTAL - SPLIT):
        opt.step(closure)
    expected = flat(params)

    resumed = [trainer.tensor(a, dtype="float64", requires_grad=True) for a in saved_params]
    opt2 = build(spec, resumed)
    opt2.load_state_dict(decode(*encode(saved)) if via_checkpoint else saved)
    closure2 = make_closure(opt2, resumed, problem)
    for _ in range(TOTAL - SPLIT):
        opt2.step(closure2)
    np.testing.assert_array_equal(flat(resumed), expected)


def test_state_dict_is_a_snapshot(float64_default: None) -> None:
    spec = load_reference("optim", "soap")["cases"][1]
    problem = load_reference("optim", "soap")["problem"]
    params = make_params(problem, spec)
    opt = build(spec, params)
    closure = make_closure(opt, params, problem)
    for _ in range(5):
        opt.step(closure)
    saved = opt.state_dict()
    q = np.array(saved["state"][0]["Q"][0]._array, copy=True)
    for _ in range(5):
        opt.step(closure)
    np.testing.assert_array_equal(saved["state"][0]["Q"][0]._array, q)


def test_lookahead_state_dict_has_the_reference_layout(float64_default: None) -> None:
    params = [trainer.tensor([1.0, 2.0], requires_grad=True), trainer.tensor([[0.5]], requires_grad=True)]
    opt = trainer.optim.Lookahead(trainer.optim.Adam([{"params": [params[0]]}, {"params": [params[1]], "lr": 0.1}]),
                                  k=2)
    sd = opt.state_dict()
    assert set(sd) == {"lookahead_state", "base_optimizer"}
    assert set(sd["lookahead_state"]) == {(0, 0), (1, 0)}
    assert set(sd["lookahead_state"][(1, 0)]) == {"slow_params"}
    assert [g["counter"] for g in opt.param_groups] == [0, 0]
    wrong = trainer.optim.Lookahead(trainer.optim.Adam([params[0]]))
    with pytest.raises(ValueError, match="does not match"):
        wrong.load_state_dict(sd)
