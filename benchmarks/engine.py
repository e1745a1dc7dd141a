"""The same workloads through trainer's public API (nn, functional losses, optim)."""

from __future__ import annotations

import numpy as np

import trainer
from trainer import nn
from trainer.nn import functional as F

from .workloads import ConvWorkload, Workload


class EngineRun:
    """A ReLU MLP trained with trainer.nn and trainer.optim, initialised like the floor."""

    def __init__(self, w: Workload, seed: int = 0) -> None:
        x, y = w.data(seed)
        self.x, self.y = trainer.tensor(x), trainer.tensor(y)
        layers: list[nn.Module] = []
        for i, (wt, b) in enumerate(w.init(seed)):
            lin = nn.Linear(wt.shape[1], wt.shape[0])
            with trainer.no_grad():
                lin.weight.copy_(wt)
                lin.bias.copy_(b)
            layers.append(lin)
            if i < len(w.sizes) - 2:
                layers.append(nn.ReLU())
        self.model = nn.Sequential(*layers)
        params = self.model.parameters()
        if w.optimizer == "adam":
            self.opt = trainer.optim.Adam(params, lr=w.lr)
        else:
            self.opt = trainer.optim.SGD(params, lr=w.lr, momentum=0.9)
        self.loss_fn = {"cross_entropy": F.cross_entropy,
                        "mse_sum": lambda p, t: F.mse_loss(p, t, reduction="sum"),
                        "mse_mean": F.mse_loss}[w.loss]

    def step(self) -> float:
        """A user's loop, verbatim: zero_grad, forward and loss, backward, step."""
        self.opt.zero_grad()
        loss = self.loss_fn(self.model(self.x), self.y)
        loss.backward()
        self.opt.step()
        return loss.item()


class EngineConvRun(EngineRun):
    """The CNN workload with trainer.nn.Conv2d layers, initialised like the floor."""

    def __init__(self, w: ConvWorkload, seed: int = 0) -> None:  # noqa: D107
        x, y = w.data(seed)
        self.x, self.y = trainer.tensor(x), trainer.tensor(y)
        layers: list[nn.Module] = []
        init = w.init(seed)
        c_in = w.image[0]
        for (c_out, k, s), (wt, b) in zip(w.convs, init):
            layers += [_loaded(nn.Conv2d(c_in, c_out, k, stride=s, padding=(k - 1) // 2), wt, b), nn.ReLU()]
            c_in = c_out
        wt, b = init[-1]
        layers += [nn.Flatten(), _loaded(nn.Linear(wt.shape[1], wt.shape[0]), wt, b)]
        self.model = nn.Sequential(*layers)
        self.opt = trainer.optim.Adam(self.model.parameters(), lr=w.lr)
        self.loss_fn = F.cross_entropy


def _loaded(layer: nn.Module, weight: np.ndarray, bias: np.ndarray) -> nn.Module:
    with trainer.no_grad():
        layer.weight.copy_(weight)
        layer.bias.copy_(bias)
    return layer
