"""`trainer.optim.swa_utils` gives PyTorch 2.13's numbers, names and errors (tests/references/optim/swa_utils.json,
made by tools/references_swa_utils.py), plus behaviour that needs no reference."""

from __future__ import annotations

import copy
import subprocess
import sys
import warnings
from typing import Any

import numpy as np
import pytest

import trainer
from tests.optim.swa_utils_cases import errors, run_averaging, run_schedule, run_update_bn, schedule_optimizer
from tests.reference_data import load_reference
from trainer import nn
from trainer.optim import swa_utils
from trainer.optim.swa_utils import SWALR, AveragedModel

REF = load_reference("optim", "swa_utils")
DATA = REF["problem"]
ERRORS = errors(trainer, DATA["weights"])  # the same bad calls, by name, as tools/references_swa_utils.py records


def _tolerance(dtype: str) -> dict[str, float]:
    return {"rtol": 1e-12, "atol": 1e-12} if dtype == "float64" else {"rtol": 1e-6, "atol": 1e-6}


def assert_state(actual: dict[str, Any], expected: dict[str, np.ndarray], dtype: str) -> None:
    """Same keys (the JSON sorts them), same dtypes, integers equal and floats within the dtype's tolerance."""
    assert sorted(actual) == sorted(expected)
    for key, want in expected.items():
        got = actual[key].numpy()
        assert str(got.dtype) == str(want.dtype), key
        if want.dtype.kind == "f":
            np.testing.assert_allclose(got, want, err_msg=key, **_tolerance(dtype))
        else:
            np.testing.assert_array_equal(got, want, err_msg=key)


def _ids(key: str) -> list[str]:
    return [c["name"] for c in REF[key]]


# ----- averaging ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", REF["averaging"], ids=_ids("averaging"))
def test_averaging_matches_pytorch(case: dict[str, Any]) -> None:
    dtype = case["dtype"]
    result = run_averaging(trainer, case, DATA)
    for actual, expected in zip(result["states"], case["states"], strict=True):
        assert_state(actual, expected, dtype)
    np.testing.assert_allclose(result["output"].detach().numpy(), case["output"], **_tolerance(dtype))
    for key in ("keys", "calls", "parameters", "buffers", "modules", "training", "repr"):
        assert result[key] == case[key], key


# ----- SWALR -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", REF["schedules"], ids=_ids("schedules"))
def test_swalr_matches_pytorch(case: dict[str, Any]) -> None:
    result = run_schedule(trainer, case)
    np.testing.assert_allclose(np.array(result["lrs"]), np.array(case["lrs"]), rtol=1e-12, atol=1e-15)
    assert result["swa_lrs"] == case["swa_lrs"]
    state, expected = result["state_dict"], case["state_dict"]
    assert sorted(state) == sorted(expected)
    for key, want in expected.items():
        assert state[key] == (want if isinstance(want, str) else pytest.approx(want, rel=1e-12, abs=1e-15)), key


# ----- update_bn ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", REF["update_bn"], ids=_ids("update_bn"))
def test_update_bn_matches_pytorch(case: dict[str, Any]) -> None:
    result = run_update_bn(trainer, case, DATA)
    assert (result["training"], result["passes"]) == (case["training"], case["passes"])
    assert [(s["num_batches_tracked"], s["momentum"]) for s in result["stats"]] == [
        (s["num_batches_tracked"], s["momentum"]) for s in case["stats"]]
    assert_state(result["state"], case["state"], "float64")


# ----- errors ------------------------------------------------------------------------------------------------------
# failures that are not swa_utils' own: the engine op's message differs from PyTorch's
def _error_cases() -> list[Any]:
    return [pytest.param(c, id=c["name"]) for c in REF["errors"]]


def test_every_recorded_error_has_a_case() -> None:
    assert [c["name"] for c in REF["errors"]] == list(ERRORS)


@pytest.mark.parametrize("case", _error_cases())
def test_errors_match_pytorch(case: dict[str, Any]) -> None:
    with pytest.raises(Exception) as info:  # noqa: PT011 - the class is compared below
        ERRORS[case["name"]]()
    assert (type(info.value).__name__, str(info.value)) == (case["error"], case["message"])


# ----- behaviour that needs no reference ---------------------------------------------------------------------------
def test_reachable_lazily_from_the_package() -> None:
    code = ("import sys, trainer; before = 'trainer.optim.swa_utils' in sys.modules; "
            "m = trainer.optim.swa_utils; from trainer.optim.swa_utils import AveragedModel, SWALR; "
            "print(before, m.AveragedModel is AveragedModel, m.SWALR is SWALR)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.split() == ["False", "True", "True"]


def _small_model() -> nn.Module:
    trainer.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))


def test_the_copy_is_independent_and_called_through() -> None:
    model = _small_model()
    averaged = AveragedModel(model)
    assert averaged.module is not model and averaged.n_averaged.item() == 0
    assert averaged.n_averaged.dtype == trainer.int64
    with trainer.no_grad():
        model[0].weight.add_(1.0)
    assert not trainer.equal(averaged.module[0].weight, model[0].weight)
    x = trainer.randn(5, 3)
    averaged.eval()
    assert trainer.equal(averaged(x), averaged.module(x))


def test_the_first_update_copies_and_the_count_advances() -> None:
    model = _small_model()
    averaged = AveragedModel(model, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(0.5))
    with trainer.no_grad():
        for p in model.parameters():
            p.mul_(3.0)
    averaged.update_parameters(model)
    assert averaged.n_averaged.item() == 1
    for mine, theirs in zip(averaged.parameters(), model.parameters(), strict=True):
        assert trainer.equal(mine, theirs) and mine is not theirs


def test_state_dict_round_trip_and_non_strict_keys() -> None:
    model = _small_model()
    averaged = AveragedModel(model, use_buffers=True)
    for _ in range(3):
        with trainer.no_grad():
            model[0].weight.add_(0.25)
        averaged.update_parameters(model)
    fresh = AveragedModel(_small_model())
    assert repr(fresh.load_state_dict(averaged.state_dict())) == "<All keys matched successfully>"
    assert fresh.n_averaged.item() == 3
    for key, value in averaged.state_dict().items():
        assert trainer.equal(fresh.state_dict()[key], value), key
    partial = {k: v for k, v in averaged.state_dict().items() if k != "module.0.bias"}
    result = fresh.load_state_dict({**partial, "stray": trainer.zeros(1)}, strict=False)
    assert (result.missing_keys, result.unexpected_keys) == (["module.0.bias"], ["stray"])


def test_train_and_eval_reach_the_copy() -> None:
    averaged = AveragedModel(_small_model())
    assert averaged.eval() is averaged and not averaged.training
    assert not any(m.training for m in averaged.module.modules())
    averaged.train()
    assert averaged.training and all(m.training for m in averaged.module.modules())


def test_device_and_deep_copy() -> None:
    averaged = AveragedModel(_small_model(), device="cpu")
    assert str(averaged.n_averaged.device) == "cpu"
    clone = copy.deepcopy(averaged)
    clone.update_parameters(_small_model())
    assert (clone.n_averaged.item(), averaged.n_averaged.item()) == (1, 0)


@pytest.mark.parametrize(("layer", "is_batch_norm"), [
    (nn.BatchNorm1d(2), True), (nn.BatchNorm2d(2), True), (nn.BatchNorm3d(2), True),
    (nn.InstanceNorm1d(2, track_running_stats=True), False), (nn.InstanceNorm2d(2), False),
    (nn.LayerNorm(2), False), (nn.GroupNorm(1, 2), False), (nn.Linear(2, 2), False),
    (type("MyNorm", (nn.BatchNorm1d,), {})(2), True),
])
def test_batch_norm_layers_are_told_by_their_classes(layer: Any, is_batch_norm: bool) -> None:
    assert swa_utils._is_batch_norm(layer) is is_batch_norm


def test_swalr_state_dict_leaves_out_the_function_and_restores_it() -> None:
    scheduler = SWALR(schedule_optimizer(trainer), swa_lr=0.01, anneal_strategy="linear")
    state = scheduler.state_dict()
    assert "anneal_func" not in state and "optimizer" not in state and state["_anneal_strategy"] == "linear"
    other = SWALR(schedule_optimizer(trainer), swa_lr=0.01)
    assert other.anneal_func(0.5) == pytest.approx(0.5)
    other.load_state_dict(state)
    assert other.anneal_func(0.25) == 0.25


def test_swalr_writes_swa_lr_before_checking_the_rest() -> None:
    opt = schedule_optimizer(trainer)
    with pytest.raises(ValueError, match="anneal_strategy"):
        SWALR(opt, swa_lr=[0.3, 0.4], anneal_strategy="exp")
    assert [g["swa_lr"] for g in opt.param_groups] == [0.3, 0.4]


def test_swalr_get_lr_outside_step_warns() -> None:
    scheduler = SWALR(schedule_optimizer(trainer), swa_lr=0.01)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scheduler.get_lr()
    assert [str(w.message) for w in caught] == [
        "To get the last learning rate computed by the scheduler, please use `get_last_lr()`."]
