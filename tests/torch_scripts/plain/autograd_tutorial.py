"""The autograd tutorial: requires_grad, grad_fn, backward with a gradient, autograd.grad, detach, no_grad."""

import torch

torch.manual_seed(0)
x = torch.ones(5)
y = torch.zeros(3)
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)

print(f"Gradient function for z = {z.grad_fn}")
print(f"Gradient function for loss = {loss.grad_fn}")
print(type(z.grad_fn).__name__, type(loss.grad_fn).__name__, z.grad_fn.name())
print([type(f).__name__ if f is not None else None for f, _ in z.grad_fn.next_functions])

loss.backward()
print(w.grad.tolist())
print(b.grad.tolist())

z = torch.matmul(x, w) + b
print(z.requires_grad)
with torch.no_grad():
    z = torch.matmul(x, w) + b
print(z.requires_grad)
z = torch.matmul(x, w) + b
z_det = z.detach()
print(z_det.requires_grad, z_det.is_leaf, z.is_leaf, w.is_leaf)

inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad.tolist()}")
out.backward(torch.ones_like(out))
print(f"\nSecond call\n{inp.grad.tolist()}")
inp.grad.zero_()
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out))
print(f"\nCall after zeroing gradients\n{inp.grad.tolist()}")

a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3 * a ** 3 - b ** 2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print((9 * a ** 2 == a.grad).all().item(), (-2 * b == b.grad).tolist())

u = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
v = (u ** 3).sum()
(g,) = torch.autograd.grad(v, u, retain_graph=True)
print(g.tolist(), g.requires_grad, u.grad)
(g2,) = torch.autograd.grad(2 * v, [u])
print(g2.tolist())

t = torch.randn(3)
print(t.requires_grad)
t.requires_grad_()
print(t.requires_grad, t.grad)
(t * 2).sum().backward()
print(t.grad.tolist())

frozen = torch.nn.Linear(3, 2)
for param in frozen.parameters():
    param.requires_grad = False
frozen.weight.requires_grad_(True)
print([p.requires_grad for p in frozen.parameters()])
