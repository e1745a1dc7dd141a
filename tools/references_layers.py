"""PyTorch reference values for the extra layers and losses: RMSNorm, InstanceNorm1d/2d/3d, LocalResponseNorm,
BatchNorm3d, the padding modules, Bilinear, and the multi-class/multi-label/triplet margin losses.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py layers
Writes tests/references/nn/layers.json: module cases (random weights copied in through the state dict, then
outputs, input and parameter gradients and state after each train/eval step, repr, state_dict keys), default
initialisations after `torch.manual_seed(k)` (float32, to compare bit for bit), functional loss cases for every
reduction, loss modules, reprs, and the exception class, message and warnings of bad calls.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn as tnn
import torch.nn.functional as F
from reference_io import outcome, write_json

AREA = "nn"
REDUCTIONS = ("none", "mean", "sum")


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _tensor(value: Any, requires_grad: bool = False) -> Any:
    if isinstance(value, np.ndarray):
        return torch.tensor(value, requires_grad=requires_grad and value.dtype.kind == "f")
    return value


DISTANCES = {"cosine": lambda a, b: 1.0 - F.cosine_similarity(a, b), "l1": lambda a, b: (a - b).abs().sum(-1)}


def _options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """kwargs for torch: arrays as tensors, a named `distance_function` as the function."""
    out = {k: _tensor(v) for k, v in kwargs.items()}
    if isinstance(out.get("distance_function"), str):
        out["distance_function"] = DISTANCES[out["distance_function"]]
    return out


# ----- modules -----------------------------------------------------------------------------------------------


def _module_case(name: str, ctor: str, kwargs: dict[str, Any], steps: list[list[np.ndarray]],
                 modes: list[bool] | None = None, seed: int = 0) -> dict[str, Any]:
    """The module in float64 with uniform(-1, 1) parameters; per step (a list of inputs): train/eval mode,
    output, upstream gradient, input and parameter gradients, and the state afterwards."""
    torch.manual_seed(seed)
    module = getattr(tnn, ctor)(**kwargs).double()
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.tensor(_rng(seed + 7).uniform(-1.0, 1.0, tuple(p.shape))))
    state = {k: v.detach().clone().numpy() for k, v in module.state_dict().items()}
    records = []
    for i, inputs in enumerate(steps):
        mode = True if modes is None else modes[i]
        module.train(mode)
        module.zero_grad(set_to_none=True)
        tensors = [_tensor(x, True) for x in inputs]
        out = module(*tensors)
        gout = _rng(seed + 100 + i).standard_normal(tuple(out.shape))
        out.backward(torch.tensor(gout))
        records.append({
            "train": mode, "inputs": inputs, "out": out, "gout": gout,
            "input_grads": [t.grad for t in tensors], "grad_fn": type(out.grad_fn).__name__,
            "param_grads": {k: p.grad for k, p in module.named_parameters() if p.grad is not None},
            "state_after": {k: v.detach().clone() for k, v in module.state_dict().items()},
        })
    return {"name": name, "ctor": ctor, "kwargs": kwargs, "state": state, "keys": list(state), "repr": repr(module),
            "steps": records}


def _normalization_cases(r: np.random.Generator) -> list[dict[str, Any]]:
    n = r.standard_normal
    return [
        _module_case("rmsnorm", "RMSNorm", {"normalized_shape": 4}, [[n((3, 4)) * 2 + 1]]),
        _module_case("rmsnorm_2d_eps", "RMSNorm", {"normalized_shape": [2, 3], "eps": 1e-3}, [[n((4, 2, 3))]]),
        _module_case("rmsnorm_plain", "RMSNorm", {"normalized_shape": 3, "elementwise_affine": False},
                     [[n((2, 5, 3))]]),
        _module_case("rmsnorm_tiny", "RMSNorm", {"normalized_shape": 2}, [[n((3, 2)) * 1e-5]]),
        _module_case("instancenorm1d", "InstanceNorm1d", {"num_features": 3}, [[n((2, 3, 5)) * 2 + 1]]),
        _module_case("instancenorm1d_unbatched", "InstanceNorm1d", {"num_features": 3, "affine": True},
                     [[n((3, 5))]]),
        _module_case("instancenorm1d_tracked", "InstanceNorm1d",
                     {"num_features": 3, "affine": True, "track_running_stats": True, "momentum": 0.2},
                     [[n((2, 3, 4)) * 2 + 1] for _ in range(3)], modes=[True, True, False]),
        _module_case("instancenorm1d_tracked_unbatched", "InstanceNorm1d",
                     {"num_features": 2, "track_running_stats": True}, [[n((2, 6)) + 3] for _ in range(2)],
                     modes=[True, False]),
        _module_case("instancenorm1d_cumulative", "InstanceNorm1d",
                     {"num_features": 2, "track_running_stats": True, "momentum": None},
                     [[n((3, 2, 4)) + 1] for _ in range(2)], modes=[True, False]),
        _module_case("instancenorm2d", "InstanceNorm2d", {"num_features": 2, "affine": True, "eps": 1e-3},
                     [[n((2, 2, 3, 4))]]),
        _module_case("instancenorm2d_nobias", "InstanceNorm2d", {"num_features": 2, "affine": True, "bias": False},
                     [[n((2, 2, 3, 3))]]),
        _module_case("instancenorm2d_tracked", "InstanceNorm2d", {"num_features": 2, "track_running_stats": True},
                     [[n((2, 2, 3, 3)) * 3] for _ in range(3)], modes=[True, True, False]),
        _module_case("instancenorm2d_unbatched", "InstanceNorm2d", {"num_features": 2}, [[n((2, 3, 4))]]),
        _module_case("instancenorm3d", "InstanceNorm3d",
                     {"num_features": 2, "affine": True, "track_running_stats": True},
                     [[n((2, 2, 2, 3, 2)) + 1] for _ in range(2)], modes=[True, False]),
        _module_case("localresponsenorm", "LocalResponseNorm", {"size": 2}, [[n((2, 5, 4)) * 3]]),
        _module_case("localresponsenorm_4d", "LocalResponseNorm", {"size": 3, "alpha": 0.1, "beta": 0.5, "k": 2.0},
                     [[n((2, 6, 3, 4))]]),
        _module_case("localresponsenorm_5d", "LocalResponseNorm", {"size": 4, "alpha": 1.0},
                     [[n((1, 5, 2, 2, 3))]]),
        _module_case("localresponsenorm_wide", "LocalResponseNorm", {"size": 7, "alpha": 0.5, "beta": 1.5},
                     [[n((2, 3, 4))]]),
        _module_case("batchnorm3d", "BatchNorm3d", {"num_features": 2, "momentum": 0.3},
                     [[n((3, 2, 2, 3, 2)) * 2 + 1] for _ in range(3)], modes=[True, True, False]),
        _module_case("batchnorm3d_plain", "BatchNorm3d", {"num_features": 2, "affine": False},
                     [[n((2, 2, 2, 2, 2))]]),
    ]


PADDINGS = [
    ("ZeroPad1d", {"padding": 2}, (2, 3, 4)), ("ZeroPad1d", {"padding": [1, -2]}, (3, 5)),
    ("ZeroPad2d", {"padding": [1, 1, 2, 0]}, (2, 2, 3, 3)), ("ZeroPad2d", {"padding": 1}, (2, 3, 4)),
    ("ZeroPad3d", {"padding": [1, 0, 0, 2, 1, -1]}, (1, 2, 2, 3, 3)),
    ("ConstantPad1d", {"padding": [2, 2], "value": 3.5}, (2, 3, 4)),
    ("ConstantPad2d", {"padding": [0, 1, 2, 3], "value": -1.0}, (2, 3, 3)),
    ("ConstantPad3d", {"padding": 1, "value": 2}, (1, 2, 2, 2)),
    ("ReflectionPad1d", {"padding": 3}, (2, 3, 5)), ("ReflectionPad1d", {"padding": [1, 0]}, (3, 4)),
    ("ReflectionPad2d", {"padding": [1, 2, 2, 0]}, (2, 2, 3, 4)), ("ReflectionPad2d", {"padding": 1}, (2, 3, 3)),
    ("ReflectionPad3d", {"padding": [1, 0, 1, 1, 0, 1]}, (1, 2, 2, 3, 3)),
    ("ReplicationPad1d", {"padding": [3, 1]}, (2, 3, 2)), ("ReplicationPad2d", {"padding": 2}, (1, 2, 2, 3)),
    ("ReplicationPad2d", {"padding": [1, 0, 0, 2]}, (2, 3, 3)),
    ("ReplicationPad3d", {"padding": 1}, (1, 2, 2, 2, 3)), ("ReplicationPad3d", {"padding": 1}, (2, 2, 2, 2)),
    ("CircularPad1d", {"padding": [2, 1]}, (2, 3, 4)), ("CircularPad1d", {"padding": 1}, (3, 4)),
    ("CircularPad2d", {"padding": [1, 1, 2, 0]}, (2, 2, 3, 3)),
    ("CircularPad3d", {"padding": [1, 0, 1, 2, 0, 1]}, (1, 2, 2, 3, 3)),
]


def _padding_cases(r: np.random.Generator) -> list[dict[str, Any]]:
    return [_module_case(f"{ctor.lower()}_{i}", ctor, kwargs, [[r.standard_normal(shape)]])
            for i, (ctor, kwargs, shape) in enumerate(PADDINGS)]


def _bilinear_cases(r: np.random.Generator) -> list[dict[str, Any]]:
    n = r.standard_normal
    return [
        _module_case("bilinear", "Bilinear", {"in1_features": 3, "in2_features": 4, "out_features": 5},
                     [[n((6, 3)), n((6, 4))]]),
        _module_case("bilinear_nobias", "Bilinear",
                     {"in1_features": 2, "in2_features": 2, "out_features": 3, "bias": False},
                     [[n((2, 3, 2)), n((2, 3, 2))]]),
        _module_case("bilinear_1d", "Bilinear", {"in1_features": 3, "in2_features": 2, "out_features": 2},
                     [[n(3), n(2)]]),
    ]


def _init_cases() -> list[dict[str, Any]]:
    """Default initialisations in float32 right after torch.manual_seed(seed) (several modules in a row)."""
    cases = []
    for seed, modules in ((0, [("Bilinear", {"in1_features": 3, "in2_features": 4, "out_features": 5})]),
                          (1, [("Bilinear", {"in1_features": 2, "in2_features": 5, "out_features": 3, "bias": False}),
                               ("Bilinear", {"in1_features": 4, "in2_features": 1, "out_features": 2})]),
                          (2, [("RMSNorm", {"normalized_shape": [2, 3]}),
                               ("InstanceNorm2d", {"num_features": 3, "affine": True, "track_running_stats": True}),
                               ("BatchNorm3d", {"num_features": 2}), ("Bilinear",
                                                                      {"in1_features": 1, "in2_features": 2,
                                                                       "out_features": 2})])):
        torch.manual_seed(seed)
        built = [(ctor, kwargs, getattr(tnn, ctor)(**kwargs)) for ctor, kwargs in modules]
        cases.append({"seed": seed, "modules": [
            {"ctor": ctor, "kwargs": kwargs, "state": {k: v.numpy() for k, v in m.state_dict().items()}}
            for ctor, kwargs, m in built]})
    return cases


# ----- losses ------------------------------------------------------------------------------------------------


def _loss_run(name: str, fn: str, inputs: dict[str, Any], kwargs: dict[str, Any], seed: int) -> dict[str, Any]:
    tensors = {k: _tensor(v, True) for k, v in inputs.items()}
    out = getattr(F, fn)(*tensors.values(), **_options(kwargs))
    gout = _rng(seed + 1000).standard_normal(tuple(out.shape))
    out.backward(torch.tensor(gout))
    return {"name": name, "fn": fn, "inputs": inputs, "order": list(inputs), "kwargs": kwargs, "out": out,
            "gout": gout, "grad_fn": type(out.grad_fn).__name__,
            "grads": {k: t.grad for k, t in tensors.items() if isinstance(t, torch.Tensor) and t.grad is not None}}


def _loss_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []

    def add(name: str, fn: str, inputs: dict[str, Any], **kwargs: Any) -> None:
        for reduction in REDUCTIONS:
            cases.append(_loss_run(f"{name}/{reduction}", fn, inputs, {**kwargs, "reduction": reduction},
                                   len(cases)))

    r = _rng(5)
    scores = r.standard_normal((5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    add("multi_margin", "multi_margin_loss", {"input": scores, "target": labels})
    add("multi_margin_p2", "multi_margin_loss", {"input": scores, "target": labels}, p=2, margin=0.7)
    add("multi_margin_weight", "multi_margin_loss", {"input": scores, "target": labels},
        weight=r.uniform(0.5, 2.0, 4))
    add("multi_margin_1d", "multi_margin_loss", {"input": scores[1], "target": np.array(2)}, p=2)
    add("multi_margin_1d_t1", "multi_margin_loss", {"input": scores[2], "target": np.array([0])})
    multi = np.array([[3, 0, -1, 1], [1, 2, 3, -1], [0, -1, 2, 2], [-1, 0, 1, 2], [2, 2, 1, -1]])
    add("multilabel_margin", "multilabel_margin_loss", {"input": scores, "target": multi})
    add("multilabel_margin_1d", "multilabel_margin_loss", {"input": scores[0], "target": np.array([1, 3, -1, 0])})
    add("multilabel_margin_all", "multilabel_margin_loss",
        {"input": scores[:2], "target": np.array([[0, 1, 2, 3], [2, 1, 0, 3]])})
    hot = r.integers(0, 2, (5, 4)).astype(np.float64)
    add("multilabel_soft_margin", "multilabel_soft_margin_loss", {"input": scores, "target": hot})
    add("multilabel_soft_margin_soft", "multilabel_soft_margin_loss",
        {"input": scores * 3, "target": r.uniform(0, 1, (5, 4))}, weight=r.uniform(0.5, 2.0, 4))
    add("multilabel_soft_margin_1d", "multilabel_soft_margin_loss", {"input": scores[0], "target": hot[0]})
    a, p, ng = (r.standard_normal((6, 3)) for _ in range(3))
    triple = {"anchor": a, "positive": p, "negative": ng}
    add("triplet", "triplet_margin_loss", triple)
    add("triplet_p1_swap", "triplet_margin_loss", triple, p=1.0, margin=2.0, swap=True)
    add("triplet_p3_eps", "triplet_margin_loss", triple, p=3.0, eps=1e-3, margin=0.5)
    add("triplet_1d", "triplet_margin_loss", {"anchor": a[0], "positive": p[0], "negative": ng[0]}, margin=3.0)
    add("triplet_distance", "triplet_margin_with_distance_loss", triple)
    add("triplet_distance_swap", "triplet_margin_with_distance_loss", triple, swap=True, margin=1.5)
    add("triplet_distance_cosine", "triplet_margin_with_distance_loss", triple, distance_function="cosine",
        margin=0.8)
    add("triplet_distance_l1_swap", "triplet_margin_with_distance_loss", triple, distance_function="l1", swap=True)
    return cases


LOSS_MODULES = [
    ("MultiMarginLoss", {}, "scores"), ("MultiMarginLoss", {"p": 2, "margin": 0.5, "weight": "class_weight"}, "scores"),
    ("MultiLabelMarginLoss", {"reduction": "sum"}, "multi"),
    ("MultiLabelSoftMarginLoss", {"weight": "class_weight_4"}, "hot"), ("MultiLabelSoftMarginLoss", {}, "hot"),
    ("TripletMarginLoss", {"margin": 0.5, "p": 1.0, "swap": True}, "triple"),
    ("TripletMarginLoss", {"reduction": "none"}, "triple"),
    ("TripletMarginWithDistanceLoss", {}, "triple"),
    ("TripletMarginWithDistanceLoss", {"margin": 2.0, "swap": True, "reduction": "sum"}, "triple"),
]


def _loss_module_cases() -> dict[str, Any]:
    r = _rng(6)
    data = {
        "scores": {"input": r.standard_normal((4, 3)), "target": np.array([2, 0, 1, 2])},
        "multi": {"input": r.standard_normal((3, 4)), "target": np.array([[1, -1, 0, 0], [3, 2, 1, -1], [0, 1, 2, 3]])},
        "hot": {"input": r.standard_normal((3, 4)), "target": r.integers(0, 2, (3, 4)).astype(np.float64)},
        "triple": {k: r.standard_normal((4, 5)) for k in ("anchor", "positive", "negative")},
    }
    extra = {"class_weight": r.uniform(0.5, 2.0, 3), "class_weight_4": r.uniform(0.5, 2.0, 4)}
    cases = []
    for i, (ctor, kwargs, inputs) in enumerate(LOSS_MODULES):
        options = {k: (torch.tensor(extra[v]) if k == "weight" else v) for k, v in kwargs.items()}
        module = getattr(tnn, ctor)(**options)
        tensors = {k: _tensor(v, True) for k, v in data[inputs].items()}
        out = module(*tensors.values())
        gout = _rng(200 + i).standard_normal(tuple(out.shape))
        out.backward(torch.tensor(gout))
        cases.append({"name": f"{ctor}_{i}", "ctor": ctor, "kwargs": kwargs, "weights": extra, "inputs": data[inputs],
                      "order": list(data[inputs]), "out": out, "gout": gout, "repr": repr(module),
                      "keys": list(module.state_dict()),
                      "grads": {k: t.grad for k, t in tensors.items() if t.grad is not None}})
    return {"cases": cases}


# ----- reprs and errors --------------------------------------------------------------------------------------

REPRS = [
    ("ZeroPad2d", {"padding": [1, 2, 3, 4]}), ("ZeroPad1d", {"padding": 0}), ("ZeroPad3d", {"padding": 2}),
    ("ConstantPad1d", {"padding": 2, "value": 3.5}), ("ConstantPad2d", {"padding": [1, 2, 3, 4], "value": 0}),
    ("ConstantPad3d", {"padding": 1, "value": -1.25}), ("ReflectionPad2d", {"padding": 2}),
    ("ReplicationPad3d", {"padding": [1, 2, 3, 4, 5, 6]}), ("CircularPad2d", {"padding": 1}),
    ("RMSNorm", {"normalized_shape": [2, 3], "eps": 1e-3, "elementwise_affine": False}),
    ("InstanceNorm3d", {"num_features": 4, "momentum": None, "affine": True, "bias": False}),
    ("LocalResponseNorm", {"size": 3, "alpha": 0.5, "beta": 2, "k": 0}), ("BatchNorm3d", {"num_features": 5}),
    ("Bilinear", {"in1_features": 2, "in2_features": 3, "out_features": 4, "bias": False}),
    ("MultiMarginLoss", {"p": 2}), ("MultiLabelMarginLoss", {}), ("TripletMarginLoss", {"swap": True}),
]


def _arrays(args: list[Any]) -> list[Any]:
    return [_tensor(a) for a in args]


def _error_cases() -> list[dict[str, Any]]:
    """F calls ("F", fn, args, kwargs) and module calls ("nn", ctor, ctor kwargs, args) that fail or warn."""
    r = _rng(7)
    x3 = r.standard_normal((2, 3, 4))
    s = r.standard_normal((4, 5))
    t = np.array([0, 1, 4, 2])
    calls: list[tuple[str, str, Any, Any]] = [
        ("F", "rms_norm", [x3, [3]], {}),
        ("F", "rms_norm", [x3, [4], np.ones(3)], {}),
        ("F", "rms_norm", [np.array([[1, 2]]), [2]], {}),
        ("F", "instance_norm", [r.standard_normal((2, 3, 1))], {}),
        ("F", "instance_norm", [x3], {"use_input_stats": False}),
        ("F", "local_response_norm", [r.standard_normal((2, 3)), 2], {}),
        ("F", "local_response_norm", [np.zeros((0, 3, 4)), 2], {}),
        ("F", "bilinear", [r.standard_normal((2, 3)), r.standard_normal((2, 2, 4)), np.ones((5, 3, 4))], {}),
        ("F", "bilinear", [r.standard_normal((2, 3)), r.standard_normal((3, 4)), np.ones((5, 3, 4))], {}),
        ("F", "bilinear", [r.standard_normal((2, 3)), r.standard_normal((2, 4)), np.ones((5, 2, 4))], {}),
        ("F", "bilinear", [r.standard_normal((2, 3)), r.standard_normal((2, 4)), np.ones((5, 3, 3))], {}),
        ("F", "bilinear", [r.standard_normal((2, 3)), r.standard_normal((2, 4)), np.ones((5, 3, 4)), np.ones(4)], {}),
        ("F", "multi_margin_loss", [s, t], {"p": 3}),
        ("F", "multi_margin_loss", [s, t], {"weight": np.ones((5, 1))}),
        ("F", "multi_margin_loss", [s, t], {"weight": np.ones(4)}),
        ("F", "multi_margin_loss", [s.astype(np.float32), t], {"weight": np.ones(5)}),
        ("F", "multi_margin_loss", [s, t.astype(np.int32)], {}),
        ("F", "multi_margin_loss", [s, np.array([0, 1, 2])], {}),
        ("F", "multi_margin_loss", [s, np.array([0, 1, 2, 5])], {}),
        ("F", "multi_margin_loss", [s, np.array([0, 1, 2, -1])], {}),
        ("F", "multi_margin_loss", [s, t.astype(np.float64)], {}),
        ("F", "multi_margin_loss", [x3, np.array([0, 1])], {}),
        ("F", "multi_margin_loss", [s, t], {"reduction": "bad"}),
        ("F", "multilabel_margin_loss", [s, np.array([[0, 1, -1, 2]] * 4)], {}),
        ("F", "multilabel_margin_loss", [s, np.array([[0, 1, 5, 2, 3]] * 4)], {}),
        ("F", "multilabel_margin_loss", [s, np.array([[0, 1, -1, 2, 3]] * 4, dtype=np.float64)], {}),
        ("F", "multilabel_margin_loss", [s[0], np.array([[0, 1, -1, 2, 3]])], {}),
        ("F", "multilabel_soft_margin_loss", [s, np.ones((4, 5))], {"reduction": "bad"}),
        ("F", "triplet_margin_loss", [s, s[0], s], {}),
        ("F", "triplet_margin_loss", [s, s, s], {"reduction": "bad"}),
        ("F", "triplet_margin_with_distance_loss", [s, s[0], s], {}),
        ("F", "triplet_margin_with_distance_loss", [s, s, s], {"reduction": "bad"}),
        ("nn", "InstanceNorm1d", {"num_features": 3}, [r.standard_normal((2, 3, 4, 5))]),
        ("nn", "InstanceNorm2d", {"num_features": 3}, [x3]),
        ("nn", "InstanceNorm3d", {"num_features": 3}, [x3]),
        ("nn", "InstanceNorm1d", {"num_features": 4, "affine": True}, [x3]),
        ("nn", "InstanceNorm1d", {"num_features": 4}, [x3]),
        ("nn", "BatchNorm3d", {"num_features": 3}, [r.standard_normal((2, 3, 4, 5))]),
        ("nn", "CircularPad1d", {"padding": 1}, [r.standard_normal((2, 3, 4, 5))]),
        ("nn", "CircularPad2d", {"padding": 1}, [x3[0]]),
        ("nn", "ReflectionPad1d", {"padding": 1}, [r.standard_normal((2, 3, 4, 5))]),
        ("nn", "ReflectionPad2d", {"padding": 3}, [x3]),
        ("nn", "MultiMarginLoss", {"p": 3}, []),
        ("nn", "TripletMarginLoss", {"margin": 0.0}, []),
        ("nn", "TripletMarginWithDistanceLoss", {"margin": -1.0}, []),
    ]
    cases = []
    for kind, name, first, second in calls:
        if kind == "F":
            result = outcome(lambda n=name, a=first, k=second: getattr(F, n)(*_arrays(a), **_options(k)))
            cases.append({"kind": kind, "fn": name, "args": first, "kwargs": second, **result})
        else:
            def build_and_call(n: str = name, k: dict = first, a: list = second) -> Any:
                module = getattr(tnn, n)(**k).double()
                return module(*_arrays(a)) if a else torch.zeros(0)
            cases.append({"kind": kind, "ctor": name, "kwargs": first, "args": second, **outcome(build_and_call)})
    return cases


def main(out_dir: Path) -> None:
    torch.set_default_dtype(torch.float32)
    r = _rng(4)
    payload = {
        "modules": _normalization_cases(r) + _padding_cases(r) + _bilinear_cases(r),
        "init": _init_cases(),
        "losses": _loss_cases(),
        "loss_modules": _loss_module_cases()["cases"],
        "reprs": [{"ctor": c, "kwargs": k, "repr": repr(getattr(tnn, c)(**k))} for c, k in REPRS],
        "errors": _error_cases(),
    }
    write_json(out_dir / "layers.json", payload)
