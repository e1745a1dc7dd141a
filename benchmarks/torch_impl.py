"""The same workloads in PyTorch CPU, when it is installed (never a dependency)."""

from __future__ import annotations

from .workloads import ConvWorkload, Workload


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



class TorchConvRun(TorchRun):
    """The CNN workload in torch.nn, initialised like the floor."""

    def __init__(self, w: ConvWorkload, seed: int = 0) -> None:  # noqa: D107
        import torch

        x, y = w.data(seed)
        self.torch = torch
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)
        layers: list = []
        init = w.init(seed)
        c_in = w.image[0]
        for (c_out, k, s), (wt, b) in zip(w.convs, init):
            layers += [_loaded(torch, torch.nn.Conv2d(c_in, c_out, k, stride=s, padding=(k - 1) // 2), wt, b),
                       torch.nn.ReLU()]
            c_in = c_out
        wt, b = init[-1]
        layers += [torch.nn.Flatten(), _loaded(torch, torch.nn.Linear(wt.shape[1], wt.shape[0]), wt, b)]
        self.model = torch.nn.Sequential(*layers)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=w.lr)
        self.loss_fn = torch.nn.functional.cross_entropy


def _loaded(torch, layer, weight, bias):  # noqa: ANN001, ANN202 - torch is never imported at module level
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(weight))
        layer.bias.copy_(torch.from_numpy(bias))
    return layer
