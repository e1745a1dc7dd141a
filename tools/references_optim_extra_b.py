"""pytorch_optimizer 4.1 reference trajectories for Lamb, AdEMAMix, MARS, SOAP, AdaBelief, Adan and Lookahead.

Run by tools/make_references.py (area `optim_extra_b`) in a scratch venv with
`pip install torch==2.13.0 numpy 'pytorch_optimizer==4.1.*'`; writes tests/references/optim/<name>.json.
The problem is references_optim's tanh network, 40 steps, two parameter groups differing in lr. SOAP's
merge_dims cases store W1 as a 4-D (2, 1, 1, 3) tensor (the loss flattens it back to a matrix).
Lookahead specs name their inner optimizer (`inner`: a torch.optim or pytorch_optimizer class, or
another Lookahead).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pytorch_optimizer
import torch
from reference_io import write_json
from references_optim import SKIP_GROUP_KEYS, _case, _torch_kwargs, problem

STEPS = 40


def loss_fn(params: list[torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    w1, b1, w2, b2 = params
    out = torch.tanh(x @ w1.reshape(w1.shape[0], -1) + b1) @ w2 + b2
    return ((out - y) ** 2).mean()


def _4d(spec: dict[str, Any], merged: bool = False) -> dict[str, Any]:
    """W1 as a 4-D tensor; `merged`: W1 alone in the first group (the reference cannot merge small 1-D biases)."""
    if merged:
        lr = spec["kwargs"]["lr"]
        spec["groups"] = [{"params": [0], "lr": lr}, {"params": [1, 2, 3], "lr": lr * 0.5, "merge_dims": False}]
    return {**spec, "w1_shape": [2, 1, 1, 3]}


def _lookahead(name: str, inner: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return {**_case(name, "Lookahead", kwargs, groups=inner["groups"]), "inner": inner}


def cases() -> dict[str, list[dict[str, Any]]]:
    return {
        "lamb": [
            _case("default", "Lamb", {"lr": 0.01}),
            _case("coupled_wd", "Lamb", {"lr": 0.01, "weight_decay": 0.1, "weight_decouple": False}),
            _case("fixed_decay", "Lamb", {"lr": 0.01, "weight_decay": 0.05, "fixed_decay": True, "eps": 1e-8}),
            _case("rectify", "Lamb", {"lr": 0.02, "rectify": True, "betas": (0.9, 0.99)}),
            _case("rectify_sgd", "Lamb", {"lr": 0.02, "rectify": True, "degenerated_to_sgd": True,
                                          "n_sma_threshold": 6, "betas": (0.9, 0.99)}),
            _case("pre_norm", "Lamb", {"lr": 0.01, "pre_norm": True, "max_grad_norm": 0.3}),
            _case("adam_no_averaging", "Lamb", {"lr": 0.005, "adam": True, "grad_averaging": False}),
            _case("adanorm_debias_maximize", "Lamb", {"lr": 0.01, "adanorm": True, "adanorm_r": 0.9,
                                                      "adam_debias": True, "maximize": True}),
        ],
        "ademamix": [
            _case("default", "AdEMAMix", {"lr": 0.01}),
            _case("warmup_coupled_wd", "AdEMAMix", {"lr": 0.01, "t_alpha_beta3": 20.0, "weight_decay": 0.1,
                                                    "betas": (0.9, 0.99, 0.999)}),
            _case("decoupled_fixed", "AdEMAMix", {"lr": 0.01, "weight_decay": 0.05, "weight_decouple": True,
                                                  "fixed_decay": True, "alpha": 2.0}),
            _case("cautious", "AdEMAMix", {"lr": 0.01, "cautious": True}),
            _case("stable_adamw_maximize", "AdEMAMix", {"lr": 0.01, "stable_adamw": True, "maximize": True,
                                                        "eps": 1e-6}),
        ],
        "mars": [
            _case("default", "MARS", {"lr": 0.01}),
            _case("optimize_1d_ams", "MARS", {"lr": 0.01, "optimize_1d": True, "ams_bound": True, "gamma": 0.1}),
            _case("lion_cautious", "MARS", {"lr": 0.002, "mars_type": "lion", "cautious": True,
                                            "weight_decay": 0.1}),
            _case("shampoo", "MARS", {"lr": 0.005, "mars_type": "shampoo", "lr_1d": 0.01,
                                      "betas_1d": (0.8, 0.99)}),
            _case("coupled_wd_maximize", "MARS", {"lr": 0.01, "weight_decay": 0.1, "weight_decouple": False,
                                                  "weight_decay_1d": 0.05, "maximize": True}),
            _case("fixed_decay_cautious", "MARS", {"lr": 0.01, "weight_decay": 0.05, "fixed_decay": True,
                                                   "cautious": True, "lr_1d": 0.002}),
        ],
        "soap": [
            _case("default", "SOAP", {"lr": 0.01}),
            _case("frequent_normalized", "SOAP", {"lr": 0.01, "precondition_frequency": 3,
                                                  "normalize_gradient": True, "betas": (0.9, 0.99)}),
            _case("precondition_1d_small", "SOAP", {"lr": 0.01, "precondition_1d": True, "max_precondition_dim": 2,
                                                    "precondition_frequency": 4}),
            _case("no_bias_correction", "SOAP", {"lr": 0.01, "correct_bias": False, "shampoo_beta": 0.9,
                                                 "weight_decay": 0.0, "maximize": True, "eps": 1e-6}),
            _4d(_case("merge_dims", "SOAP", {"lr": 0.01, "merge_dims": True, "max_precondition_dim": 3,
                                             "precondition_frequency": 5, "eps": 1e-6}), merged=True),
            _4d(_case("merge_dims_channels_last", "SOAP", {"lr": 0.01, "merge_dims": True,
                                                           "max_precondition_dim": 3, "precondition_frequency": 5,
                                                           "data_format": "channels_last", "eps": 1e-6}),
                merged=True),
            _4d(_case("unmerged_4d", "SOAP", {"lr": 0.01, "precondition_frequency": 5, "eps": 1e-6})),
        ],
        "adabelief": [
            _case("default", "AdaBelief", {"lr": 0.01}),
            _case("rectify", "AdaBelief", {"lr": 0.02, "rectify": True, "betas": (0.9, 0.99)}),
            _case("rectify_no_sgd", "AdaBelief", {"lr": 0.02, "rectify": True, "degenerated_to_sgd": False,
                                                  "betas": (0.9, 0.99)}),
            _case("ams_bound_coupled_wd", "AdaBelief", {"lr": 0.01, "ams_bound": True, "weight_decay": 0.1,
                                                        "weight_decouple": False}),
            _case("fixed_decay", "AdaBelief", {"lr": 0.01, "weight_decay": 0.05, "fixed_decay": True}),
            _case("adanorm_debias_maximize", "AdaBelief", {"lr": 0.01, "adanorm": True, "adam_debias": True,
                                                           "maximize": True, "eps": 1e-12}),
        ],
        "adan": [
            _case("default", "Adan", {"lr": 0.01}),
            _case("clipped_proximal_wd", "Adan", {"lr": 0.01, "max_grad_norm": 0.5, "weight_decay": 0.1}),
            _case("decoupled_wd", "Adan", {"lr": 0.01, "weight_decay": 0.1, "weight_decouple": True,
                                           "betas": (0.9, 0.9, 0.99)}),
            _case("adanorm_gc_maximize", "Adan", {"lr": 0.01, "adanorm": True, "use_gc": True, "maximize": True}),
        ],
        "lookahead": [
            _lookahead("adam", _case("inner", "Adam", {"lr": 0.01}), k=5, alpha=0.5),
            _lookahead("sgd_pullback", _case("inner", "SGD", {"lr": 0.05, "momentum": 0.9}), k=3, alpha=0.6,
                       pullback_momentum="pullback"),
            _lookahead("sgd_reset", _case("inner", "SGD", {"lr": 0.05, "momentum": 0.9}), k=4, alpha=0.4,
                       pullback_momentum="reset"),
            _lookahead("lamb", _case("inner", "Lamb", {"lr": 0.01, "weight_decay": 0.01}), k=6, alpha=0.7),
            _lookahead("nested", _lookahead("inner", _case("inner", "Adam", {"lr": 0.01}), k=2, alpha=0.5),
                       k=3, alpha=0.5),
        ],
    }


@contextmanager
def numpy_lapack() -> Iterator[None]:
    """torch.linalg.eigh and qr answered by numpy.linalg (its LAPACK, not torch's MKL), as trainer computes them.

    SOAP's QR runs in float32: two LAPACK builds round it differently (~1e-7), and SOAP's trajectory
    amplifies that, so SOAP cases are also recorded with numpy's LAPACK to check the rest of the
    algorithm tightly.
    """
    eigh, qr = torch.linalg.eigh, torch.linalg.qr

    def np_eigh(a: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        w, v = np.linalg.eigh(a.numpy())
        return torch.from_numpy(w), torch.from_numpy(v)

    def np_qr(a: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        q, r = np.linalg.qr(a.numpy())
        return torch.from_numpy(q), torch.from_numpy(r)

    torch.linalg.eigh, torch.linalg.qr = np_eigh, np_qr
    try:
        yield
    finally:
        torch.linalg.eigh, torch.linalg.qr = eigh, qr


def build(spec: dict[str, Any], params: list[torch.Tensor]) -> Any:
    if spec["cls"] == "Lookahead":
        return pytorch_optimizer.Lookahead(build(spec["inner"], params), **spec["kwargs"])
    groups = [{**{k: v for k, v in g.items() if k != "params"}, "params": [params[i] for i in g["params"]]}
              for g in spec["groups"]]
    cls = getattr(torch.optim, spec["cls"], None) or getattr(pytorch_optimizer, spec["cls"])
    return cls(groups, **_torch_kwargs(spec["kwargs"]))


def _groups(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in g.items() if k not in SKIP_GROUP_KEYS} for g in groups]


def _state(sd: dict[str, Any]) -> dict[str, Any]:
    if "lookahead_state" in sd:
        return {"lookahead_state": {f"{k[0]},{k[1]}": v for k, v in sd["lookahead_state"].items()},
                "base_optimizer": _state(sd["base_optimizer"])}
    return {"state": {str(k): v for k, v in sd["state"].items()}, "param_groups": _groups(sd["param_groups"])}


def run_case(spec: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    shapes = [spec.get("w1_shape"), None, None, None]
    params = [torch.tensor(p if s is None else p.reshape(s), dtype=torch.float64, requires_grad=True)
              for p, s in zip(data["params"], shapes, strict=True)]
    x, y = torch.tensor(data["x"]), torch.tensor(data["y"])
    opt = build(spec, params)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = loss_fn(params, x, y)
        loss.backward()
        return loss

    losses, trajectory = [], []
    for _ in range(STEPS):
        losses.append(float(opt.step(closure).detach()))
        trajectory.append(np.concatenate([p.detach().numpy().reshape(-1) for p in params]))
    return {**spec, "losses": losses, "trajectory": np.stack(trajectory), "state_dict": _state(opt.state_dict())}


def run_soap_case(spec: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The package as it is, plus (`numpy_lapack`) the same run with numpy's eigh and QR."""
    with numpy_lapack():
        same_lapack = run_case(spec, data)
    return {**run_case(spec, data), "numpy_lapack": {k: same_lapack[k] for k in ("losses", "trajectory", "state_dict")}}


def main(out_dir: Path) -> None:
    out = out_dir.parent / "optim"  # beside the torch.optim references
    out.mkdir(parents=True, exist_ok=True)
    torch.set_default_dtype(torch.float64)
    try:
        data = problem()
        for name, specs in cases().items():
            write_json(out / f"{name}.json", {"reference": f"pytorch_optimizer {version('pytorch_optimizer')}",
                                              "problem": data,
                                              "cases": [(run_soap_case if name == "soap" else run_case)(s, data)
                                                        for s in specs]})
    finally:
        torch.set_default_dtype(torch.float32)
    if out_dir.is_dir() and not any(out_dir.iterdir()):
        out_dir.rmdir()  # make_references made it; these files live in optim/
