"""Learning-rate schedules in a loop: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, OneCycleLR, Plateau."""

import torch
from torch import nn, optim
from torch.optim import lr_scheduler

torch.manual_seed(0)
model = nn.Linear(4, 1)
X, y = torch.randn(64, 4), torch.randn(64, 1)


def run(make, epochs=12, **opt_kwargs):
    net = nn.Linear(4, 1)
    net.load_state_dict(model.state_dict())
    opt = optim.SGD(net.parameters(), lr=0.1, **opt_kwargs)
    sched = make(opt)
    lrs = []
    for _ in range(epochs):
        opt.zero_grad()
        loss = nn.functional.mse_loss(net(X), y)
        loss.backward()
        opt.step()
        if isinstance(sched, lr_scheduler.ReduceLROnPlateau):
            sched.step(loss.item())
        else:
            sched.step()
        lrs.append(round(opt.param_groups[0]["lr"], 10))
    print(type(sched).__name__, lrs, f"{loss.item():.6f}")


run(lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5))
run(lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 5, 9], gamma=0.1))
run(lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9))
run(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001))
run(lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=12), momentum=0.9)
run(lambda o: lr_scheduler.LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch))
run(lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=1, threshold=0.5))
run(lambda o: lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4))
