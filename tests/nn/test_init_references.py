"""nn.init and every layer's default initialisation draw PyTorch's exact numbers for the same seed."""

from __future__ import annotations

import math

import numpy as np
import pytest

import trainer
from tests.reference_data import load_reference
from trainer import nn

INIT = load_reference("random", "init")
LAYERS = load_reference("random", "layers")

INITS = {
    "uniform_": lambda t: nn.init.uniform_(t, -0.2, 0.4),
    "normal_": lambda t: nn.init.normal_(t, 0.1, 0.02),
    "xavier_uniform_": lambda t: nn.init.xavier_uniform_(t, gain=1.5),
    "xavier_normal_": lambda t: nn.init.xavier_normal_(t),
    "kaiming_uniform_": lambda t: nn.init.kaiming_uniform_(t, a=math.sqrt(5)),
    "kaiming_normal_": lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"),
}

LAYER_MAKERS = {
    "mlp_3_32_1": lambda: nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1)),
    "linear_5_7": lambda: nn.Linear(5, 7),
    "linear_4_2_nobias": lambda: nn.Linear(4, 2, bias=False),
    "linear_64_16_float64": lambda: nn.Linear(64, 16, dtype=trainer.float64),
    "embedding_10_4": lambda: nn.Embedding(10, 4),
    "embedding_10_4_pad": lambda: nn.Embedding(10, 4, padding_idx=2),
}


def _same(actual: np.ndarray, expected: np.ndarray, what: str) -> None:
    assert actual.shape == expected.shape, what
    if expected.dtype == np.float64:
        np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-12, err_msg=what)
    else:
        assert actual.dtype == expected.dtype and np.array_equal(actual.view(np.uint8), expected.view(np.uint8)), what


@pytest.mark.parametrize("case", INIT, ids=lambda c: f"{c['fn']}-{c['seed']}-{c['shape']}-{c['dtype']}")
def test_init_functions_match_pytorch(case: dict) -> None:
    trainer.manual_seed(case["seed"])
    t = trainer.empty(*case["shape"], dtype=getattr(trainer, case["dtype"]))
    out = INITS[case["fn"]](t)
    assert out is t
    _same(t.numpy(), case["out"], f"{case['fn']} {case['shape']}")


@pytest.mark.parametrize("case", LAYERS, ids=lambda c: f"{c['layer']}-{c['seed']}")
def test_default_layer_initialisation_matches_pytorch(case: dict) -> None:
    trainer.manual_seed(case["seed"])
    state = LAYER_MAKERS[case["layer"]]().state_dict()
    assert sorted(state) == sorted(case["state"])
    for name, expected in case["state"].items():
        _same(state[name].numpy(), expected, f"{case['layer']}.{name}")


def test_mlp_after_manual_seed_0_has_pytorchs_initial_weights() -> None:
    """The README's 3-32-1 net: `torch.manual_seed(0)` then the same model gives the same weights."""
    expected = next(c for c in LAYERS if c["layer"] == "mlp_3_32_1" and c["seed"] == 0)["state"]
    trainer.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))
    for name, value in model.state_dict().items():
        assert np.array_equal(value.numpy(), expected[name]), name


def test_init_takes_a_generator() -> None:
    g = trainer.Generator().manual_seed(5)
    a = nn.init.kaiming_uniform_(trainer.empty(4, 3), a=math.sqrt(5), generator=g).numpy()
    trainer.manual_seed(5)
    b = nn.init.kaiming_uniform_(trainer.empty(4, 3), a=math.sqrt(5)).numpy()
    assert np.array_equal(a, b)
