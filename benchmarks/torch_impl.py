"""The same workloads in PyTorch CPU, when it is installed (never a dependency)."""

from __future__ import annotations

from .workloads import Workload


class TorchRun:
    """A ReLU MLP trained with torch.nn and torch.optim, initialised like the floor."""

    def __init__(self, w: Workload, seed: int = 0) -> None:
        import torch

        x, y = w.data(seed)
        self.torch = torch
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)
        layers: list = []
        for i, (wt, b) in enumerate(w.init(seed)):
            lin = torch.nn.Linear(wt.shape[1], wt.shape[0])
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(wt))
                lin.bias.copy_(torch.from_numpy(b))
            layers.append(lin)
            if i < len(w.sizes) - 2:
                layers.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*layers)
        if w.optimizer == "adam":
            self.opt = torch.optim.Adam(self.model.parameters(), lr=w.lr)
        else:
            self.opt = torch.optim.SGD(self.model.parameters(), lr=w.lr, momentum=0.9)
        F = torch.nn.functional
        self.loss_fn = {"cross_entropy": F.cross_entropy,
                        "mse_sum": lambda p, t: F.mse_loss(p, t, reduction="sum"),
                        "mse_mean": F.mse_loss}[w.loss]

    def step(self) -> float:
        loss = self.loss_fn(self.model(self.x), self.y)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()

