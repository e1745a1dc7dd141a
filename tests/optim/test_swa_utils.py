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
from tests.reference_data import load_reference
from trainer import nn
from trainer.optim import swa_utils
from trainer.optim.swa_utils import SWALR, AveragedModel, update_bn

REF = load_reference("optim", "swa_utils")
DATA = REF["problem"]
CALLS: list[list[Any]] = []  # what the "record_midpoint" multi_avg_fn saw


# ----- the same cases, by name, as tools/references_swa_utils.py --------------------------------------------------
def _midpoint(averaged: trainer.Tensor, current: trainer.Tensor, num_averaged: Any) -> trainer.Tensor:
    return (averaged + current) / 2


def _record_midpoint(averaged: list[trainer.Tensor], current: list[trainer.Tensor], num_averaged: Any) -> None:
    CALLS.append([len(averaged), str(averaged[0].dtype), int(num_averaged)])
    for a, c in zip(averaged, current, strict=True):
        a.copy_((a + c) / 2)


AVERAGES: dict[str, Any] = {
    "swa": lambda decay: {},
    "swa_fn": lambda decay: {"avg_fn": swa_utils.get_swa_avg_fn()},
    "swa_multi": lambda decay: {"multi_avg_fn": swa_utils.get_swa_multi_avg_fn()},
    "ema": lambda decay: {"avg_fn": swa_utils.get_ema_avg_fn(decay)},
    "ema_multi": lambda decay: {"multi_avg_fn": swa_utils.get_ema_multi_avg_fn(decay)},
    "midpoint": lambda decay: {"avg_fn": _midpoint},
    "record_midpoint": lambda decay: {"multi_avg_fn": _record_midpoint},
}


def build_model(weights: dict[str, np.ndarray], dtype: str) -> nn.Module:
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Tanh(), nn.Linear(4, 2)).to(getattr(trainer, dtype))
    with trainer.no_grad():
        for name, value in weights.items():
            model.get_parameter(name).copy_(trainer.tensor(value))
    return model


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
    previous = trainer.get_default_dtype()
    trainer.set_default_dtype(case.get("default_dtype", "float32"))
    try:
        _check_averaging(case)
    finally:
        trainer.set_default_dtype(previous)


def _check_averaging(case: dict[str, Any]) -> None:
    CALLS.clear()
    dtype = case["dtype"]
    model = build_model(DATA["weights"], dtype)
    averaged = AveragedModel(model, **AVERAGES[case["avg"]](case.get("decay")), use_buffers=case["use_buffers"])
    opt = trainer.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, y = (trainer.tensor(DATA[k], dtype=getattr(trainer, dtype)) for k in ("x", "y"))
    for expected in case["states"]:
        opt.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        opt.step()
        averaged.update_parameters(model)
        assert_state(averaged.state_dict(), expected, dtype)
    assert list(averaged.state_dict()) == case["keys"]
    averaged.eval()
    output = averaged(trainer.tensor(DATA["x_eval"], dtype=getattr(trainer, dtype)))
    np.testing.assert_allclose(output.detach().numpy(), case["output"], **_tolerance(dtype))
    assert CALLS == case["calls"]
    assert [n for n, _ in averaged.named_parameters()] == case["parameters"]
    assert [n for n, _ in averaged.named_buffers()] == case["buffers"]
    assert [n for n, _ in averaged.named_modules()] == case["modules"]
    assert [averaged.training, model.training] == case["training"]
    assert repr(averaged) == case["repr"]


# ----- SWALR -------------------------------------------------------------------------------------------------------
def schedule_optimizer() -> trainer.optim.Optimizer:
    groups = [{"params": [trainer.zeros(2, requires_grad=True)], "lr": lr} for lr in (0.1, 0.05)]
    return trainer.optim.SGD(groups, momentum=0.9)


@pytest.mark.parametrize("case", REF["schedules"], ids=_ids("schedules"))
def test_swalr_matches_pytorch(case: dict[str, Any]) -> None:
    opt = schedule_optimizer()
    for group, initial in zip(opt.param_groups, case.get("initial_lr", []), strict=False):
        group["initial_lr"] = initial
    warmup = trainer.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10) if case.get("warmup") else None
    for _ in range(case.get("warmup", 0)):
        opt.step()
        warmup.step()
    scheduler = SWALR(opt, **case["kwargs"])  # a tuple swa_lr comes back from JSON as a list
    lrs = [[g["lr"] for g in opt.param_groups]]
    for _ in range(len(case["lrs"]) - 1):
        opt.step()
        scheduler.step()
        lrs.append([g["lr"] for g in opt.param_groups])
    np.testing.assert_allclose(np.array(lrs), np.array(case["lrs"]), rtol=1e-12, atol=1e-15)
    assert scheduler.get_last_lr() == lrs[-1]
    assert [g["swa_lr"] for g in opt.param_groups] == case["swa_lrs"]
    state, expected = scheduler.state_dict(), case["state_dict"]
    assert sorted(state) == sorted(expected)
    for key, want in expected.items():
        assert state[key] == (want if isinstance(want, str) else pytest.approx(want, rel=1e-12, abs=1e-15)), key


# ----- update_bn ---------------------------------------------------------------------------------------------------
class CountingLoader:
    """A loader that counts how often it is iterated."""

    def __init__(self, batches: list[Any]) -> None:
        self.batches = batches
        self.passes = 0

    def __iter__(self) -> Any:
        self.passes += 1
        return iter(self.batches)


def bn_model(kind: str) -> nn.Module:
    """The model of an update_bn case, its statistics moved off their defaults (update_bn must reset them)."""
    if kind == "mlp":
        model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Tanh(), nn.Linear(4, 4),
                              nn.BatchNorm1d(4, momentum=None), nn.Linear(4, 2)).double()
    elif kind == "instance_norm":
        model = nn.Sequential(nn.InstanceNorm1d(2, momentum=0.2, track_running_stats=True),
                              nn.BatchNorm1d(2, momentum=0.3)).double()
    elif kind == "conv_bn":
        model = nn.Sequential(nn.BatchNorm2d(3, momentum=0.05)).double()
    else:
        model = nn.Sequential(nn.Linear(3, 2)).double()
    with trainer.no_grad():
        for i, p in enumerate(model.parameters()):  # fixed weights: no dependence on either library's init
            p.copy_(trainer.tensor(np.cos(np.arange(p.numel()) * 1.3 + i).reshape(tuple(p.shape)) * 0.8))
    for m in model.modules():
        if getattr(m, "running_mean", None) is not None:
            m.running_mean.fill_(0.5)
            m.running_var.fill_(2.0)
            m.num_batches_tracked.fill_(7)
    return model


def bn_batches(case: dict[str, Any]) -> list[Any]:
    tensors = [trainer.tensor(a) for a in DATA[case["batches"]]]
    if case["form"] == "tuple":
        return [(t, trainer.zeros(len(t))) for t in tensors]
    if case["form"] == "list":
        return [[t] for t in tensors]
    return tensors


@pytest.mark.parametrize("case", REF["update_bn"], ids=_ids("update_bn"))
def test_update_bn_matches_pytorch(case: dict[str, Any]) -> None:
    model = bn_model(case["model"])
    model.train(case["training"])
    target: Any = model
    if case.get("averaged"):
        target = AveragedModel(model)
        target.update_parameters(model)
        target.train(case["training"])
    loader = CountingLoader(bn_batches(case))
    update_bn(loader, target, device=case.get("device"))
    assert (target.training, loader.passes) == (case["training"], case["passes"])
    stats = [m for m in target.modules() if getattr(m, "running_mean", None) is not None]
    assert [(m.num_batches_tracked.item(), m.momentum) for m in stats] == [
        (s["num_batches_tracked"], s["momentum"]) for s in case["stats"]]
    assert_state(target.state_dict(), case["state"], "float64")


# ----- errors ------------------------------------------------------------------------------------------------------
def _bad_schedule(**kwargs: Any) -> Any:
    def make() -> Any:
        return SWALR(schedule_optimizer(), **kwargs)
    return make


def _buffers_mismatch() -> None:
    averaged = AveragedModel(build_model(DATA["weights"], "float64"))
    other = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Tanh(), nn.Linear(4, 2)).double()
    averaged.update_parameters(other)


def _integer_buffers_swa_multi() -> None:
    model = build_model(DATA["weights"], "float64")
    averaged = AveragedModel(model, multi_avg_fn=swa_utils.get_swa_multi_avg_fn(), use_buffers=True)
    averaged.update_parameters(model)
    averaged.update_parameters(model)


def _load_strict() -> None:
    averaged = AveragedModel(build_model(DATA["weights"], "float64"))
    state = {k: v for k, v in averaged.state_dict().items() if k not in ("n_averaged", "module.3.bias")}
    averaged.load_state_dict({**state, "extra": trainer.zeros(1), "module.9.weight": trainer.zeros(1)})


ERRORS: dict[str, Any] = {
    "both_avg_fns": lambda: AveragedModel(nn.Linear(2, 2), avg_fn=swa_utils.get_swa_avg_fn(),
                                          multi_avg_fn=swa_utils.get_swa_multi_avg_fn()),
    "ema_decay_high": lambda: swa_utils.get_ema_avg_fn(1.5),
    "ema_decay_negative": lambda: swa_utils.get_ema_avg_fn(-0.1),
    "ema_multi_decay_int": lambda: swa_utils.get_ema_multi_avg_fn(2),
    "ema_multi_decay_small": lambda: swa_utils.get_ema_multi_avg_fn(-1e-9),
    "swalr_list_length": _bad_schedule(swa_lr=[0.1]),
    "swalr_tuple_length": _bad_schedule(swa_lr=(0.1, 0.2, 0.3)),
    "swalr_strategy": _bad_schedule(swa_lr=0.1, anneal_strategy="exp"),
    "swalr_strategy_case": _bad_schedule(swa_lr=0.1, anneal_strategy="Cos"),
    "swalr_anneal_negative": _bad_schedule(swa_lr=0.1, anneal_epochs=-1),
    "swalr_anneal_float": _bad_schedule(swa_lr=0.1, anneal_epochs=2.5),
    "swalr_anneal_string": _bad_schedule(swa_lr=0.1, anneal_epochs="3"),
    "swalr_not_an_optimizer": lambda: SWALR("sgd", swa_lr=0.1),
    "train_not_bool": lambda: AveragedModel(nn.Linear(2, 2)).train("yes"),
    "buffers_mismatch": _buffers_mismatch,
    "integer_buffers_swa_multi": _integer_buffers_swa_multi,
    "load_strict": _load_strict,
}
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
    scheduler = SWALR(schedule_optimizer(), swa_lr=0.01, anneal_strategy="linear")
    state = scheduler.state_dict()
    assert "anneal_func" not in state and "optimizer" not in state and state["_anneal_strategy"] == "linear"
    other = SWALR(schedule_optimizer(), swa_lr=0.01)
    assert other.anneal_func(0.5) == pytest.approx(0.5)
    other.load_state_dict(state)
    assert other.anneal_func(0.25) == 0.25


def test_swalr_writes_swa_lr_before_checking_the_rest() -> None:
    opt = schedule_optimizer()
    with pytest.raises(ValueError, match="anneal_strategy"):
        SWALR(opt, swa_lr=[0.3, 0.4], anneal_strategy="exp")
    assert [g["swa_lr"] for g in opt.param_groups] == [0.3, 0.4]


def test_swalr_get_lr_outside_step_warns() -> None:
    scheduler = SWALR(schedule_optimizer(), swa_lr=0.01)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scheduler.get_lr()
    assert [str(w.message) for w in caught] == [
        "To get the last learning rate computed by the scheduler, please use `get_last_lr()`."]
