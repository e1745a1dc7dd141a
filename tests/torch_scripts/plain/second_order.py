"""Second-order autograd as tutorials use it: a physics-informed network, Newton's method with
torch.autograd.functional, a WGAN-GP gradient penalty and the gradient of a gradient norm."""

import math

import torch
import torch.nn as nn
from torch.autograd.functional import hessian, jacobian

torch.manual_seed(0)

# --- a physics-informed network: u'' = -pi^2 sin(pi x) on [0, 1], u(0) = u(1) = 0 ---
net = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
x = torch.linspace(0, 1, 32).reshape(-1, 1).requires_grad_(True)
boundary = torch.tensor([[0.0], [1.0]])
for step in range(200):
    opt.zero_grad()
    u = net(x)
    u_x = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x, x, grad_outputs=torch.ones_like(u_x), create_graph=True)[0]
    residual = u_xx + math.pi**2 * torch.sin(math.pi * x)
    loss = (residual**2).mean() + (net(boundary) ** 2).mean()
    loss.backward()
    opt.step()
    if step % 50 == 0:
        print(f"pinn step {step}: loss {loss.item():.6f}")
with torch.no_grad():
    print("u(0.5) =", round(net(torch.tensor([[0.5]])).item(), 4), "exact", 1 / math.pi**2)


# --- Newton's method on Rosenbrock's function ---
def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


p = torch.tensor([-1.2, 1.0], dtype=torch.float64)
for it in range(8):
    g = jacobian(rosenbrock, p)
    H = hessian(rosenbrock, p)
    p = p - torch.linalg.solve(H, g)
    print(f"newton {it}: p = {p.tolist()}, f = {rosenbrock(p).item():.3e}")

# --- WGAN-GP: the critic's gradient penalty ---
critic = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1))
c_opt = torch.optim.Adam(critic.parameters(), lr=1e-3, betas=(0.5, 0.9))
real = torch.randn(64, 2) + 2
fake = torch.randn(64, 2)
for step in range(5):
    c_opt.zero_grad()
    alpha = torch.rand(64, 1)
    interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = critic(interp)
    grads = torch.autograd.grad(outputs=scores, inputs=interp, grad_outputs=torch.ones_like(scores),
                                create_graph=True, retain_graph=True)[0]
    gp = ((grads.norm(2, dim=1) - 1) ** 2).mean()
    loss = critic(fake).mean() - critic(real).mean() + 10 * gp
    loss.backward()
    c_opt.step()
    print(f"critic step {step}: loss {loss.item():.5f} gp {gp.item():.5f}")

# --- the gradient of a gradient's norm, and a Hessian-vector product ---
w = torch.tensor([0.5, -1.5, 2.0], requires_grad=True)
f = (w.sin() * w**2).sum()
(g,) = torch.autograd.grad(f, w, create_graph=True)
g.norm().backward()
print("d|grad f|/dw =", [round(v, 6) for v in w.grad.tolist()])
v = torch.tensor([1.0, 0.0, -1.0])
_, hv = torch.autograd.functional.hvp(lambda t: (t.sin() * t**2).sum(), w.detach(), v)
print("H v =", [round(x, 6) for x in hv.tolist()])
print(g.requires_grad, g.grad_fn is not None)
