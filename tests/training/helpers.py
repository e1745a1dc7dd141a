"""A tiny hand-built experiment, so the loop is tested without the config layer."""

from __future__ import annotations

import numpy as np

import trainer
from trainer import nn, optim
from trainer.data import Dataset
from trainer.training import Trainable


def regression_data(n: int = 64, val: int = 0, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n + val, 3)).astype(np.float32)
    y = (x @ np.array([[0.2], [-1.3], [-0.5]], np.float32) + 0.3 * rng.standard_normal((n + val, 1))).astype(
        np.float32)
    return Dataset(x[:n], y[:n], x[n:] if val else None, y[n:] if val else None, "regression", None, 3, 1)


def experiment(lr: float = 0.05, val: int = 0, scheduler: str | None = None, dropout: bool = False,
               optimizer: str = "adam") -> Trainable:
    """Seeded like build_experiment: data first, then manual_seed before the model is initialised."""
    data = regression_data(val=val)
    trainer.manual_seed(0)
    layers = [nn.Linear(3, 16), nn.ReLU(), *([nn.Dropout(0.2)] if dropout else []), nn.Linear(16, 1)]
    model = nn.Sequential(*layers)
    opt = {"adam": optim.Adam, "sgd": optim.SGD, "lbfgs": optim.LBFGS}[optimizer](model.parameters(), lr=lr)
    sched = None
    if scheduler == "step":
        sched = optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    elif scheduler == "plateau":
        sched = optim.lr_scheduler.ReduceLROnPlateau(opt, patience=1)
    return Trainable(data, model, nn.MSELoss(), opt, sched)
