"""Extending torch.autograd: Functions with save_for_backward, needs_input_grad, non-tensor arguments,
mark_non_differentiable, the setup_context style, once_differentiable, and checks with gradcheck."""

import torch
from torch.autograd import Function, gradcheck
from torch.autograd.function import once_differentiable


class LinearFunction(Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


class MulConstant(Function):
    @staticmethod
    def forward(tensor, constant):
        return tensor * constant

    @staticmethod
    def setup_context(ctx, inputs, output):
        _, constant = inputs
        ctx.constant = constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


class SortWithIndices(Function):
    @staticmethod
    def forward(ctx, x):
        values, idx = x.sort(dim=-1)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return values, idx

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_values, grad_idx):
        (idx,) = ctx.saved_tensors
        grad = torch.zeros_like(grad_values)
        grad.scatter_(-1, idx, grad_values)
        return grad


torch.manual_seed(0)
x = torch.randn(5, 3, dtype=torch.double, requires_grad=True)
w = torch.randn(4, 3, dtype=torch.double, requires_grad=True)
b = torch.randn(4, dtype=torch.double, requires_grad=True)
out = LinearFunction.apply(x, w, b)
print(out.grad_fn.__class__.__name__, out.shape)
out.pow(2).sum().backward()
print("grads", x.grad.sum().item(), w.grad.norm().item(), b.grad)
print("gradcheck linear", gradcheck(LinearFunction.apply, (x, w, b), eps=1e-6, atol=1e-4))
print("gradcheck no bias", gradcheck(LinearFunction.apply, (x, w), eps=1e-6, atol=1e-4))
y = MulConstant.apply(x, 2.5)
y.sum().backward()
print("mulconstant", y.requires_grad, x.grad[0])
print("gradcheck mulconstant", gradcheck(lambda t: MulConstant.apply(t, -1.5), (x,)))
values, idx = SortWithIndices.apply(x)
print("sorted", idx[0].tolist(), idx.requires_grad, values.requires_grad)
(values * torch.arange(3, dtype=torch.double)).sum().backward()
print("sort grad row", x.grad[0])
print("gradcheck sort", gradcheck(lambda t: SortWithIndices.apply(t)[0], (x,)))
model_w = torch.randn(2, 3, requires_grad=True)
inp = torch.randn(6, 3)
opt = torch.optim.SGD([model_w], lr=0.1)
for step in range(5):
    opt.zero_grad()
    loss = LinearFunction.apply(inp, model_w).pow(2).mean()
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.5f}")
