"""Hyperparameter validation in __init__, and float32 parameters staying float32 in every optimizer."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import trainer
from tests.optim.problem import loss_fn
from trainer import optim

INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("SGD", {"lr": -0.1}, "Invalid learning rate"),
    ("SGD", {"momentum": -0.5}, "Invalid momentum"),
    ("SGD", {"weight_decay": -1e-3}, "Invalid weight_decay"),
    ("SGD", {"nesterov": True}, "Nesterov momentum requires"),
    ("SGD", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, "Nesterov momentum requires"),
    ("Adam", {"lr": -1.0}, "Invalid learning rate"),
    ("Adam", {"betas": (1.0, 0.999)}, "beta parameter at index 0"),
    ("Adam", {"betas": (0.9, -0.1)}, "beta parameter at index 1"),
    ("Adam", {"eps": -1e-8}, "Invalid epsilon"),
    ("AdamW", {"weight_decay": -0.01}, "Invalid weight_decay"),
    ("RMSprop", {"alpha": -0.9}, "Invalid alpha"),
    ("RMSprop", {"momentum": -0.9}, "Invalid momentum"),
    ("Adagrad", {"lr_decay": -0.1}, "Invalid lr_decay"),
    ("Adagrad", {"initial_accumulator_value": -1.0}, "Invalid initial_accumulator_value"),
    ("Adadelta", {"rho": 1.5}, "Invalid rho"),
    ("Adamax", {"betas": (0.9, 1.0)}, "beta parameter at index 1"),
    ("NAdam", {"momentum_decay": -0.1}, "Invalid momentum_decay"),
    ("RAdam", {"eps": -1.0}, "Invalid epsilon"),
    ("Rprop", {"etas": (1.2, 0.5)}, "Invalid eta values"),
    ("ASGD", {"weight_decay": -1.0}, "Invalid weight_decay"),
    ("LBFGS", {"lr": -1.0}, "Invalid learning rate"),
    ("LBFGS", {"line_search_fn": "armijo"}, "strong_wolfe"),
    ("Adafactor", {"beta2_decay": 0.5}, "beta2_decay should be <= 0"),
    ("Adafactor", {"eps": (-1.0, 1e-3)}, "epsilon1"),
    ("Adafactor", {"d": 0.5}, "Clipping threshold d"),
    ("Muon", {"momentum": -0.1}, "momentum should be >= 0"),
    ("Muon", {"adjust_lr_fn": "bogus"}, "not supported"),
]


@pytest.mark.parametrize(("cls", "kwargs", "message"), INVALID, ids=[f"{c}-{m}" for c, _, m in INVALID])
def test_invalid_hyperparameters_raise_value_error(cls: str, kwargs: dict[str, Any], message: str) -> None:
    w = trainer.zeros(2, 2, requires_grad=True)
    with pytest.raises(ValueError, match=message):
        getattr(optim, cls)([w], **kwargs)


def test_muon_rejects_non_matrices_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Muon only supports 2D parameters.*\\(3,\\)"):
        optim.Muon([trainer.zeros(2, 2, requires_grad=True), trainer.zeros(3, requires_grad=True)])
    opt = optim.Muon([trainer.zeros(2, 2, requires_grad=True)])
    with pytest.raises(ValueError, match="2D"):
        opt.add_param_group({"params": [trainer.zeros(1, 1, 1, requires_grad=True)]})


def test_lbfgs_needs_one_group_and_a_closure() -> None:
    a, b = trainer.zeros(2, requires_grad=True), trainer.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="per-parameter options"):
        optim.LBFGS([{"params": [a]}, {"params": [b]}])
    opt = optim.LBFGS([a])
    with pytest.raises(ValueError, match="per-parameter options"):
        opt.add_param_group({"params": [b]})
    with pytest.raises(RuntimeError, match="closure"):
        opt.step(None)  # type: ignore[arg-type]
    assert opt.defaults["max_eval"] == 25


ALL = {"SGD": {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
       "Adam": {"amsgrad": True, "weight_decay": 0.01}, "AdamW": {"amsgrad": True},
       "RMSprop": {"centered": True, "momentum": 0.5, "weight_decay": 0.01},
       "Adagrad": {"lr_decay": 0.01, "weight_decay": 0.01}, "Adadelta": {"weight_decay": 0.01},
       "Adamax": {"weight_decay": 0.01}, "NAdam": {"weight_decay": 0.01},
       "RAdam": {"weight_decay": 0.01, "betas": (0.9, 0.9)},
       "Rprop": {}, "ASGD": {"t0": 1, "weight_decay": 0.01}, "LBFGS": {"line_search_fn": "strong_wolfe"},
       "Adafactor": {"weight_decay": 0.01}, "Muon": {"nesterov": False}}


def _arrays(value: Any) -> list[np.ndarray]:
    if isinstance(value, trainer.Tensor):
        return [value._array]
    if isinstance(value, np.ndarray | np.generic):
        return [np.asarray(value)]
    if isinstance(value, list | tuple):
        return [a for v in value for a in _arrays(v)]
    return []


@pytest.mark.parametrize("cls", sorted(ALL))
def test_float32_parameters_stay_float32_without_promotion(cls: str) -> None:
    rng = np.random.default_rng(0)
    shapes = [(2, 3), (3,), (3, 2), (2,)]
    params = [trainer.tensor(rng.standard_normal(s) * 0.5, dtype="float32", requires_grad=True) for s in shapes]
    arrays = [p._array for p in params]
    x = trainer.tensor(rng.standard_normal((5, 2)), dtype="float32")
    y = trainer.tensor(rng.standard_normal((5, 2)), dtype="float32")
    opt = getattr(optim, cls)(params[::2] if cls == "Muon" else params, **ALL[cls])

    def closure() -> trainer.Tensor:
        opt.zero_grad()
        loss = loss_fn(params, x, y)
        loss.backward()
        return loss

    first = float(closure())
    for _ in range(5):
        opt.step(closure)
    assert float(closure()) < first
    for p, arr in zip(params, arrays, strict=True):
        assert p._array is arr and p._array.dtype == np.float32
        assert np.isfinite(p._array).all()
    for state in opt.state.values():
        for key, value in state.items():
            for a in _arrays(value):
                assert a.dtype == np.float32, f"{cls} state {key} is {a.dtype}"
