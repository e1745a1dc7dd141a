"""Adjacent parameters updated as one flat array (`optim._flat`) give exactly the per-tensor path's bits."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import trainer
from trainer import nn, optim
from trainer.nn import _arena


@pytest.fixture(autouse=True)
def _fresh_chunk():
    """Each test's model starts a new arena chunk, so what earlier tests allocated cannot split it in two."""
    _arena._chunks.clear()

CASES: list[tuple[type, dict[str, Any]]] = [
    (optim.SGD, {}),
    (optim.SGD, {"momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    (optim.SGD, {"momentum": 0.9, "dampening": 0.3, "maximize": True}),
    (optim.Lion, {"weight_decay": 0.1}),
    (optim.Lion, {"weight_decay": 0.1, "decoupled_weight_decay": True, "betas": (0.5, 0.8)}),
    (optim.AdamWScheduleFree, {"weight_decay": 0.1, "warmup_steps": 3, "r": 0.5}),
    (optim.RAdamScheduleFree, {"weight_decay": 0.1, "silent_sgd_phase": False}),
    (optim.SGDScheduleFree, {"weight_decay": 0.1, "warmup_steps": 2}),
    (optim.Adam, {}),
    (optim.Adam, {"amsgrad": True, "weight_decay": 0.1}),
    (optim.Adam, {"maximize": True, "weight_decay": 0.1, "decoupled_weight_decay": True, "betas": (0.3, 0.5)}),
    (optim.AdamW, {"amsgrad": True}),
    (optim.Adadelta, {"weight_decay": 0.1, "maximize": True}),
    (optim.Adagrad, {"lr_decay": 0.01, "weight_decay": 0.1, "initial_accumulator_value": 0.5}),
    (optim.Adagrad, {"maximize": True}),
    (optim.Adamax, {"weight_decay": 0.1, "maximize": True}),
    (optim.ADOPT, {}),
    (optim.ADOPT, {"clip_lambda": None, "weight_decay": 0.1, "decouple": True, "maximize": True}),
    (optim.ASGD, {"t0": 3, "lambd": 0.01, "weight_decay": 0.1}),
    (optim.ASGD, {"maximize": True}),
    (optim.NAdam, {"weight_decay": 0.1}),
    (optim.NAdam, {"weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    (optim.RAdam, {}),
    (optim.RAdam, {"weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    (optim.RMSprop, {"momentum": 0.9, "centered": True, "weight_decay": 0.1}),
    (optim.RMSprop, {"maximize": True}),
    (optim.Rprop, {"etas": (0.3, 1.5), "step_sizes": (1e-3, 1.0)}),
    (optim.Rprop, {"maximize": True}),
]


def _model(dtype: str) -> nn.Module:
    model = nn.Sequential(nn.Linear(3, 5, dtype=dtype), nn.Tanh(), nn.Linear(5, 2, dtype=dtype))
    rng = np.random.default_rng(0)
    with trainer.no_grad():
        for p in model.parameters():
            p.copy_(trainer.tensor(rng.standard_normal(tuple(p.shape)).astype(dtype)))
    return model


def _optimizer(cls: type, kwargs: dict[str, Any], model: nn.Module, flat: bool) -> optim.Optimizer:
    groups = [{"params": list(model[0].parameters())}, {"params": list(model[2].parameters()), "lr": 0.02}]
    opt = cls(groups, **kwargs)
    opt.flat_updates = flat
    opt.train()  # where the schedule-free ones take their steps (a no-op for the others)
    return opt


def _joined(opt: optim.Optimizer) -> bool:
    """Whether some group was last updated with a run of more than one parameter."""
    return any(run[2] is not None for _, plan, _ in opt._flat._plans.values() for run in plan.runs)


def _assert_same(a: tuple[nn.Module, optim.Optimizer], b: tuple[nn.Module, optim.Optimizer]) -> None:
    assert len(a[1].state) == len(b[1].state)  # before looking: `state` is a defaultdict
    for p, q in zip(a[0].parameters(), b[0].parameters(), strict=True):
        assert p._array.dtype == q._array.dtype and np.array_equal(p._array, q._array)
        sp, sq = a[1].state[p], b[1].state[q]
        assert list(sp) == list(sq)
        for key in sp:
            x, y = np.asarray(sp[key]._array), np.asarray(sq[key]._array)
            assert x.dtype == y.dtype and np.array_equal(x, y), key


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("cls", "kwargs"), CASES, ids=lambda v: getattr(v, "__name__", None) or str(v))
def test_flat_path_matches_per_tensor_path(cls: type, kwargs: dict[str, Any], dtype: str) -> None:
    runs = []
    for flat in (True, False):
        model = _model(dtype)
        runs.append([model, _optimizer(cls, kwargs, model, flat)])
    rng = np.random.default_rng(1)
    for step in range(8):
        grads = [rng.standard_normal(tuple(p.shape)).astype(dtype) for p in runs[0][0].parameters()]
        for model, opt in runs:
            for i, (p, g) in enumerate(zip(model.parameters(), grads, strict=True)):
                p.grad = None if i == 1 and step in (2, 3) else trainer.tensor(g)  # a bias sits two steps out
            opt.step()
        _assert_same(runs[0], runs[1])
        assert _joined(runs[0][1]) or step == 0 and cls is optim.SGD  # its first step makes the buffers
        assert not runs[1][1]._flat._plans
        if step == 4:  # resume both from their state_dicts mid-run
            for run in runs:
                saved = run[1].state_dict()
                run[1] = _optimizer(cls, kwargs, run[0], run[1].flat_updates)
                run[1].load_state_dict(saved)


def test_layers_parameters_are_adjacent_views_and_state_follows() -> None:
    model = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    arrays = [p._array for p in model.parameters()]
    assert all(a.base is arrays[0].base for a in arrays)
    opt = optim.Adam(model.parameters())
    for p in model.parameters():
        p.grad = trainer.ones_like(p)
    opt.step()
    flat = opt._flat._plans[id(opt.param_groups[0])][1].runs[0][2]
    assert len(opt._flat._plans[id(opt.param_groups[0])][1].runs) == 1
    for key, view in zip(("param", "exp_avg", "exp_avg_sq"), flat, strict=True):
        parts = [p._array if key == "param" else opt.state[p][key]._array for p in model.parameters()]
        assert np.array_equal(view, np.concatenate(parts, axis=None)), key
    assert [float(opt.state[p]["step"]) for p in model.parameters()] == [1.0] * 4


def test_a_small_model_after_a_large_layer_still_takes_the_flat_path() -> None:
    nn.Linear(300, 256)  # its chunk is larger than the usual one; the next layers are carved from its tail
    model = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    opt = optim.Adam(model.parameters())
    for p in model.parameters():
        p.grad = trainer.ones_like(p)
    opt.step()
    assert len(opt._flat._plans[id(opt.param_groups[0])][1].runs) == 1


def test_a_replaced_parameter_falls_back_and_held_state_is_never_reused() -> None:
    model = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    opt = optim.Adam(model.parameters())
    for p in model.parameters():
        p.grad = trainer.ones_like(p)
    opt.step()
    held = opt.state[model[0].weight]["exp_avg"]
    before = held._array.copy()
    model[0].weight.data = model[0].weight.data.clone()  # no longer next to its bias
    opt.load_state_dict(opt.state_dict())
    opt.step()
    runs = opt._flat._plans[id(opt.param_groups[0])][1].runs
    assert [(start, stop) for start, stop, *_ in runs] == [(0, 1), (1, 4)]
    assert np.array_equal(held._array, before)  # the old state tensor is not the new one's memory


def _replace_exp_avg(model: nn.Module, opt: optim.Optimizer) -> None:
    p = model[0].bias
    opt.state[p]["exp_avg"] = trainer.full_like(p, 0.25)  # a new state tensor, memory of its own


def _diverge_a_step(model: nn.Module, opt: optim.Optimizer) -> None:
    opt.state[model[2].weight]["step"].fill_(1.0)  # one parameter's count, changed in place


def _new_step_tensor(model: nn.Module, opt: optim.Optimizer) -> None:
    opt.state[model[0].weight]["step"] = trainer.tensor(7.0)


def _reset_param_data(model: nn.Module, opt: optim.Optimizer) -> None:
    with trainer.no_grad():
        model[2].bias.copy_(trainer.zeros_like(model[2].bias))  # in place: the plan stays valid


@pytest.mark.parametrize("change", [_replace_exp_avg, _diverge_a_step, _new_step_tensor, _reset_param_data])
def test_what_a_user_changes_between_steps_the_flat_path_sees(change) -> None:
    runs = []
    for flat in (True, False):
        model = _model("float32")
        opt = optim.Adam([{"params": list(model.parameters())}], lr=0.05)
        opt.flat_updates = flat
        x = trainer.tensor(np.random.default_rng(1).standard_normal((6, 3)).astype("float32"))
        for step in range(6):
            opt.zero_grad()
            model(x).square().sum().backward()
            opt.step()
            if step == 2:
                change(model, opt)
        runs.append((model, opt))
    _assert_same(*runs)
