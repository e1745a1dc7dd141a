"""PyTorch reference values for trainer.nn.utils.parametrize, parametrizations and the legacy weight_norm and
spectral_norm hooks.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py parametrize
Writes tests/references/nn/parametrize.json. Every scenario is code written with PyTorch's names (`torch`, `nn`,
`P` = parametrize, `PZ` = parametrizations, `U` = nn.utils, and the classes of PRELUDE), stored beside its results
so that tests/nn/test_parametrize.py runs the same code with `trainer` as `torch`. A value case builds a layer with
explicit weights, applies its code after `torch.manual_seed(seed)` (spectral norm's u and v come from the RNG),
then runs forward/backward steps (a small SGD update after each), recording outputs, input and parameter
gradients, the state_dict and the attributes it reads; then each `stages` code (removal, assignment, ...) and
what the module looks like afterwards. Error cases record the exception class, message and warnings.
"""

from __future__ import annotations

import warnings
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import torch
from reference_io import write_json

AREA = "nn"

PRELUDE = '''
class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)

    def right_inverse(self, A):
        return A.triu()


class Double(nn.Module):
    def forward(self, X):
        return X * 2

    def right_inverse(self, X):
        return X / 2


class RankOne(nn.Module):
    def forward(self, x, y):
        return x.unsqueeze(-1) @ y.unsqueeze(-2)

    def right_inverse(self, Z):
        return Z[:, 0].clone(), Z[0, :] / Z[0, 0]


class Exp(nn.Module):
    def forward(self, X):
        return X.exp()


class Row(nn.Module):
    def forward(self, X):
        return X.reshape(1, -1)


class Flat(nn.Module):
    def forward(self, X):
        return X.reshape(-1)


class Single(nn.Module):
    def forward(self, X):
        return X.float()


class Number(nn.Module):
    def forward(self, X):
        return 1.5


class Inverse(nn.Module):
    def __init__(self, inverse):
        super().__init__()
        self.inverse = inverse

    def forward(self, X):
        return X

    def right_inverse(self, X):
        return self.inverse(X)


class Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(3, 3))
        self.register_buffer("scale", torch.ones(3))

    def forward(self, x):
        return (x @ self.weight.T) * self.scale
'''

LR = 0.1  # the SGD step after each forward/backward, so later steps see changed originals


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def namespace() -> dict[str, Any]:
    """PyTorch's names and the PRELUDE classes, for running a scenario's code."""
    ns: dict[str, Any] = {"torch": torch, "nn": torch.nn, "P": torch.nn.utils.parametrize,
                          "PZ": torch.nn.utils.parametrizations, "U": torch.nn.utils}
    exec(PRELUDE, ns)  # noqa: S102 - our own scenario code
    return ns


def _run(code: str, ns: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(code, ns)  # noqa: S102


# ----- value cases -----------------------------------------------------------------------------------------------


def _case(name: str, ctor: str, kwargs: dict[str, Any], input_shape: tuple[int, ...], apply: list[str],
          modes: tuple[bool, ...] = (True, True), stages: tuple[str, ...] = (), dtype: str = "float64",
          read: tuple[str, ...] = ("weight",), seed: int = 0) -> dict[str, Any]:
    """A case's specification: weights and inputs drawn here, in `dtype`."""
    r = _rng(zlib.crc32(name.encode()))
    ns = namespace()
    module = (ns.get(ctor) or getattr(torch.nn, ctor))(**kwargs)
    weights = {k: r.uniform(-1.0, 1.0, tuple(v.shape)).astype(dtype) for k, v in module.state_dict().items()}
    inputs = [r.standard_normal(input_shape).astype(dtype) for _ in modes]
    return {"name": name, "ctor": ctor, "kwargs": kwargs, "dtype": dtype, "weights": weights, "seed": seed,
            "apply": apply, "steps": [{"train": t, "input": x} for t, x in zip(modes, inputs, strict=True)],
            "stages": list(stages), "read": list(read)}


def _snapshot(module: Any, read: list[str]) -> dict[str, Any]:
    """What the module looks like: class, repr, state_dict, parameter names, and the attributes in `read`."""
    out: dict[str, Any] = {"class": type(module).__name__, "repr": repr(module), "keys": list(module.state_dict()),
                           "state": {k: v.detach().clone() for k, v in module.state_dict().items()},
                           "params": [n for n, _ in module.named_parameters()], "read": {}}
    for attr in read:
        value = getattr(module, attr)
        out["read"][attr] = {"value": value.detach().clone(), "kind": type(value).__name__,
                             "grad_fn": None if value.grad_fn is None else type(value.grad_fn).__name__}
    return out


def _step(module: Any, step: dict[str, Any], read: list[str], seed: int) -> dict[str, Any]:
    module.train(step["train"])
    module.zero_grad(set_to_none=True)
    x = torch.tensor(step["input"], requires_grad=True)
    out = module(x)
    gout = _rng(seed).standard_normal(tuple(out.shape)).astype(step["input"].dtype)
    out.backward(torch.tensor(gout))
    result = {"out": out, "gout": gout, "input_grad": x.grad,
              "grads": {n: p.grad for n, p in module.named_parameters() if p.grad is not None},
              **_snapshot(module, read)}
    with torch.no_grad():
        for p in module.parameters():
            if p.grad is not None:
                p.add_(p.grad, alpha=-LR)
    return result


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    ns = namespace()
    dtype = getattr(torch, case["dtype"])
    module = (ns.get(case["ctor"]) or getattr(torch.nn, case["ctor"]))(**case["kwargs"]).to(dtype)
    module.load_state_dict({k: torch.tensor(v) for k, v in case["weights"].items()})
    torch.manual_seed(case["seed"])
    ns["m"] = module
    for code in case["apply"]:
        _run(code, ns)
    applied = _snapshot(ns["m"], case["read"])
    steps = [_step(ns["m"], step, case["read"], 100 + i) for i, step in enumerate(case["steps"])]
    stages = []
    for code in case["stages"]:
        _run(code, ns)
        with torch.no_grad():
            out = ns["m"](torch.tensor(case["steps"][0]["input"]))
        stages.append({**_snapshot(ns["m"], case["read"]), "out": out})
    return {**case, "applied": applied, "results": steps, "after": stages}


def _weight_norm_cases() -> list[dict[str, Any]]:
    layers = [("Linear", {"in_features": 3, "out_features": 4}, (2, 3), [0, 1, None, -2]),
              ("Conv1d", {"in_channels": 2, "out_channels": 3, "kernel_size": 3}, (2, 2, 6), [0, 2, -1]),
              ("Conv2d", {"in_channels": 2, "out_channels": 3, "kernel_size": 2}, (1, 2, 4, 4), [0, 1, None, 3])]
    cases = []
    for ctor, kwargs, shape, dims in layers:
        for dim in dims:
            cases.append(_case(f"weight_norm/{ctor}/dim={dim}", ctor, kwargs, shape, [f"PZ.weight_norm(m, dim={dim})"],
                               stages=("P.remove_parametrizations(m, 'weight')",)))
    cases.append(_case("weight_norm/Linear/float32", "Linear", {"in_features": 3, "out_features": 4}, (2, 3),
                       ["PZ.weight_norm(m)"], dtype="float32"))
    cases.append(_case("weight_norm/Conv2d/dim=1/float32", "Conv2d", layers[2][1], (1, 2, 4, 4),
                       ["PZ.weight_norm(m, dim=1)"], dtype="float32"))
    cases.append(_case("weight_norm/Linear/bias", "Linear", {"in_features": 3, "out_features": 4}, (2, 3),
                       ["PZ.weight_norm(m, name='bias')"], read=("bias",)))
    return cases


SPECTRAL_MODES = (True, True, True, False, False)


def _spectral_cases(function: str, state: str) -> list[dict[str, Any]]:
    """`function` applied to layers in several steps of train mode then eval mode; `state` removes it."""
    conv = {"in_channels": 2, "out_channels": 3, "kernel_size": 3}
    layers = [("Linear", {"in_features": 5, "out_features": 4}, (3, 5), "", "float64"),
              ("Linear", {"in_features": 5, "out_features": 4}, (3, 5), ", n_power_iterations=3", "float64"),
              ("Linear", {"in_features": 4, "out_features": 6}, (2, 4), ", dim=1", "float64"),
              ("Linear", {"in_features": 4, "out_features": 6}, (2, 4), ", eps=0.5", "float64"),
              ("Conv2d", conv, (1, 2, 5, 5), "", "float64"),
              ("ConvTranspose2d", {"in_channels": 3, "out_channels": 2, "kernel_size": 3}, (1, 3, 3, 3), "",
               "float64"),
              ("Linear", {"in_features": 5, "out_features": 4}, (3, 5), "", "float32"),
              ("Conv2d", conv, (1, 2, 5, 5), ", n_power_iterations=3", "float32")]
    return [_case(f"{function}/{ctor}{options}/{dtype}", ctor, kwargs, shape, [f"{function}(m{options})"],
                  modes=SPECTRAL_MODES, stages=(state,), dtype=dtype, seed=i)
            for i, (ctor, kwargs, shape, options, dtype) in enumerate(layers)]


def _parametrization_spectral_cases() -> list[dict[str, Any]]:
    cases = _spectral_cases("PZ.spectral_norm", "m.eval(); P.remove_parametrizations(m, 'weight')")
    cases.append(_case("PZ.spectral_norm/remove_in_train_mode", "Linear", {"in_features": 5, "out_features": 4},
                       (3, 5), ["PZ.spectral_norm(m)"], modes=(True,),
                       stages=("P.remove_parametrizations(m, 'weight', leave_parametrized=False)",)))
    cases.append(_case("PZ.spectral_norm/1d", "Linear", {"in_features": 5, "out_features": 4}, (3, 5),
                       ["PZ.spectral_norm(m, name='bias')"], modes=(True, False), read=("bias",),
                       stages=("P.remove_parametrizations(m, 'bias')",)))
    return cases


def _register(name: str, parametrization: str, unsafe: bool = False) -> str:
    return f"P.register_parametrization(m, '{name}', {parametrization}{', unsafe=True' if unsafe else ''})"


def _custom_cases() -> list[dict[str, Any]]:
    square = {"in_features": 4, "out_features": 4}
    ones = "torch.ones(4, 4, dtype=torch.float64) + torch.eye(4, dtype=torch.float64)"
    remove = "P.remove_parametrizations(m, 'weight')"
    transfer = "m2 = nn.Linear(4, 4, bias=False).double()\nP.transfer_parametrizations_and_params(m, m2)\nm = m2"
    return [
        _case("custom/symmetric", "Linear", square, (2, 4), [_register("weight", "Symmetric()")],
              stages=(f"m.weight = {ones}", "P.remove_parametrizations(m, 'weight', leave_parametrized=False)")),
        _case("custom/chained", "Linear", square, (2, 4),
              [_register("weight", "Symmetric()"), _register("weight", "Double()")],
              stages=(f"m.weight = {ones}", remove)),
        _case("custom/rank_one", "Linear", {"in_features": 3, "out_features": 4}, (2, 3),
              [_register("weight", "RankOne()")],
              stages=("m.weight = torch.ones(4, 3, dtype=torch.float64) * 3", remove)),
        _case("custom/no_right_inverse", "Linear", {"in_features": 3, "out_features": 2}, (2, 3),
              [_register("weight", "Exp()")],
              stages=("P.remove_parametrizations(m, 'weight', leave_parametrized=False)",)),
        _case("custom/buffer", "Scaled", {}, (2, 3),
              [_register("scale", "Double()"), _register("weight", "Symmetric()")],
              read=("weight", "scale"), stages=("P.remove_parametrizations(m, 'scale')", remove)),
        _case("custom/unsafe", "Scaled", {}, (2, 3),
              [_register("scale", "Row()", unsafe=True), _register("scale", "Double()", unsafe=True)],
              read=("scale",), stages=("P.remove_parametrizations(m, 'scale')",)),
        _case("custom/transfer", "Linear", square, (2, 4), [_register("weight", "Symmetric()")],
              stages=(transfer, remove)),
    ]


def _orthogonal_cases() -> list[dict[str, Any]]:
    square, tall, wide = ({"in_features": i, "out_features": o} for i, o in ((4, 4), (3, 5), (5, 3)))
    eye = "m.weight = torch.eye(4, dtype=m.weight.dtype)"
    remove = "P.remove_parametrizations(m, 'weight')"
    layers = [("Linear", square, (2, 4), "", "float64", (eye, remove)),
              ("Linear", square, (2, 4), ", orthogonal_map='cayley'", "float64", (eye, remove)),
              ("Linear", square, (2, 4), ", orthogonal_map='householder'", "float64", (eye, remove)),
              ("Linear", tall, (2, 3), "", "float64", (remove,)),
              ("Linear", wide, (2, 5), "", "float64", (remove,)),
              ("Linear", wide, (2, 5), ", orthogonal_map='matrix_exp'", "float64", (remove,)),
              ("Linear", tall, (2, 3), ", orthogonal_map='cayley'", "float64", (remove,)),
              ("Linear", tall, (2, 3), ", use_trivialization=False", "float64", (remove,)),
              ("Linear", wide, (2, 5), ", use_trivialization=False", "float64", (remove,)),
              ("Linear", square, (2, 4), ", use_trivialization=False", "float64", (remove,)),
              ("Linear", square, (2, 4), ", orthogonal_map='cayley', use_trivialization=False", "float64", (remove,)),
              ("Conv1d", {"in_channels": 3, "out_channels": 2, "kernel_size": 3}, (2, 3, 5), "", "float64", (remove,)),
              ("Conv1d", {"in_channels": 3, "out_channels": 2, "kernel_size": 2}, (2, 3, 5), "", "float64", (remove,)),
              ("Linear", square, (2, 4), "", "float32", (eye, remove)),
              ("Linear", tall, (2, 3), "", "float32", (remove,))]
    return [_case(f"PZ.orthogonal/{ctor}{tuple(kwargs.values())}{options}/{dtype}", ctor, kwargs, shape,
                  [f"PZ.orthogonal(m{options})"], stages=stages, dtype=dtype, seed=i)
            for i, (ctor, kwargs, shape, options, dtype, stages) in enumerate(layers)]


def _legacy_weight_norm_cases() -> list[dict[str, Any]]:
    linear = {"in_features": 3, "out_features": 4}
    cases = [_case(f"U.weight_norm/Linear/dim={dim}", "Linear", linear, (2, 3), [f"U.weight_norm(m, dim={dim})"],
                   stages=("U.remove_weight_norm(m)",)) for dim in (0, 1, None)]
    cases.append(_case("U.weight_norm/Conv2d", "Conv2d", {"in_channels": 2, "out_channels": 3, "kernel_size": 2},
                       (1, 2, 4, 4), ["U.weight_norm(m)"], stages=("U.remove_weight_norm(m)",)))
    cases.append(_case("U.weight_norm/Linear/float32", "Linear", linear, (2, 3), ["U.weight_norm(m)"],
                       dtype="float32", stages=("U.remove_weight_norm(m)",)))
    return cases


# ----- errors ----------------------------------------------------------------------------------------------------

_LIN = "nn.Linear(2, 2)"
_DOUBLED = f"m = P.register_parametrization({_LIN}, 'weight', Double())\n"
_NORMED = f"m = PZ.weight_norm({_LIN})\n"
ERRORS = [
    f"P.register_parametrization({_LIN}, 'foo', Double())",
    f"P.register_parametrization({_LIN}, 'weight', Flat())",
    f"P.register_parametrization({_LIN}.double(), 'weight', Single())",
    f"P.register_parametrization({_LIN}, 'weight', Number())",
    f"P.register_parametrization({_LIN}, 'weight', Inverse(lambda X: 3))",
    f"P.register_parametrization({_LIN}, 'weight', Inverse(lambda X: X.double()))",
    f"P.register_parametrization({_LIN}, 'weight', Inverse(lambda X: (X, 3)))",
    f"P.register_parametrization({_LIN}, 'weight', Inverse(lambda X: X[:1]))",
    f"P.register_parametrization({_LIN}, 'weight', Inverse(lambda X: X[:1]), unsafe=True)",
    _DOUBLED + "P.register_parametrization(m, 'weight', Flat())",
    f"m = P.register_parametrization({_LIN}.double(), 'weight', Double())\n"
    "P.register_parametrization(m, 'weight', Single())",
    _DOUBLED + "P.register_parametrization(m, 'weight', Number())",
    _DOUBLED + "P.register_parametrization(m, 'weight', Inverse(lambda X: [X]))",
    _DOUBLED + "P.register_parametrization(m, 'weight', Inverse(lambda X: X.double()))",
    _DOUBLED + "P.register_parametrization(m, 'weight', Inverse(lambda X: X[:1]))",
    _DOUBLED + "m.weight = torch.ones(2, 2, dtype=torch.float64)",
    _DOUBLED + "m.parametrizations.weight[0].right_inverse = lambda w: [w]\nm.weight = torch.ones(2, 2)",
    _DOUBLED + "m.weight = nn.Parameter(torch.ones(2, 2))",
    f"m = P.register_parametrization({_LIN}, 'weight', Exp())\nm.weight = torch.ones(2, 2)",
    _NORMED + "m.parametrizations.weight[0].right_inverse = lambda w: (w,)\nm.weight = torch.ones(2, 2)",
    _NORMED + "m.parametrizations.weight[0].right_inverse = lambda w: w\nm.weight = torch.ones(2, 2)",
    _NORMED + "m.parametrizations.weight[0].right_inverse = lambda w: (w.double(), w)\nm.weight = torch.ones(2, 2)",
    f"P.remove_parametrizations({_LIN}, 'weight')",
    _DOUBLED + "P.remove_parametrizations(m, 'bias')",
    _NORMED + "P.remove_parametrizations(m, 'weight', leave_parametrized=False)",
    "P.ParametrizationList([], torch.ones(2))",
    "import pickle\npickle.dumps(" + _NORMED.strip()[4:] + ")",
    f"PZ.weight_norm({_LIN}, name='foo')",
    f"PZ.spectral_norm({_LIN}, name='foo')",
    f"PZ.spectral_norm({_LIN}, dim=2)",
    f"PZ.spectral_norm({_LIN}, dim=-3)",
    f"PZ.spectral_norm({_LIN}, n_power_iterations=0)",
    f"PZ.orthogonal({_LIN}, name='bias')",
    f"PZ.orthogonal({_LIN}, name='foo')",
    f"PZ.orthogonal({_LIN}, orthogonal_map='qr')",
    f"m = PZ.orthogonal({_LIN})\nm.weight = torch.ones(3, 3)",
    f"m = PZ.orthogonal({_LIN}, use_trivialization=False)\nm.weight = torch.eye(2)",
    f"m = PZ.orthogonal({_LIN}, orthogonal_map='cayley', use_trivialization=False)\nm.weight = torch.eye(2)",
    f"U.weight_norm({_LIN})",
    f"U.weight_norm(U.weight_norm({_LIN}))",
    f"U.weight_norm({_LIN}, name='foo')",
    f"U.remove_weight_norm({_LIN})",
    f"U.remove_weight_norm(U.weight_norm({_LIN}), name='bias')",
    f"U.spectral_norm(U.spectral_norm({_LIN}))",
    f"U.spectral_norm({_LIN}, n_power_iterations=0)",
    f"U.spectral_norm({_LIN}, name='foo')",
    "U.spectral_norm(nn.Linear(2, 2, bias=False), name='bias')",
    f"U.remove_spectral_norm({_LIN})",
    f"U.remove_spectral_norm(U.spectral_norm({_LIN}), name='bias')",
]


def run_error(code: str) -> dict[str, Any]:
    ns = namespace()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(code, ns)  # noqa: S102
        except Exception as e:  # noqa: BLE001 - the class is the reference
            result = {"error": type(e).__name__, "message": str(e)}
        else:
            result = {"error": None, "message": None}
    return {"code": code, **result, "warnings": [[w.category.__name__, str(w.message)] for w in caught]}


def main(out_dir: Path) -> None:
    torch.set_default_dtype(torch.float32)
    cases = (_weight_norm_cases() + _parametrization_spectral_cases() + _custom_cases() + _orthogonal_cases()
             + _legacy_weight_norm_cases()
             + _spectral_cases("U.spectral_norm", "U.remove_spectral_norm(m)"))
    write_json(out_dir / "parametrize.json", {"prelude": PRELUDE, "lr": LR, "cases": [run_case(c) for c in cases],
                                              "errors": [run_error(code) for code in ERRORS]})
