"""In-place rules: ReLU(inplace=True), F.relu_, optimizer.step bumping versions, views of non-leaves, errors."""

import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.tensor([-1.0, 2.0, -3.0])
r = nn.ReLU(inplace=True)
out = r(x)
print(x.tolist(), out is x, repr(r))
y = torch.tensor([-0.5, 0.5])
F.relu(y, inplace=True)
print(y.tolist())
z = torch.tensor([-2.0, 1.0])
F.relu_(z)
print(z.tolist(), torch.relu_(torch.tensor([-1.0])).tolist())
t = torch.tensor([-1.0, 1.0])
t.relu_()
print(t.tolist(), F.leaky_relu(torch.tensor([-1.0]), 0.1, inplace=True).tolist())

w = torch.tensor([1.0, 2.0], requires_grad=True)
h = w * 3
h2 = F.relu(h, inplace=True)
h2.sum().backward()
print(w.grad.tolist(), h2 is h, type(h2.grad_fn).__name__)

lin = nn.Linear(2, 1)
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
before = lin.weight._version
loss = (lin(torch.ones(1, 2)) ** 2).sum()
loss.backward()
opt.step()
print(lin.weight._version > before)
loss2 = (lin(torch.ones(1, 2)) * lin.weight).sum()
opt.step()
try:
    loss2.backward()
    print("no error")
except RuntimeError as e:
    print("RuntimeError:", "modified by an inplace operation" in str(e))

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
try:
    a.add_(1)
except RuntimeError as e:
    print("RuntimeError:", "leaf Variable that requires grad" in str(e))
b = a * 2
b[0] = 0.0
b.sum().backward()
print(a.grad.tolist(), type(b.grad_fn).__name__)
a.grad = None
c = a * 2
v = c[1:]
v.mul_(10)
c.sum().backward()
print(c.tolist(), a.grad.tolist())
a.grad = None
d = a.exp()
d.add_(1)
try:
    d.sum().backward()
    print("no error", a.grad.tolist())
except RuntimeError as e:
    print("RuntimeError:", "modified by an inplace operation" in str(e))
e = a.clone()
e.view(3)[0] = 5.0
(e * e).sum().backward()
print(e.tolist(), a.grad.tolist())
