"""Full backward hooks and backward pre-hooks: what they see, and replacing gradients."""

import trainer as torch
from trainer import nn

lin = nn.Linear(3, 2)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    lin.bias.copy_(torch.tensor([0.5, -0.5]))


def shapes(grads):
    return [None if g is None else g.tolist() for g in grads]


seen = []
handle = lin.register_full_backward_hook(lambda m, grad_input, grad_output: seen.append(
    (shapes(grad_input), shapes(grad_output))))
x = torch.tensor([[1.0, 0.0, -1.0]], requires_grad=True)
(lin(x) * torch.tensor([[2.0, 3.0]])).sum().backward()
print(seen, x.grad.tolist())

zeroing = lin.register_full_backward_hook(lambda m, grad_input, grad_output: (grad_input[0] * 0,))
x.grad = None
(lin(x) * torch.tensor([[2.0, 3.0]])).sum().backward()
print(x.grad.tolist(), lin.weight.grad.tolist())
zeroing.remove()

seen.clear()
lin.zero_grad()
(lin(torch.tensor([[1.0, 0.0, -1.0]])) * 2).sum().backward()  # the input needs no gradient
print(seen)
handle.remove()


class Mix(nn.Module):
    def forward(self, a, b, scale):
        return a * b * scale


mix = Mix()
mix.register_full_backward_hook(lambda m, grad_input, grad_output: seen.append(shapes(grad_input)))
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
mix(a, b, 2.0).sum().backward()
print(seen[-1], a.grad.tolist(), b.grad.tolist())

relu = nn.ReLU()
relu.register_full_backward_pre_hook(lambda m, grad_output: (grad_output[0] * 10,))
y = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
relu(y).sum().backward()
print(y.grad.tolist())
