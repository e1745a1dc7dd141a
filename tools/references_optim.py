"""PyTorch reference trajectories for every optimizer (run by tools/make_references.py; needs torch).

The problem is a tiny tanh network with a squared-error loss (non-convex), parameters
W1 (2, 3), b1 (3,), W2 (3, 2), b2 (2,) in float64, split into two parameter groups with different
learning rates (LBFGS supports one group only; Muon takes the two matrices). The L-BFGS cases add
a small L2 term to keep their trajectories well conditioned. Each case stores the
spec needed to rebuild the optimizer, the loss returned by every `step(closure)`, the flattened
parameters after every step, and PyTorch's final `state_dict()`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from reference_io import write_json

STEPS = 30
TUPLE_KEYS = ("betas", "etas", "step_sizes", "eps", "ns_coefficients")
SKIP_GROUP_KEYS = {"foreach", "fused", "capturable", "differentiable"}


def problem() -> dict[str, Any]:
    """Fixed data and initial parameters (also stored in the reference file)."""
    rng = np.random.default_rng(2024)
    return {
        "x": rng.standard_normal((8, 2)),
        "y": rng.standard_normal((8, 2)),
        "params": [rng.standard_normal((2, 3)), rng.standard_normal(3) * 0.5,
                   rng.standard_normal((3, 2)), rng.standard_normal(2) * 0.5],
    }


def loss_fn(params: list[torch.Tensor], x: torch.Tensor, y: torch.Tensor, l2: float = 0.0) -> torch.Tensor:
    w1, b1, w2, b2 = params
    out = torch.tanh(x @ w1 + b1) @ w2 + b2
    loss = ((out - y) ** 2).mean()
    if l2:
        loss = loss + l2 * sum((p * p).sum() for p in params)
    return loss


def _case(
    name: str, cls: str, kwargs: dict[str, Any], groups: list[dict[str, Any]] | None = None, l2: float = 0.0
) -> dict[str, Any]:
    if groups is None:
        groups = [{"params": [0, 1], "lr": kwargs["lr"]}, {"params": [2, 3], "lr": kwargs["lr"] * 0.5}]
    return {"name": name, "cls": cls, "kwargs": kwargs, "groups": groups, "l2": l2}


def _muon_groups(lr: float) -> list[dict[str, Any]]:
    return [{"params": [0], "lr": lr}, {"params": [2], "lr": lr * 0.5}]


def _lbfgs_groups() -> list[dict[str, Any]]:
    return [{"params": [0, 1, 2, 3]}]


def cases() -> dict[str, list[dict[str, Any]]]:
    """Option combinations per optimizer file."""
    return {
        "sgd": [
            _case("plain", "SGD", {"lr": 0.1}),
            _case("momentum", "SGD", {"lr": 0.05, "momentum": 0.9}),
            _case("dampening_wd", "SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.01}),
            _case("nesterov_wd", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
            _case("maximize", "SGD", {"lr": 0.02, "momentum": 0.5, "maximize": True}),
        ],
        "adam": [
            _case("default", "Adam", {"lr": 0.01}),
            _case("amsgrad", "Adam", {"lr": 0.02, "amsgrad": True, "betas": (0.8, 0.99)}),
            _case("weight_decay", "Adam", {"lr": 0.01, "weight_decay": 0.1, "eps": 1e-6}),
            _case("amsgrad_wd_maximize", "Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.05,
                                                  "maximize": True}),
            _case("decoupled", "Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
        ],
        "adamw": [
            _case("default", "AdamW", {"lr": 0.01}),
            _case("amsgrad_wd", "AdamW", {"lr": 0.02, "amsgrad": True, "weight_decay": 0.1}),
            _case("maximize", "AdamW", {"lr": 0.01, "maximize": True, "betas": (0.85, 0.995)}),
        ],
        "rmsprop": [
            _case("default", "RMSprop", {"lr": 0.01}),
            _case("centered", "RMSprop", {"lr": 0.01, "centered": True, "alpha": 0.9}),
            _case("momentum", "RMSprop", {"lr": 0.005, "momentum": 0.9}),
            _case("centered_momentum_wd", "RMSprop", {"lr": 0.005, "centered": True, "momentum": 0.8,
                                                      "weight_decay": 0.05, "eps": 1e-6}),
            _case("maximize", "RMSprop", {"lr": 0.005, "maximize": True}),
        ],
        "adagrad": [
            _case("default", "Adagrad", {"lr": 0.1}),
            _case("lr_decay_initial_acc", "Adagrad", {"lr": 0.2, "lr_decay": 0.05, "initial_accumulator_value": 0.1}),
            _case("wd_maximize_eps", "Adagrad", {"lr": 0.05, "weight_decay": 0.1, "maximize": True, "eps": 1e-6}),
        ],
        "adadelta": [
            _case("default", "Adadelta", {"lr": 1.0}),
            _case("rho_wd", "Adadelta", {"lr": 2.0, "rho": 0.5, "weight_decay": 0.1, "eps": 1e-4}),
            _case("maximize", "Adadelta", {"lr": 1.0, "maximize": True}),
        ],
        "adamax": [
            _case("default", "Adamax", {"lr": 0.002}),
            _case("wd", "Adamax", {"lr": 0.02, "weight_decay": 0.1, "betas": (0.8, 0.99)}),
            _case("maximize", "Adamax", {"lr": 0.01, "maximize": True}),
        ],
        "nadam": [
            _case("default", "NAdam", {"lr": 0.002}),
            _case("weight_decay", "NAdam", {"lr": 0.01, "weight_decay": 0.1}),
            _case("decoupled", "NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
            _case("momentum_decay_maximize", "NAdam", {"lr": 0.01, "momentum_decay": 0.01, "maximize": True}),
        ],
        "radam": [
            _case("default", "RAdam", {"lr": 0.001}),
            _case("weight_decay", "RAdam", {"lr": 0.01, "weight_decay": 0.1, "betas": (0.9, 0.99)}),
            _case("decoupled", "RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True,
                                         "betas": (0.9, 0.99)}),
            _case("maximize", "RAdam", {"lr": 0.01, "maximize": True, "betas": (0.8, 0.9)}),
        ],
        "rprop": [
            _case("default", "Rprop", {"lr": 0.01}),
            _case("etas_step_sizes", "Rprop", {"lr": 0.05, "etas": (0.3, 1.5), "step_sizes": (1e-4, 0.1)}),
            _case("maximize", "Rprop", {"lr": 0.01, "maximize": True}),
        ],
        "asgd": [
            _case("default", "ASGD", {"lr": 0.01}),
            _case("averaging", "ASGD", {"lr": 0.05, "lambd": 1e-3, "alpha": 0.5, "t0": 10}),
            _case("wd_maximize", "ASGD", {"lr": 0.02, "weight_decay": 0.1, "maximize": True, "t0": 5}),
        ],
        "lbfgs": [  # with a small L2 term: L-BFGS on the bare net is chaotic (PyTorch differs from itself at 1e-4
            # after 30 steps when the loss is summed in another order); these settings are stable to 1e-11
            _case("no_line_search", "LBFGS", {"lr": 0.3, "max_iter": 2, "history_size": 5}, _lbfgs_groups(), l2=0.01),
            _case("strong_wolfe", "LBFGS", {"lr": 0.5, "max_iter": 2, "history_size": 10,
                                            "line_search_fn": "strong_wolfe"}, _lbfgs_groups(), l2=0.01),
            _case("strong_wolfe_converges", "LBFGS", {"lr": 1.0, "max_iter": 3, "history_size": 4,
                                                      "line_search_fn": "strong_wolfe"}, _lbfgs_groups(), l2=0.05),
        ],
        "adafactor": [
            _case("default", "Adafactor", {"lr": 0.01}),
            _case("wd_d_decay", "Adafactor", {"lr": 0.05, "weight_decay": 0.1, "d": 2.0, "beta2_decay": -0.5}),
            _case("eps_maximize", "Adafactor", {"lr": 0.02, "eps": (1e-30, 1e-2), "maximize": True}),
        ],
        "muon": [
            _case("nesterov", "Muon", {"lr": 0.02}, _muon_groups(0.02)),
            _case("no_nesterov", "Muon", {"lr": 0.02, "nesterov": False, "momentum": 0.9, "weight_decay": 0.01},
                  _muon_groups(0.02)),
            _case("match_rms_adamw", "Muon", {"lr": 0.02, "adjust_lr_fn": "match_rms_adamw", "weight_decay": 0.0},
                  _muon_groups(0.02)),
            _case("ns_custom", "Muon", {"lr": 0.01, "ns_steps": 3, "ns_coefficients": (2.0, -1.5, 0.5),
                                        "eps": 1e-5, "adjust_lr_fn": "original"}, _muon_groups(0.01)),
        ],
    }


def _torch_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if k in TUPLE_KEYS and isinstance(v, list | tuple) else v for k, v in kwargs.items()}


def run_case(spec: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    params = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in data["params"]]
    x, y = torch.tensor(data["x"]), torch.tensor(data["y"])
    groups = [{**{k: v for k, v in g.items() if k != "params"}, "params": [params[i] for i in g["params"]]}
              for g in spec["groups"]]
    opt = getattr(torch.optim, spec["cls"])(groups, **_torch_kwargs(spec["kwargs"]))

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = loss_fn(params, x, y, spec["l2"])
        loss.backward()
        return loss

    losses, trajectory = [], []
    for _ in range(STEPS):
        losses.append(float(opt.step(closure).detach()))
        trajectory.append(np.concatenate([p.detach().numpy().reshape(-1) for p in params]))
    sd = opt.state_dict()
    group_state = [{k: v for k, v in g.items() if k not in SKIP_GROUP_KEYS} for g in sd["param_groups"]]
    return {**spec, "losses": losses, "trajectory": np.stack(trajectory),
            "state": {str(k): v for k, v in sd["state"].items()}, "param_groups": group_state}


def clip_cases() -> dict[str, Any]:
    """torch.nn.utils.clip_grad_norm_ / clip_grad_value_ on fixed gradients (float64)."""
    rng = np.random.default_rng(7)
    grads = [rng.standard_normal((3, 4)), rng.standard_normal(5) * 3, rng.standard_normal((2, 2)) * 0.1]
    out = []
    for norm_type in (2.0, 1.0, float("inf"), 0.5, 3.0):
        for max_norm in (0.5, 100.0):
            params = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
            for p, g in zip(params, grads, strict=True):
                p.grad = torch.tensor(g)
            total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
            out.append({"kind": "norm", "norm_type": "inf" if norm_type == float("inf") else norm_type,
                        "max_norm": max_norm, "total_norm": float(total), "grads": [p.grad for p in params]})
    for clip_value in (0.3, 1.0):
        params = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
        for p, g in zip(params, grads, strict=True):
            p.grad = torch.tensor(g)
        torch.nn.utils.clip_grad_value_(params, clip_value)
        out.append({"kind": "value", "clip_value": clip_value, "grads": [p.grad for p in params]})
    return {"grads": grads, "cases": out}


def main(out_dir: Path) -> None:
    torch.set_default_dtype(torch.float64)  # scalar state (step, mu_product, eta) in float64, as in the tests
    try:
        data = problem()
        for name, specs in cases().items():
            write_json(out_dir / f"{name}.json", {"problem": data, "cases": [run_case(s, data) for s in specs]})
        write_json(out_dir / "clip_grad.json", clip_cases())
    finally:
        torch.set_default_dtype(torch.float32)
