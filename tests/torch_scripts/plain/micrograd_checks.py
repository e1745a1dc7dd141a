"""micrograd's torch-checked tests: the same expressions in double precision, forward and backward compared."""

import torch


def test_sanity_check():
    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xpt, ypt = x, y
    print(ypt.data.item(), xpt.grad.item())
    return ypt.data.item(), xpt.grad.item()


def test_more_ops():
    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    apt, bpt, gpt = a, b, g
    print(f"{gpt.data.item():.10f} {apt.grad.item():.10f} {bpt.grad.item():.10f}")
    return gpt.data.item(), apt.grad.item(), bpt.grad.item()


y, xg = test_sanity_check()
tol = 1e-6
print(abs(y - -20.0) < tol, abs(xg - 46.0) < tol)
g, ag, bg = test_more_ops()
print(abs(g - 24.70408163265306) < tol, abs(ag - 138.83381924198252) < tol, abs(bg - 645.5772594752186) < tol)

x = torch.Tensor([[1.0, -2.0], [3.0, 0.5]])
print(x.dtype, x.requires_grad, torch.Tensor(2, 3).shape, torch.Tensor([1, 2]).dtype)

torch.manual_seed(1337)
xs = torch.randn(8, 3, dtype=torch.float64, requires_grad=True)
w = torch.randn(3, 1, dtype=torch.float64, requires_grad=True)
out = (xs @ w).tanh().sum()
out.backward()
print(f"{out.item():.12f}", [round(v, 12) for v in w.grad.flatten().tolist()])
