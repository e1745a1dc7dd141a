"""Gradient hooks and loss scaling as training scripts use them: a gradient monitor, per-tensor clipping by a
hook, the optimizer step fused into backward (register_post_accumulate_grad_hook), and a CPU GradScaler."""

import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
x = torch.randn(64, 4)
y = x[:, :1] * 2.0 - x[:, 1:2] + 0.1 * torch.randn(64, 1)

# a monitor on an activation and clipping hooks on the parameters
norms = []
hidden = model[0](x)
hidden.register_hook(lambda g: norms.append(round(g.norm().item(), 4)))
model[2](model[1](hidden)).pow(2).mean().backward()
print("activation grad norm", norms)
handles = [p.register_hook(lambda g: g.clamp(-0.05, 0.05)) for p in model.parameters()]
model.zero_grad()
nn.functional.mse_loss(model(x), y).backward()
print("largest clipped grad", max(p.grad.abs().max().item() for p in model.parameters()))
for h in handles:
    h.remove()

# the optimizer step fused into backward: one optimizer per parameter, stepped as its gradient arrives
optimizers = {p: torch.optim.SGD([p], lr=0.05) for p in model.parameters()}


def step_now(param):
    optimizers[param].step()
    optimizers[param].zero_grad()


for p in model.parameters():
    p.register_post_accumulate_grad_hook(step_now)
for epoch in range(30):
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    if epoch % 10 == 0:
        print(epoch, f"{loss.item():.4f}", all(p.grad is None for p in model.parameters()))

# mixed-precision style loss scaling on the CPU
torch.manual_seed(1)
net = nn.Linear(4, 1)
opt = torch.optim.Adam(net.parameters(), lr=0.01)
scaler = torch.amp.GradScaler("cpu", init_scale=2.0**10, growth_interval=5)
eps = torch.finfo(torch.float32).eps
for step in range(12):
    opt.zero_grad()
    pred = net(x)
    loss = ((pred - y) ** 2).mean() + eps
    if step == 3:
        loss = loss * float("inf")  # one bad step: skipped, the scale backs off
    scaler.scale(loss).backward()
    scaler.unscale_(opt)
    nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    scaler.step(opt)
    scaler.update()
    print(step, scaler.get_scale(), f"{net.bias.item():.5f}")
print(scaler.state_dict())
print(x.new_zeros(2).dtype, x.new_tensor([1, 2]).type_as(y).dtype, torch.iinfo(torch.int32).max)
