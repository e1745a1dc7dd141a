"""PyTorch reference draws for trainer's generator: same seed, same numbers.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py random
Writes tests/references/random/{creation,distributions,init,layers,state}.json. Every case seeds
PyTorch's default generator (or a torch.Generator) and records what it draws, in float32 and float64,
at sizes around the 16-element boundary of the vectorised normal kernel.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import torch
import torch.nn as tnn
import torch.nn.functional as F
from reference_io import write_json

SEEDS = (0, 1, 42, 2**32 + 5, 2**63 - 25)
SIZES = (1, 3, 15, 16, 17, 100, 1000)
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def _seeded(seed: int, fn: Any) -> Any:
    torch.manual_seed(seed)
    return fn()


def _creation() -> list[dict[str, Any]]:
    """rand / randn / randint / randperm / normal_ / uniform_ by seed, size and dtype."""
    cases = []
    for seed in SEEDS:
        for n in SIZES:
            for dname, dtype in DTYPES.items():
                for fn, make in (
                    ("rand", lambda n=n, dtype=dtype: torch.rand(n, dtype=dtype)),
                    ("randn", lambda n=n, dtype=dtype: torch.randn(n, dtype=dtype)),
                    ("normal_", lambda n=n, dtype=dtype: torch.empty(n, dtype=dtype).normal_(0.5, 2.0)),
                    ("uniform_", lambda n=n, dtype=dtype: torch.empty(n, dtype=dtype).uniform_(-0.3, 0.7)),
                ):
                    cases.append({"fn": fn, "seed": seed, "n": n, "dtype": dname, "out": _seeded(seed, make)})
            cases.append({"fn": "randint", "seed": seed, "n": n, "low": -5, "high": 10,
                          "out": _seeded(seed, lambda n=n: torch.randint(-5, 10, (n,)))})
            for low, high in ((0, 2**40), (7, 7 + 2**28 - 1), (-7, -7 + 2**28), (0, 2**31 + 5)):
                cases.append({"fn": "randint", "seed": seed, "n": n, "low": low, "high": high,
                              "out": _seeded(seed, lambda n=n, low=low, high=high: torch.randint(low, high, (n,)))})
            cases.append({"fn": "randperm", "seed": seed, "n": n, "out": _seeded(seed, lambda n=n: torch.randperm(n))})
    return cases


def _distributions() -> list[dict[str, Any]]:
    """Shapes, call sequences (the cached normal), bernoulli, dropout and explicit Generators."""
    cases = []
    for seed in SEEDS:
        cases.append({"fn": "randn_shape", "seed": seed, "shape": [4, 5],
                      "out": _seeded(seed, lambda: torch.randn(4, 5))})
        cases.append({"fn": "randn_sequence", "seed": seed, "dtype": "float64", "sizes": [3, 1, 2, 5, 16, 1],
                      "out": _seeded(seed, lambda: torch.cat([torch.randn(k, dtype=torch.float64)
                                                              for k in (3, 1, 2, 5, 16, 1)]))})
        cases.append({"fn": "randn_sequence", "seed": seed, "dtype": "float32", "sizes": [3, 1, 2, 5, 16, 1],
                      "out": _seeded(seed, lambda: torch.cat([torch.randn(k) for k in (3, 1, 2, 5, 16, 1)]))})
        for n in (1, 3, 17, 100):
            for dname, dtype in DTYPES.items():
                cases.append({"fn": "bernoulli_tensor", "seed": seed, "n": n, "dtype": dname, "p": 0.3,
                              "out": _seeded(seed, lambda n=n, dtype=dtype: torch.bernoulli(
                                  torch.full((n,), 0.3, dtype=dtype)))})
                cases.append({"fn": "bernoulli_", "seed": seed, "n": n, "dtype": dname, "p": 0.3,
                              "out": _seeded(seed, lambda n=n, dtype=dtype: torch.empty(
                                  n, dtype=dtype).bernoulli_(0.3))})
                cases.append({"fn": "dropout", "seed": seed, "n": n, "dtype": dname, "p": 0.3,
                              "x": torch.linspace(-1, 1, n, dtype=dtype),
                              "out": _seeded(seed, lambda n=n, dtype=dtype: F.dropout(
                                  torch.linspace(-1, 1, n, dtype=dtype), 0.3, training=True))})
        cases.append({"fn": "bernoulli_probs", "seed": seed, "probs": torch.linspace(0, 1, 11, dtype=torch.float64),
                      "out": _seeded(seed, lambda: torch.bernoulli(torch.linspace(0, 1, 11, dtype=torch.float64)))})
        cases.append({"fn": "dropout_module", "seed": seed, "shape": [8, 6], "p": 0.5,
                      "out": _seeded(seed, lambda: tnn.Dropout(0.5).train()(torch.ones(8, 6)))})
        for view in ("T", "permute", "slice"):
            out = _seeded(seed, lambda view=view: _fill_view(view))
            cases.append({"fn": "fill_view", "seed": seed, "view": view, "out": out})
        g = torch.Generator().manual_seed(seed)
        torch.manual_seed(12345)
        out = torch.cat([torch.randn(20, generator=g), torch.rand(3, generator=g),
                         torch.randint(0, 7, (4,), generator=g).float(), torch.randperm(5, generator=g).float(),
                         torch.empty(3).normal_(generator=g), torch.empty(2).uniform_(generator=g),
                         torch.bernoulli(torch.full((4,), 0.5), generator=g)])
        cases.append({"fn": "generator", "seed": seed, "out": out, "initial_seed": g.initial_seed(),
                      "default_after": torch.rand(3)})
    return cases


def _fill_view(view: str) -> torch.Tensor:
    """In-place draws into views: PyTorch fills a non-contiguous tensor in memory order."""
    a = torch.zeros(20, 30)
    b = torch.zeros(4, 5, 6, dtype=torch.float64)
    if view == "T":
        a.T.normal_()
        b[0].T.bernoulli_(0.4)
    elif view == "permute":
        a.T.uniform_(-1, 2)
        b.permute(2, 0, 1).normal_(1.0, 3.0)
    else:
        a[:, ::2].normal_()
        b[:, 1:3].uniform_()
    return torch.cat([a.reshape(-1), b.reshape(-1).float()])


def _init() -> list[dict[str, Any]]:
    """nn.init functions on a few shapes, float32 and float64."""
    inits = {
        "uniform_": lambda t: tnn.init.uniform_(t, -0.2, 0.4),
        "normal_": lambda t: tnn.init.normal_(t, 0.1, 0.02),
        "xavier_uniform_": lambda t: tnn.init.xavier_uniform_(t, gain=1.5),
        "xavier_normal_": lambda t: tnn.init.xavier_normal_(t),
        "kaiming_uniform_": lambda t: tnn.init.kaiming_uniform_(t, a=math.sqrt(5)),
        "kaiming_normal_": lambda t: tnn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"),
    }
    cases = []
    for seed in (0, 42):
        for shape in ((32, 3), (1, 32), (4, 5), (6, 4, 3)):
            for dname, dtype in DTYPES.items():
                for name, fn in inits.items():
                    cases.append({"fn": name, "seed": seed, "shape": list(shape), "dtype": dname,
                                  "out": _seeded(seed, lambda fn=fn, shape=shape, dtype=dtype: fn(
                                      torch.empty(shape, dtype=dtype)))})
    return cases


def _layers() -> list[dict[str, Any]]:
    """Default initialisation of every layer with random weights, and the README's small net."""
    cases = []
    for seed in SEEDS:
        torch.manual_seed(seed)
        net = tnn.Sequential(tnn.Linear(3, 32), tnn.ReLU(), tnn.Linear(32, 1))
        cases.append({"layer": "mlp_3_32_1", "seed": seed, "state": dict(net.state_dict())})
        for name, make in (("linear_5_7", lambda: tnn.Linear(5, 7)),
                           ("linear_4_2_nobias", lambda: tnn.Linear(4, 2, bias=False)),
                           ("linear_64_16_float64", lambda: tnn.Linear(64, 16, dtype=torch.float64)),
                           ("embedding_10_4", lambda: tnn.Embedding(10, 4)),
                           ("embedding_10_4_pad", lambda: tnn.Embedding(10, 4, padding_idx=2))):
            torch.manual_seed(seed)
            cases.append({"layer": name, "seed": seed, "state": dict(make().state_dict())})
    return cases


def _state() -> list[dict[str, Any]]:
    """torch.get_rng_state() bytes after seeding and after draws (the normal cache included)."""
    cases = []
    for seed in SEEDS:
        torch.manual_seed(seed)
        after_seed = torch.get_rng_state()
        torch.rand(5)
        after_rand = torch.get_rng_state()
        torch.randn(3, dtype=torch.float64)
        after_randn = torch.get_rng_state()
        cases.append({"seed": seed, "after_seed": after_seed, "after_rand": after_rand, "after_randn": after_randn,
                      "next": torch.randn(2, dtype=torch.float64), "initial_seed": torch.initial_seed()})
    return cases


def main(out: Path) -> None:
    write_json(out / "creation.json", _creation())
    write_json(out / "distributions.json", _distributions())
    write_json(out / "init.json", _init())
    write_json(out / "layers.json", _layers())
    write_json(out / "state.json", _state())
