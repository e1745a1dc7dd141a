"""An example plugin: `trainer run configs/plugins/sign_descent.yaml --plugin configs/plugins/sign_descent.py`.

Every `trainer.optim.Optimizer` subclass defined here becomes a YAML optimizer type named in
snake_case (`SignDescent` -> `sign_descent`); its `__init__` arguments are what a config may set.
"""

import trainer as torch


class SignDescent(torch.optim.Optimizer):
    """Sign descent: each parameter moves by lr against the sign of its gradient."""

    def __init__(self, params, lr: float = 0.01, weight_decay: float = 0.0):
        if lr < 0:
            raise ValueError(f"Invalid learning rate: {lr}")
        super().__init__(params, {"lr": lr, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad
                if group["weight_decay"]:
                    grad = grad + group["weight_decay"] * p
                sign = (grad > 0).float() - (grad < 0).float()
                p.sub_(sign, alpha=group["lr"])
        return loss
