"""Saving and loading a model's and an optimizer's state_dict, PyTorch's checkpoint idiom."""

import os
import sys
import tempfile

import trainer as torch
from trainer import nn

torch.manual_seed(1)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
x, target = torch.randn(16, 4), torch.randn(16, 2)
for _ in range(3):
    optimizer.zero_grad()
    nn.functional.mse_loss(model(x), target).backward()
    optimizer.step()

path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save({"epoch": 3, "model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)

checkpoint = torch.load(path, map_location="cpu")
restored = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
print(restored.load_state_dict(checkpoint["model"]))
restored_opt = torch.optim.SGD(restored.parameters(), lr=0.1, momentum=0.9)
restored_opt.load_state_dict(checkpoint["optimizer"])
print("epoch", checkpoint["epoch"], "keys", list(checkpoint["model"].keys()))
for m, opt in ((model, optimizer), (restored, restored_opt)):
    opt.zero_grad()
    nn.functional.mse_loss(m(x), target).backward()
    opt.step()
print("same after one more step:", (model(x) - restored(x)).abs().max().item() == 0)

torch.save(model, path)
try:
    torch.load(path)
except Exception as e:  # the default weights_only=True refuses a pickled module
    print(type(e).__name__, "Weights only load failed" in str(e))
print(type(torch.load(path, weights_only=False)).__name__)
sys.exit(0)
