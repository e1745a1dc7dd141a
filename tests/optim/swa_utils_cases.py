"""The swa_utils scenarios, stated once for both libraries.

Each function takes the library `m` (`torch` or `trainer`): tools/references_swa_utils.py runs the scenarios with
PyTorch and writes tests/references/optim/swa_utils.json; tests/optim/test_swa_utils.py runs them with trainer and
compares. The `run_*` functions return a case's results (without the case itself).
"""

from __future__ import annotations

from typing import Any

import numpy as np

STEPS = 5
EPOCHS = 15


def _state(module: Any) -> dict[str, Any]:
    return {k: v.clone() for k, v in module.state_dict().items()}


# ----- averaging ---------------------------------------------------------------------------------------------------
def _midpoint(averaged: Any, current: Any, num_averaged: Any) -> Any:
    return (averaged + current) / 2


def average_options(m: Any, avg: str, decay: Any, calls: list[list[Any]]) -> dict[str, Any]:
    """The AveragedModel arguments of an averaging case; `calls` collects what the "record_midpoint" one saw."""
    swa_utils = m.optim.swa_utils

    def record_midpoint(averaged: list[Any], current: list[Any], num_averaged: Any) -> None:
        calls.append([len(averaged), str(averaged[0].dtype), int(num_averaged)])
        for a, c in zip(averaged, current, strict=True):
            a.copy_((a + c) / 2)

    options = {
        "swa": lambda: {},
        "swa_fn": lambda: {"avg_fn": swa_utils.get_swa_avg_fn()},
        "swa_multi": lambda: {"multi_avg_fn": swa_utils.get_swa_multi_avg_fn()},
        "ema": lambda: {"avg_fn": swa_utils.get_ema_avg_fn(decay)},
        "ema_multi": lambda: {"multi_avg_fn": swa_utils.get_ema_multi_avg_fn(decay)},
        "midpoint": lambda: {"avg_fn": _midpoint},
        "record_midpoint": lambda: {"multi_avg_fn": record_midpoint},
    }
    return options[avg]()


def build_model(m: Any, weights: dict[str, np.ndarray], dtype: str) -> Any:
    nn = m.nn
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Tanh(), nn.Linear(4, 2)).to(getattr(m, dtype))
    with m.no_grad():
        for name, value in weights.items():
            model.get_parameter(name).copy_(m.tensor(value))
    return model


def run_averaging(m: Any, spec: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    previous = m.get_default_dtype()
    m.set_default_dtype(getattr(m, spec.get("default_dtype", "float32")))
    try:
        return _run_averaging(m, spec, data)
    finally:
        m.set_default_dtype(previous)


def _run_averaging(m: Any, spec: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    calls: list[list[Any]] = []
    dtype = getattr(m, spec["dtype"])
    model = build_model(m, data["weights"], spec["dtype"])
    averaged = m.optim.swa_utils.AveragedModel(model, **average_options(m, spec["avg"], spec.get("decay"), calls),
                                               use_buffers=spec["use_buffers"])
    opt = m.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, y = m.tensor(data["x"], dtype=dtype), m.tensor(data["y"], dtype=dtype)
    states = []
    for _ in range(STEPS):
        opt.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        opt.step()
        averaged.update_parameters(model)
        states.append(_state(averaged))
    keys = list(averaged.state_dict())
    averaged.eval()
    output = averaged(m.tensor(data["x_eval"], dtype=dtype))
    return {"keys": keys, "states": states, "output": output, "calls": calls,
            "parameters": [n for n, _ in averaged.named_parameters()],
            "buffers": [n for n, _ in averaged.named_buffers()],
            "modules": [n for n, _ in averaged.named_modules()], "training": [averaged.training, model.training],
            "repr": repr(averaged)}


# ----- SWALR -------------------------------------------------------------------------------------------------------
def schedule_optimizer(m: Any) -> Any:
    groups = [{"params": [m.zeros(2, requires_grad=True)], "lr": lr} for lr in (0.1, 0.05)]
    return m.optim.SGD(groups, momentum=0.9)


def run_schedule(m: Any, spec: dict[str, Any]) -> dict[str, Any]:
    opt = schedule_optimizer(m)
    for group, initial in zip(opt.param_groups, spec.get("initial_lr", []), strict=False):
        group["initial_lr"] = initial
    warmup = m.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10) if spec.get("warmup") else None
    for _ in range(spec.get("warmup", 0)):
        opt.step()
        warmup.step()
    scheduler = m.optim.swa_utils.SWALR(opt, **spec["kwargs"])  # the test's tuple swa_lr is a list (JSON)
    lrs = [[g["lr"] for g in opt.param_groups]]
    for _ in range(EPOCHS):
        opt.step()
        scheduler.step()
        lrs.append([g["lr"] for g in opt.param_groups])
    assert scheduler.get_last_lr() == lrs[-1]
    return {"lrs": lrs, "swa_lrs": [g["swa_lr"] for g in opt.param_groups], "state_dict": scheduler.state_dict()}


# ----- update_bn ---------------------------------------------------------------------------------------------------
def _norm_stats(model: Any) -> list[dict[str, Any]]:
    return [{"running_mean": n.running_mean.clone(), "running_var": n.running_var.clone(),
             "num_batches_tracked": int(n.num_batches_tracked), "momentum": n.momentum}
            for n in model.modules() if getattr(n, "running_mean", None) is not None]


def bn_model(m: Any, kind: str) -> Any:
    """The model of an update_bn case, its statistics moved off their defaults (update_bn must reset them)."""
    nn = m.nn
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
    with m.no_grad():
        for i, p in enumerate(model.parameters()):  # fixed weights: no dependence on either library's init
            p.copy_(m.tensor(np.cos(np.arange(p.numel()) * 1.3 + i).reshape(tuple(p.shape)) * 0.8))
    for n in model.modules():
        if getattr(n, "running_mean", None) is not None:
            n.running_mean.fill_(0.5)
            n.running_var.fill_(2.0)
            n.num_batches_tracked.fill_(7)
    return model


class CountingLoader:
    """A loader that counts how often it is iterated."""

    def __init__(self, batches: list[Any]) -> None:
        self.batches = batches
        self.passes = 0

    def __iter__(self) -> Any:
        self.passes += 1
        return iter(self.batches)


def bn_batches(m: Any, spec: dict[str, Any], data: dict[str, Any]) -> list[Any]:
    tensors = [m.tensor(a) for a in data[spec["batches"]]]
    if spec["form"] == "tuple":
        return [(t, m.zeros(len(t))) for t in tensors]
    if spec["form"] == "list":
        return [[t] for t in tensors]
    return tensors


def run_update_bn(m: Any, spec: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    swa_utils = m.optim.swa_utils
    model = bn_model(m, spec["model"])
    model.train(spec["training"])
    target: Any = model
    if spec.get("averaged"):
        target = swa_utils.AveragedModel(model)
        target.update_parameters(model)
        target.train(spec["training"])
    loader = CountingLoader(bn_batches(m, spec, data))
    swa_utils.update_bn(loader, target, device=spec.get("device"))
    return {"stats": _norm_stats(target), "training": target.training, "passes": loader.passes,
            "state": _state(target)}


# ----- errors ------------------------------------------------------------------------------------------------------
def errors(m: Any, weights: dict[str, np.ndarray]) -> dict[str, Any]:
    """The bad calls, by name; each raises (the model builders use the fixed `weights`)."""
    nn, swa_utils = m.nn, m.optim.swa_utils

    def bad_schedule(**kwargs: Any) -> Any:
        return lambda: swa_utils.SWALR(schedule_optimizer(m), **kwargs)

    def buffers_mismatch() -> None:
        averaged = swa_utils.AveragedModel(build_model(m, weights, "float64"))
        other = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Tanh(), nn.Linear(4, 2)).double()
        averaged.update_parameters(other)

    def integer_buffers_swa_multi() -> None:
        model = build_model(m, weights, "float64")
        averaged = swa_utils.AveragedModel(model, multi_avg_fn=swa_utils.get_swa_multi_avg_fn(), use_buffers=True)
        averaged.update_parameters(model)
        averaged.update_parameters(model)

    def load_strict() -> None:
        averaged = swa_utils.AveragedModel(build_model(m, weights, "float64"))
        state = {k: v for k, v in averaged.state_dict().items() if k not in ("n_averaged", "module.3.bias")}
        averaged.load_state_dict({**state, "extra": m.zeros(1), "module.9.weight": m.zeros(1)})

    return {
        "both_avg_fns": lambda: swa_utils.AveragedModel(nn.Linear(2, 2), avg_fn=swa_utils.get_swa_avg_fn(),
                                                        multi_avg_fn=swa_utils.get_swa_multi_avg_fn()),
        "ema_decay_high": lambda: swa_utils.get_ema_avg_fn(1.5),
        "ema_decay_negative": lambda: swa_utils.get_ema_avg_fn(-0.1),
        "ema_multi_decay_int": lambda: swa_utils.get_ema_multi_avg_fn(2),
        "ema_multi_decay_small": lambda: swa_utils.get_ema_multi_avg_fn(-1e-9),
        "swalr_list_length": bad_schedule(swa_lr=[0.1]),
        "swalr_tuple_length": bad_schedule(swa_lr=(0.1, 0.2, 0.3)),
        "swalr_strategy": bad_schedule(swa_lr=0.1, anneal_strategy="exp"),
        "swalr_strategy_case": bad_schedule(swa_lr=0.1, anneal_strategy="Cos"),
        "swalr_anneal_negative": bad_schedule(swa_lr=0.1, anneal_epochs=-1),
        "swalr_anneal_float": bad_schedule(swa_lr=0.1, anneal_epochs=2.5),
        "swalr_anneal_string": bad_schedule(swa_lr=0.1, anneal_epochs="3"),
        "swalr_not_an_optimizer": lambda: swa_utils.SWALR("sgd", swa_lr=0.1),
        "train_not_bool": lambda: swa_utils.AveragedModel(nn.Linear(2, 2)).train("yes"),
        "buffers_mismatch": buffers_mismatch,
        "integer_buffers_swa_multi": integer_buffers_swa_multi,
        "load_strict": load_strict,
    }
