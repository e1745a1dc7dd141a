"""The seed config and small helpers shared by the config tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from trainer.errors import UserError

SEED_YAML = """\
name: seed-regression
seed: 0
data:
  type: linear            # x ~ N(0, 1) of shape (n, d_in); y = x @ weights + bias + noise * N(0, 1)
  n: 100
  d_in: 3
  weights: [0.2, -1.3, -0.5]
  bias: 0.0
  noise: 1.0
model:
  layers:
    - {type: linear, out_features: 32}   # in_features inferred from the data / previous layer
    - {type: relu}
    - {type: linear, out_features: 1}
loss: {type: mse, reduction: sum}
optimizer: {type: adam, lr: 0.08}
training: {epochs: 200, batch_size: null, log_every: 10}   # batch_size null = full batch
"""

SEED: dict[str, Any] = {
    "name": "seed-regression",
    "seed": 0,
    "data": {"type": "linear", "n": 100, "d_in": 3, "weights": [0.2, -1.3, -0.5], "bias": 0.0, "noise": 1.0},
    "model": {"layers": [{"type": "linear", "out_features": 32}, {"type": "relu"},
                         {"type": "linear", "out_features": 1}]},
    "loss": {"type": "mse", "reduction": "sum"},
    "optimizer": {"type": "adam", "lr": 0.08},
    "training": {"epochs": 200, "batch_size": None, "log_every": 10},
}

MOONS: dict[str, Any] = {
    "seed": 1,
    "data": {"type": "moons", "n": 64, "val_fraction": 0.25},
    "model": {"layers": [{"type": "linear", "out_features": 8}, "tanh", {"type": "linear", "out_features": 2}]},
    "loss": "cross_entropy",
    "optimizer": {"type": "sgd", "lr": 0.1},
    "training": {"epochs": 5, "batch_size": 16},
}


def seed(**changes: Any) -> dict[str, Any]:
    """A deep copy of the seed config with top-level sections replaced."""
    out = copy.deepcopy(SEED)
    out.update(copy.deepcopy(changes))
    return out


def moons(**changes: Any) -> dict[str, Any]:
    """A deep copy of a small moons classifier config with top-level sections replaced."""
    out = copy.deepcopy(MOONS)
    out.update(copy.deepcopy(changes))
    return out


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def user_error(fn: Any, *args: Any, **kwargs: Any) -> UserError:
    """The UserError `fn(*args, **kwargs)` raises."""
    with pytest.raises(UserError) as info:
        fn(*args, **kwargs)
    return info.value
