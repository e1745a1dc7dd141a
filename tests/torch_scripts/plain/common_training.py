"""Common tutorial patterns: manual_seed(42), state_dict, save/load, grad norms, clipping, StepLR and the lr."""

import os
import tempfile

import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(42)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device, device.type)

X = torch.linspace(-1, 1, 100).view(-1, 1)
y = torch.sin(3 * X) + torch.randn(X.size(0), 1) * 0.1
X, y = X.to(device), y.to(device)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(1, 16)
        self.act = nn.Tanh()
        self.fc2 = nn.Linear(16, 1)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


model = Net().to(device)
for name, tensor in model.state_dict().items():
    print(name, tuple(tensor.shape), f"{tensor.sum().item():.6f}")
print(sum(p.numel() for p in model.parameters() if p.requires_grad))

criterion = nn.MSELoss()
optimizer = optim.Adam(model.parameters(), lr=0.05)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=50, gamma=0.5)
for epoch in range(200):
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(X), y)
    loss.backward()
    if epoch % 50 == 0:
        norms = [p.grad.norm().item() for p in model.parameters()]
        print(epoch, f"{loss.item():.6f}", " ".join(f"{n:.6f}" for n in norms))
    total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
    scheduler.step()
    if epoch % 50 == 49:
        print("lr", optimizer.param_groups[0]['lr'], scheduler.get_last_lr(), f"{total.item():.6f}")

model.eval()
with torch.no_grad():
    final = criterion(model(X), y).item()
print(f"final {final:.6f}")

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "checkpoint.pt")
    torch.save({"epoch": 200, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(), "loss": final}, path)
    checkpoint = torch.load(path)
    restored = Net()
    restored.load_state_dict(checkpoint["model_state_dict"])
    opt2 = optim.Adam(restored.parameters(), lr=0.05)
    opt2.load_state_dict(checkpoint["optimizer_state_dict"])
    restored.eval()
    with torch.no_grad():
        print(checkpoint["epoch"], checkpoint["loss"] == final, torch.equal(restored(X), model(X)))
    print(opt2.param_groups[0]["lr"], sorted(opt2.state_dict()["state"][0]))
    torch.save(model.fc1.weight, os.path.join(tmp, "w.pt"))
    w = torch.load(os.path.join(tmp, "w.pt"))
    print(type(w).__name__, torch.allclose(w, model.fc1.weight), w.requires_grad)
