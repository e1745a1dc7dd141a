"""trainer.nn modules against PyTorch: weights copied in with load_state_dict, then outputs, gradients,
running statistics, state_dict keys and reprs compared (float64)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F
from tests.reference_data import assert_close, load_reference

MODULES = load_reference("nn", "modules")
CASES = MODULES["cases"]


def _build(case: dict[str, Any]) -> nn.Module:
    module = getattr(nn, case["ctor"])(**case["kwargs"]).double()
    result = module.load_state_dict(case["state"])
    assert result.missing_keys == [] and result.unexpected_keys == []
    return module


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_module_matches_pytorch(case: dict[str, Any]) -> None:
    module = _build(case)
    assert list(module.state_dict()) == case["keys"]
    assert repr(module) == case["repr"]
    for i, step in enumerate(case["steps"]):
        module.train(step["train"])
        module.zero_grad()
        x = step["input"]
        xt = trainer.tensor(x, requires_grad=x.dtype.kind == "f")
        out = module(xt)
        assert_close(out, step["out"], what=f"{case['name']} step {i} output")
        out.backward(trainer.tensor(step["gout"]))
        if step["input_grad"] is not None:
            assert_close(xt.grad, step["input_grad"], what=f"{case['name']} step {i} input grad")
        grads = dict(module.named_parameters())
        assert set(step["param_grads"]) == {k for k, p in grads.items() if p.grad is not None}
        for name, expected in step["param_grads"].items():
            assert_close(grads[name].grad, expected, what=f"{case['name']} step {i} grad of {name}")
        state = module.state_dict()
        for name, expected in step["state_after"].items():
            assert_close(state[name]._array, expected, what=f"{case['name']} step {i} state {name}")
            assert state[name].dtype == (np.int64 if name.endswith("num_batches_tracked") else np.float64)


def test_seed_network_matches_pytorch() -> None:
    ref = MODULES["sequential"]
    net = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1)).double()
    assert list(net.state_dict()) == ref["keys"]
    assert repr(net) == ref["repr"]
    net.load_state_dict(ref["state"])
    x = trainer.tensor(ref["x"], requires_grad=True)
    loss = F.mse_loss(net(x), trainer.tensor(ref["y"]), reduction="sum")
    assert_close(loss, ref["loss"], what="seed net loss")
    loss.backward()
    assert_close(x.grad, ref["input_grad"], what="seed net input grad")
    for name, p in net.named_parameters():
        assert_close(p.grad, ref["param_grads"][name], what=f"seed net grad of {name}")


@pytest.mark.parametrize("key", sorted(MODULES["reprs"]))
def test_repr_matches_pytorch(key: str) -> None:
    ref = MODULES["reprs"][key]
    assert repr(getattr(nn, ref["ctor"])(**ref["kwargs"])) == ref["repr"]


def test_every_layer_is_covered() -> None:
    covered = {c["ctor"] for c in CASES}
    for name in ("Linear", "LayerNorm", "BatchNorm1d", "Embedding", "Flatten", "Identity", "Dropout", "ReLU",
                 "LeakyReLU", "ELU", "GELU", "SiLU", "Sigmoid", "Tanh", "Softplus", "Softmax", "LogSoftmax"):
        assert name in covered, name
