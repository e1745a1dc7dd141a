"""PyTorch reference values for torch.optim.swa_utils (run by tools/make_references.py; needs torch).

Writes tests/references/optim/swa_utils.json:

- `averaging`: a Linear + BatchNorm1d + Tanh + Linear model with the fixed weights of `problem()`, trained by
  SGD for a few steps, each followed by `update_parameters`: the averaged model's `state_dict()` after every
  update, its names, and its eval-mode output at the end, for SWA and EMA per tensor and over lists, custom
  functions, `use_buffers` on and off, float64 and float32.
- `schedules`: SWALR's lr per group after construction and after each epoch (cos and linear, several
  `anneal_epochs`, per-group `swa_lr`, taking over from CosineAnnealingLR, `last_epoch`) and its state_dict.
- `update_bn`: running statistics after `update_bn` over a loader of tuples or tensors, with the momenta and
  training mode it restores, for BatchNorm1d/2d, an InstanceNorm it must leave alone, a model without
  batch norm, and an averaged model.
- `errors`: the exception class and message PyTorch raises for bad arguments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from reference_io import write_json
from torch import nn
from torch.optim import swa_utils

AREA = "optim"
STEPS = 5
EPOCHS = 15
CALLS: list[list[Any]] = []  # what the "record_midpoint" multi_avg_fn saw


def _midpoint(averaged: torch.Tensor, current: torch.Tensor, num_averaged: Any) -> torch.Tensor:
    return (averaged + current) / 2


def _record_midpoint(averaged: list[torch.Tensor], current: list[torch.Tensor], num_averaged: Any) -> None:
    CALLS.append([len(averaged), str(averaged[0].dtype), int(num_averaged)])
    for a, c in zip(averaged, current, strict=True):
        a.copy_((a + c) / 2)


AVERAGES: dict[str, Any] = {  # an averaging case's functions from its decay (the same names in the test)
    "swa": lambda decay: {},
    "swa_fn": lambda decay: {"avg_fn": swa_utils.get_swa_avg_fn()},
    "swa_multi": lambda decay: {"multi_avg_fn": swa_utils.get_swa_multi_avg_fn()},
    "ema": lambda decay: {"avg_fn": swa_utils.get_ema_avg_fn(decay)},
    "ema_multi": lambda decay: {"multi_avg_fn": swa_utils.get_ema_multi_avg_fn(decay)},
    "midpoint": lambda decay: {"avg_fn": _midpoint},
    "record_midpoint": lambda decay: {"multi_avg_fn": _record_midpoint},
}


def problem() -> dict[str, Any]:
    """Fixed weights and data (stored in the reference file)."""
    rng = np.random.default_rng(2026)
    return {
        "weights": {"0.weight": rng.standard_normal((4, 3)) * 0.6, "0.bias": rng.standard_normal(4) * 0.3,
                    "1.weight": 1 + 0.2 * rng.standard_normal(4), "1.bias": 0.1 * rng.standard_normal(4),
                    "3.weight": rng.standard_normal((2, 4)) * 0.5, "3.bias": rng.standard_normal(2) * 0.2},
        "x": rng.standard_normal((8, 3)), "y": rng.standard_normal((8, 2)), "x_eval": rng.standard_normal((5, 3)),
        "batches": [rng.standard_normal((n, 3)) * 2 + 1 for n in (4, 3, 5)],
        "batches_3d": [rng.standard_normal((n, 2, 5)) * 3 - 1 for n in (2, 4)],
        "batches_4d": [rng.standard_normal((n, 3, 2, 2)) + 0.5 for n in (3, 2)],
    }


def _dtype(name: str) -> torch.dtype:
    return getattr(torch, name)


def build_model(weights: dict[str, np.ndarray], dtype: str) -> nn.Module:
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Tanh(), nn.Linear(4, 2)).to(_dtype(dtype))
    with torch.no_grad():
        for name, value in weights.items():
            model.get_parameter(name).copy_(torch.tensor(value))
    return model


def _state(module: Any) -> dict[str, Any]:
    return {k: v.clone() for k, v in module.state_dict().items()}


def run_averaging(spec: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    torch.set_default_dtype(_dtype(spec.get("default_dtype", "float32")))
    try:
        return _run_averaging(spec, data)
    finally:
        torch.set_default_dtype(torch.float32)


def _run_averaging(spec: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    CALLS.clear()
    dtype = _dtype(spec["dtype"])
    model = build_model(data["weights"], spec["dtype"])
    averaged = swa_utils.AveragedModel(model, **AVERAGES[spec["avg"]](spec.get("decay")),
                                       use_buffers=spec["use_buffers"])
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, y = torch.tensor(data["x"], dtype=dtype), torch.tensor(data["y"], dtype=dtype)
    states = []
    for _ in range(STEPS):
        opt.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        opt.step()
        averaged.update_parameters(model)
        states.append(_state(averaged))
    keys = list(averaged.state_dict())
    averaged.eval()
    output = averaged(torch.tensor(data["x_eval"], dtype=dtype))
    return {**spec, "keys": keys, "states": states, "output": output, "calls": list(CALLS),
            "parameters": [n for n, _ in averaged.named_parameters()],
            "buffers": [n for n, _ in averaged.named_buffers()],
            "modules": [n for n, _ in averaged.named_modules()], "training": [averaged.training, model.training],
            "repr": repr(averaged)}


def averaging_cases() -> list[dict[str, Any]]:
    def case(name: str, avg: str, use_buffers: bool, dtype: str = "float64", **extra: Any) -> dict[str, Any]:
        return {"name": name, "avg": avg, "use_buffers": use_buffers, "dtype": dtype, **extra}

    return [
        case("swa", "swa", False), case("swa_buffers", "swa", True),
        case("swa_fn_buffers", "swa_fn", True), case("swa_multi", "swa_multi", False),
        case("swa_multi_default_float64", "swa_multi", False, default_dtype="float64"),
        case("ema", "ema", False, decay=0.9), case("ema_buffers", "ema", True, decay=0.75),
        case("ema_multi", "ema_multi", False, decay=0.9), case("ema_multi_buffers", "ema_multi", True, decay=0.6),
        case("ema_multi_decay_one", "ema_multi", True, decay=1.0),
        case("ema_multi_decay_zero", "ema_multi", False, decay=0.0),
        case("midpoint_buffers", "midpoint", True), case("record_midpoint_buffers", "record_midpoint", True),
        case("swa_float32", "swa", True, "float32"), case("ema_multi_float32", "ema_multi", False, "float32",
                                                          decay=0.9),
    ]


# ----- SWALR -------------------------------------------------------------------------------------------------------
def schedule_cases() -> list[dict[str, Any]]:
    def case(name: str, **kwargs: Any) -> dict[str, Any]:
        extra = {k: kwargs.pop(k) for k in ("warmup", "initial_lr") if k in kwargs}
        return {"name": name, "kwargs": kwargs, **extra}

    return [
        case("cos_default", swa_lr=0.01), case("linear_default", swa_lr=0.01, anneal_strategy="linear"),
        case("cos_none", swa_lr=0.02, anneal_epochs=0), case("linear_none", swa_lr=0.02, anneal_epochs=0,
                                                             anneal_strategy="linear"),
        case("cos_one", swa_lr=0.03, anneal_epochs=1), case("linear_one", swa_lr=0.03, anneal_epochs=1,
                                                            anneal_strategy="linear"),
        case("cos_three_list", swa_lr=[0.02, 0.2], anneal_epochs=3),
        case("linear_five_tuple", swa_lr=(0.001, 0.5), anneal_epochs=5, anneal_strategy="linear"),
        case("cos_long", swa_lr=0.005, anneal_epochs=20),
        case("after_cosine", swa_lr=0.005, anneal_epochs=4, warmup=4),
        case("last_epoch", swa_lr=0.01, anneal_epochs=4, last_epoch=7, initial_lr=[0.2, 0.1]),
    ]


def schedule_optimizer() -> torch.optim.Optimizer:
    groups = [{"params": [torch.zeros(2, requires_grad=True)], "lr": lr} for lr in (0.1, 0.05)]
    return torch.optim.SGD(groups, momentum=0.9)


def run_schedule(spec: dict[str, Any]) -> dict[str, Any]:
    opt = schedule_optimizer()
    for group, initial in zip(opt.param_groups, spec.get("initial_lr", []), strict=False):
        group["initial_lr"] = initial
    warmup = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10) if spec.get("warmup") else None
    for _ in range(spec.get("warmup", 0)):
        opt.step()
        warmup.step()
    scheduler = swa_utils.SWALR(opt, **spec["kwargs"])
    lrs = [[g["lr"] for g in opt.param_groups]]
    for _ in range(EPOCHS):
        opt.step()
        scheduler.step()
        lrs.append([g["lr"] for g in opt.param_groups])
    assert scheduler.get_last_lr() == lrs[-1]
    return {**spec, "lrs": lrs, "swa_lrs": [g["swa_lr"] for g in opt.param_groups],
            "state_dict": scheduler.state_dict()}


# ----- update_bn ---------------------------------------------------------------------------------------------------
def _norm_stats(model: nn.Module) -> list[dict[str, Any]]:
    return [{"running_mean": m.running_mean.clone(), "running_var": m.running_var.clone(),
             "num_batches_tracked": int(m.num_batches_tracked), "momentum": m.momentum}
            for m in model.modules() if hasattr(m, "running_mean") and m.running_mean is not None]


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
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):  # fixed weights: no dependence on either library's init
            p.copy_(torch.tensor(np.cos(np.arange(p.numel()) * 1.3 + i).reshape(tuple(p.shape)) * 0.8))
    for m in model.modules():
        if getattr(m, "running_mean", None) is not None:
            m.running_mean.fill_(0.5)
            m.running_var.fill_(2.0)
            m.num_batches_tracked.fill_(7)
    return model


class CountingLoader:
    """A loader that counts how often it is iterated."""

    def __init__(self, batches: list[Any]) -> None:
        self.batches = batches
        self.passes = 0

    def __iter__(self) -> Any:
        self.passes += 1
        return iter(self.batches)


def bn_batches(spec: dict[str, Any], data: dict[str, Any]) -> list[Any]:
    arrays = data[spec["batches"]]
    tensors = [torch.tensor(a) for a in arrays]
    if spec["form"] == "tuple":
        return [(t, torch.zeros(len(t))) for t in tensors]
    if spec["form"] == "list":
        return [[t] for t in tensors]
    return tensors


def run_update_bn(spec: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    model = bn_model(spec["model"])
    model.train(spec["training"])
    target: Any = model
    if spec.get("averaged"):
        target = swa_utils.AveragedModel(model)
        target.update_parameters(model)
        target.train(spec["training"])
    loader = CountingLoader(bn_batches(spec, data))
    swa_utils.update_bn(loader, target, device=spec.get("device"))
    return {**spec, "stats": _norm_stats(target), "training": target.training, "passes": loader.passes,
            "state": _state(target)}


def update_bn_cases() -> list[dict[str, Any]]:
    def case(name: str, model: str, form: str, training: bool, batches: str = "batches", **extra: Any
             ) -> dict[str, Any]:
        return {"name": name, "model": model, "form": form, "training": training, "batches": batches, **extra}

    return [
        case("tuples_eval", "mlp", "tuple", False), case("tensors_train", "mlp", "tensor", True, device="cpu"),
        case("lists_eval", "mlp", "list", False),
        case("instance_norm_untouched", "instance_norm", "tensor", False, "batches_3d"),
        case("batchnorm2d", "conv_bn", "tuple", True, "batches_4d"),
        case("no_batch_norm", "linear", "tensor", False),
        case("averaged_model", "mlp", "tuple", False, averaged=True),
    ]


# ----- errors ------------------------------------------------------------------------------------------------------
def _bad_schedule(**kwargs: Any) -> Any:
    def make() -> Any:
        return swa_utils.SWALR(schedule_optimizer(), **kwargs)
    return make


def _buffers_mismatch() -> None:
    data = problem()
    averaged = swa_utils.AveragedModel(build_model(data["weights"], "float64"))
    other = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Tanh(), nn.Linear(4, 2)).double()
    averaged.update_parameters(other)


def _integer_buffers_swa_multi() -> None:
    data = problem()
    model = build_model(data["weights"], "float64")
    averaged = swa_utils.AveragedModel(model, multi_avg_fn=swa_utils.get_swa_multi_avg_fn(), use_buffers=True)
    averaged.update_parameters(model)
    averaged.update_parameters(model)


def _load_strict() -> None:
    data = problem()
    averaged = swa_utils.AveragedModel(build_model(data["weights"], "float64"))
    state = {k: v for k, v in averaged.state_dict().items() if k not in ("n_averaged", "module.3.bias")}
    averaged.load_state_dict({**state, "extra": torch.zeros(1), "module.9.weight": torch.zeros(1)})


ERRORS: dict[str, Any] = {
    "both_avg_fns": lambda: swa_utils.AveragedModel(nn.Linear(2, 2), avg_fn=swa_utils.get_swa_avg_fn(),
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
    "swalr_not_an_optimizer": lambda: swa_utils.SWALR("sgd", swa_lr=0.1),
    "train_not_bool": lambda: swa_utils.AveragedModel(nn.Linear(2, 2)).train("yes"),
    "buffers_mismatch": _buffers_mismatch,
    "integer_buffers_swa_multi": _integer_buffers_swa_multi,
    "load_strict": _load_strict,
}


def run_error(name: str) -> dict[str, Any]:
    try:
        ERRORS[name]()
    except Exception as e:  # noqa: BLE001 - every class is what is recorded
        return {"name": name, "error": type(e).__name__, "message": str(e)}
    raise AssertionError(f"{name} raised nothing")


def main(out_dir: Path) -> None:
    data = problem()
    write_json(out_dir / "swa_utils.json", {
        "problem": data, "steps": STEPS, "epochs": EPOCHS,
        "averaging": [run_averaging(c, data) for c in averaging_cases()],
        "schedules": [run_schedule(c) for c in schedule_cases()],
        "update_bn": [run_update_bn(c, data) for c in update_bn_cases()],
        "errors": [run_error(name) for name in ERRORS],
    })
