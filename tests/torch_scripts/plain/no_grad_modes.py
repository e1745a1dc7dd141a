"""Grad modes: torch.no_grad() as a decorator, set_grad_enabled, enable_grad inside no_grad, inference_mode."""

import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)


@torch.no_grad()
def evaluate(t):
    return t * 2


@torch.no_grad
def evaluate_bare(t):
    return t * 3


print(evaluate(x).requires_grad, evaluate_bare(x).requires_grad, (x * 2).requires_grad)
torch.set_grad_enabled(False)
print(torch.is_grad_enabled(), (x * 2).requires_grad)
torch.set_grad_enabled(True)
print(torch.is_grad_enabled(), (x * 2).requires_grad)
with torch.set_grad_enabled(False):
    print((x * 2).requires_grad)
is_train = True
with torch.set_grad_enabled(is_train):
    print((x * 2).requires_grad)
with torch.no_grad():
    with torch.enable_grad():
        y = x * 2
    print(y.requires_grad, (x * 2).requires_grad)
with torch.inference_mode():
    z = x * 2
print(z.requires_grad)


@torch.enable_grad()
def with_grad(t):
    return t ** 2


with torch.no_grad():
    q = with_grad(x)
print(q.requires_grad)
q.sum().backward()
print(x.grad.tolist())
