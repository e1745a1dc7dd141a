"""Tutorial idioms for weight averaging and reparametrized layers: d2l's LazyLinear networks, SWA and EMA with
torch.optim.swa_utils, a spectral-normalised critic and a weight-normalised regressor."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import parametrizations
from torch.optim.swa_utils import SWALR, AveragedModel, get_ema_multi_avg_fn, update_bn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
X = torch.randn(256, 4)
y = (X @ torch.tensor([[1.5], [-2.0], [0.5], [1.0]]) + 0.3 * torch.randn(256, 1)).squeeze(1)
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)

# --- d2l style: lazy layers infer their input size on the first batch ---
net = nn.Sequential(nn.LazyLinear(16), nn.BatchNorm1d(16), nn.ReLU(), nn.LazyLinear(1))
print(net)
net(X[:2])
print(net, [tuple(p.shape) for p in net.parameters()])

# --- SWA: average the weights of the last epochs, then recompute the batch-norm statistics ---
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
swa_model = AveragedModel(net)
ema_model = AveragedModel(net, multi_avg_fn=get_ema_multi_avg_fn(0.9))
swa_start, scheduler = 5, SWALR(opt, swa_lr=0.01, anneal_epochs=2, anneal_strategy="cos")
for epoch in range(8):
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.mse_loss(net(xb).squeeze(1), yb)
        loss.backward()
        opt.step()
        ema_model.update_parameters(net)
    if epoch >= swa_start:
        swa_model.update_parameters(net)
        scheduler.step()
    print(f"epoch {epoch}: loss {loss.item():.4f} lr {opt.param_groups[0]['lr']:.5f}")
update_bn(loader, swa_model)
swa_model.eval()
ema_model.eval()
net.eval()
with torch.no_grad():
    for name, model in (("net", net), ("swa", swa_model), ("ema", ema_model)):
        print(name, round(F.mse_loss(model(X).squeeze(1), y).item(), 4))
print(swa_model.n_averaged, list(swa_model.state_dict())[:3])

# --- a spectral-normalised critic and a weight-normalised layer ---
critic = nn.Sequential(parametrizations.spectral_norm(nn.Linear(4, 32)), nn.LeakyReLU(0.2),
                       parametrizations.spectral_norm(nn.Linear(32, 1)))
c_opt = torch.optim.Adam(critic.parameters(), lr=1e-3)
for step in range(3):
    c_opt.zero_grad()
    loss = critic(X).mean() - critic(X + 1).mean()
    loss.backward()
    c_opt.step()
    sigma = torch.linalg.matrix_norm(critic[0].weight, ord=2).item()
    print(f"critic step {step}: loss {loss.item():.5f} sigma {sigma:.4f}")
print(list(critic.state_dict()))

layer = parametrizations.weight_norm(nn.Linear(4, 1))
w_opt = torch.optim.SGD(layer.parameters(), lr=0.1)
for step in range(20):
    w_opt.zero_grad()
    loss = F.mse_loss(layer(X).squeeze(1), y)
    loss.backward()
    w_opt.step()
print("weight_norm loss", round(loss.item(), 4), layer.parametrizations.weight.original0.shape)
