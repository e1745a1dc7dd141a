"""Tensor work around a model: robust feature scaling with missing values, a k-nearest-neighbour baseline with
cdist, a decision grid from meshgrid, and a small network with RMSNorm, Hardswish and an orthogonal init."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)
n, d = 120, 4
x = torch.randn(n, d)
labels = (x[:, 0] + 0.5 * x[:, 1] > 0).long() + (x[:, 2] > 1).long()
x[torch.rand(n, d) < 0.05] = float("nan")  # some values missing

print("missing per column", torch.isnan(x).sum(0).tolist(), "rows complete", (~x.isnan().any(1)).sum().item())
center = torch.nanmedian(x, dim=0).values
spread = torch.nanquantile(x, 0.75, dim=0) - torch.nanquantile(x, 0.25, dim=0)
x = torch.where(torch.isnan(x), center.expand_as(x), x)
x = (x - center) / spread
print("center", [round(v, 4) for v in center.tolist()], "iqr", [round(v, 4) for v in spread.tolist()])
print("finite", torch.isfinite(x).all().item(), "aminmax", [round(v.item(), 4) for v in torch.aminmax(x)])

train, test = x[:90], x[90:]
y_train, y_test = labels[:90], labels[90:]
dist = torch.cdist(test, train)
near = dist.topk(5, largest=False).indices
votes = y_train[near]
pred = torch.mode(votes, dim=1).values
print("knn accuracy", (pred == y_test).float().mean().item(), "classes", torch.bincount(labels).tolist())
print("nearest distances", [round(v, 4) for v in dist.min(1).values[:5].tolist()])

gx, gy = torch.meshgrid(torch.linspace(-2, 2, 5), torch.linspace(-1, 1, 3), indexing="ij")
grid = torch.stack([gx.flatten(), gy.flatten()], dim=1)
print("grid", tuple(grid.shape), grid[torch.tensor([0, 7, 14])].tolist())


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(d, 16)
        self.norm = nn.RMSNorm(16)
        self.out = nn.Linear(16, 3)
        nn.init.orthogonal_(self.inp.weight, gain=math.sqrt(2))
        nn.init.trunc_normal_(self.out.weight, std=0.1)
        nn.init.zeros_(self.out.bias)

    def forward(self, t):
        return self.out(F.hardswish(self.norm(self.inp(t))))


net = Net()
opt = torch.optim.AdamW(net.parameters(), lr=0.02)
for epoch in range(60):
    opt.zero_grad()
    loss = F.cross_entropy(net(train), y_train)
    loss.backward()
    opt.step()
    if epoch % 20 == 0:
        print(epoch, f"{loss.item():.4f}")
with torch.no_grad():
    probs = net(test).softmax(1)
print("net accuracy", (probs.argmax(1) == y_test).float().mean().item())
print("confident", torch.count_nonzero(probs.amax(1) > 0.9).item(), "entropy",
      f"{torch.special.entr(probs).sum(1).mean().item():.4f}" if hasattr(torch, "special") else "")
