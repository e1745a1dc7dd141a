"""Reference trajectories of optimizers beyond torch.optim, from their authors' packages (needs torch and them).

    pip install torch==2.13.0 numpy lion-pytorch schedulefree prodigyopt torch-adopt

Lion (lion_pytorch), AdamWScheduleFree / SGDScheduleFree / RAdamScheduleFree (schedulefree), Prodigy
(prodigyopt) and ADOPT (adopt), on the problem of references_optim.py for 40 steps, two parameter groups
differing in lr (Prodigy: in weight decay). A case may step a torch scheduler after every optimizer step,
and the schedule-free cases call `train()` first, may go through `eval()`/`train()` every `toggle_every`
steps (as the training loop does at each epoch end) and record the parameters in eval mode at the end.
Written to tests/references/optim/ beside torch.optim's files.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np
import torch
from reference_io import write_json
from references_optim import SKIP_GROUP_KEYS, TUPLE_KEYS, loss_fn, problem

AREA = "optim"  # tools/make_references.py writes into tests/references/optim/
STEPS = 40
MODULES = {"Lion": "lion_pytorch", "AdamWScheduleFree": "schedulefree", "SGDScheduleFree": "schedulefree",
           "RAdamScheduleFree": "schedulefree", "Prodigy": "prodigyopt", "ADOPT": "adopt"}


def _case(name: str, cls: str, kwargs: dict[str, Any], *, groups: list[dict[str, Any]] | None = None,
          scheduler: dict[str, Any] | None = None, toggle_every: int = 0, l2: float = 0.0) -> dict[str, Any]:
    if groups is None:
        lr = kwargs.get("lr", 1.0)
        groups = [{"params": [0, 1], "lr": lr}, {"params": [2, 3], "lr": lr * 0.5}]
    return {"name": name, "cls": cls, "kwargs": kwargs, "groups": groups, "l2": l2, "scheduler": scheduler,
            "toggle_every": toggle_every}


def _decay_groups(first: float, second: float, **extra: Any) -> list[dict[str, Any]]:
    return [{"params": [0, 1], "weight_decay": first, **extra}, {"params": [2, 3], "weight_decay": second}]


def cases() -> dict[str, list[dict[str, Any]]]:
    """Option combinations per optimizer file."""
    sf_step = {"cls": "StepLR", "kwargs": {"step_size": 10, "gamma": 0.5}}
    linear = {"cls": "LinearLR", "kwargs": {"start_factor": 0.1, "total_iters": 10}}
    return {
        "lion": [
            _case("default", "Lion", {"lr": 1e-2}),
            _case("betas_wd", "Lion", {"lr": 3e-3, "betas": (0.8, 0.95), "weight_decay": 0.1}),
            _case("decoupled_wd", "Lion", {"lr": 2e-3, "weight_decay": 1e-4, "decoupled_weight_decay": True}),
            _case("decoupled_wd_steplr", "Lion", {"lr": 2e-3, "weight_decay": 1e-3, "decoupled_weight_decay": True},
                  scheduler=sf_step),
        ],
        "adamw_schedule_free": [
            _case("default", "AdamWScheduleFree", {"lr": 0.01}),
            _case("warmup_wd", "AdamWScheduleFree", {"lr": 0.02, "warmup_steps": 10, "weight_decay": 0.05,
                                                     "betas": (0.95, 0.99), "eps": 1e-6}, toggle_every=5),
            _case("r_power", "AdamWScheduleFree", {"lr": 0.01, "r": 0.5, "weight_lr_power": 1.0,
                                                   "foreach": False}, toggle_every=7),
            _case("linearlr", "AdamWScheduleFree", {"lr": 0.02}, scheduler=linear, toggle_every=10),
        ],
        "sgd_schedule_free": [
            _case("default", "SGDScheduleFree", {"lr": 0.2}),
            _case("warmup_wd", "SGDScheduleFree", {"lr": 0.3, "momentum": 0.8, "warmup_steps": 8,
                                                   "weight_decay": 0.01}, toggle_every=5),
            _case("r_power_steplr", "SGDScheduleFree", {"lr": 0.2, "r": 1.0, "weight_lr_power": 0.0,
                                                        "momentum": 0.5, "foreach": False}, scheduler=sf_step,
                  toggle_every=4),
        ],
        "radam_schedule_free": [
            _case("default", "RAdamScheduleFree", {"lr": 0.01}),
            _case("loud_sgd_phase_wd", "RAdamScheduleFree", {"lr": 0.01, "silent_sgd_phase": False,
                                                             "weight_decay": 0.05, "betas": (0.9, 0.99)},
                  toggle_every=5),
            _case("r_power", "RAdamScheduleFree", {"lr": 0.02, "r": 0.5, "weight_lr_power": 1.0, "eps": 1e-6,
                                                   "betas": (0.8, 0.95), "foreach": False}, toggle_every=8),
            _case("steplr", "RAdamScheduleFree", {"lr": 0.02, "betas": (0.9, 0.9)}, scheduler=sf_step),
        ],
        "prodigy": [
            _case("default", "Prodigy", {}, groups=_decay_groups(0.0, 0.1)),
            _case("coupled_bias_correction", "Prodigy", {"decouple": False, "use_bias_correction": True,
                                                         "betas": (0.9, 0.99)}, groups=_decay_groups(0.01, 0.1)),
            _case("safeguard_growth", "Prodigy", {"safeguard_warmup": True, "growth_rate": 1.05, "d_coef": 2.0,
                                                  "d0": 1e-4, "beta3": 0.9, "eps": 1e-6},
                  groups=_decay_groups(0.05, 0.0)),
            _case("no_momentum_slice", "Prodigy", {"betas": (0.0, 0.999), "slice_p": 2, "lr": 0.5},
                  groups=_decay_groups(0.0, 0.02)),
            _case("frozen_group", "Prodigy", {"weight_decay": 0.1},
                  groups=[{"params": [0, 1]}, {"params": [2, 3], "lr": 0.0}]),
            _case("steplr", "Prodigy", {}, groups=_decay_groups(0.0, 0.1), scheduler=sf_step),
            _case("linearlr_warmup", "Prodigy", {"safeguard_warmup": True, "d0": 1e-3},
                  groups=_decay_groups(0.01, 0.0), scheduler=linear),
        ],
        "adopt": [
            _case("default", "ADOPT", {"lr": 0.01}),
            _case("no_clip_wd", "ADOPT", {"lr": 0.01, "clip_lambda": None, "weight_decay": 0.05,
                                          "betas": (0.8, 0.99)}),
            _case("decouple_eps", "ADOPT", {"lr": 0.02, "weight_decay": 0.1, "decouple": True, "eps": 1e-4}),
            _case("maximize", "ADOPT", {"lr": 0.005, "maximize": True}),
            _case("steplr", "ADOPT", {"lr": 0.02}, scheduler=sf_step),
        ],
    }


def _torch_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if k in TUPLE_KEYS and isinstance(v, list | tuple) else v for k, v in kwargs.items()}


def _flat(params: list[torch.Tensor]) -> np.ndarray:
    return np.concatenate([p.detach().numpy().reshape(-1).copy() for p in params])


def run_case(spec: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    params = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in data["params"]]
    x, y = torch.tensor(data["x"]), torch.tensor(data["y"])
    groups = [{**{k: v for k, v in g.items() if k != "params"}, "params": [params[i] for i in g["params"]]}
              for g in spec["groups"]]
    cls = getattr(importlib.import_module(MODULES[spec["cls"]]), spec["cls"])
    opt = cls(groups, **_torch_kwargs(spec["kwargs"]))
    sched = spec["scheduler"]
    scheduler = getattr(torch.optim.lr_scheduler, sched["cls"])(opt, **sched["kwargs"]) if sched else None
    schedule_free = hasattr(opt, "train")
    if schedule_free:
        opt.train()

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = loss_fn(params, x, y, spec["l2"])
        loss.backward()
        return loss

    losses, trajectory = [], []
    for i in range(STEPS):
        losses.append(float(opt.step(closure).detach()))
        if scheduler is not None:
            scheduler.step()
        trajectory.append(_flat(params))
        if spec["toggle_every"] and (i + 1) % spec["toggle_every"] == 0:
            opt.eval()
            opt.train()
    out = {**spec, "losses": losses, "trajectory": np.stack(trajectory)}
    if schedule_free:
        opt.eval()
        out["eval_params"] = _flat(params)
    sd = opt.state_dict()
    out["state"] = {str(k): v for k, v in sd["state"].items()}
    out["param_groups"] = [{k: v for k, v in g.items() if k not in SKIP_GROUP_KEYS} for g in sd["param_groups"]]
    return out


def main(out_dir: Path) -> None:
    torch.set_default_dtype(torch.float64)
    try:
        data = problem()
        for name, specs in cases().items():
            write_json(out_dir / f"{name}.json", {"problem": data, "cases": [run_case(s, data) for s in specs]})
    finally:
        torch.set_default_dtype(torch.float32)
