"""torch.func as its tutorials use it: per-sample gradients with vmap(grad(...)) through functional_call, model
ensembling with stack_module_state, Jacobians and Hessians with jacrev, jacfwd and hessian, and the
Hessian-vector product as jvp of grad."""

import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import (
    functional_call,
    grad,
    grad_and_value,
    hessian,
    jacfwd,
    jacrev,
    jvp,
    stack_module_state,
    vjp,
    vmap,
)

torch.manual_seed(0)


class SimpleMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 16)
        self.fc3 = nn.Linear(16, 4)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


# --- per-sample gradients ---
batch_size = 16
data = torch.randn(batch_size, 8)
targets = torch.randint(4, (batch_size,))
model = SimpleMLP()


def loss_fn(predictions, targets):
    return F.cross_entropy(predictions, targets)


def compute_grad(sample, target):
    sample = sample.unsqueeze(0)
    target = target.unsqueeze(0)
    prediction = model(sample)
    loss = loss_fn(prediction, target)
    return torch.autograd.grad(loss, list(model.parameters()))


def compute_sample_grads(data, targets):
    sample_grads = [compute_grad(data[i], targets[i]) for i in range(batch_size)]
    sample_grads = zip(*sample_grads)
    return [torch.stack(shards) for shards in sample_grads]


per_sample_grads = compute_sample_grads(data, targets)
print("loop shapes:", [tuple(g.shape) for g in per_sample_grads])

params = {k: v.detach() for k, v in model.named_parameters()}
buffers = {k: v.detach() for k, v in model.named_buffers()}


def compute_loss(params, buffers, sample, target):
    batch = sample.unsqueeze(0)
    targets = target.unsqueeze(0)
    predictions = functional_call(model, (params, buffers), (batch,))
    return loss_fn(predictions, targets)


ft_compute_grad = grad(compute_loss)
ft_compute_sample_grad = vmap(ft_compute_grad, in_dims=(None, None, 0, 0))
ft_per_sample_grads = ft_compute_sample_grad(params, buffers, data, targets)
for per_sample_grad, (name, ft_per_sample_grad) in zip(per_sample_grads, ft_per_sample_grads.items()):
    assert torch.allclose(per_sample_grad, ft_per_sample_grad, atol=3e-3, rtol=1e-5)
    print(f"{name}: {tuple(ft_per_sample_grad.shape)} norm {ft_per_sample_grad.norm():.5f} "
          f"requires_grad={ft_per_sample_grad.requires_grad}")
print("first sample, fc3.bias:", ft_per_sample_grads["fc3.bias"][0])

# --- model ensembling ---
num_models = 5
models = [SimpleMLP() for _ in range(num_models)]
minibatches = torch.randn(num_models, 6, 8)
minibatch = minibatches[0]
predictions_diff_minibatch_loop = [m(mb) for m, mb in zip(models, minibatches)]
predictions2 = [m(minibatch) for m in models]

params, buffers = stack_module_state(models)
print("stacked:", {k: tuple(v.shape) for k, v in params.items()})
print("stacked leaves require grad:", all(v.requires_grad and v.is_leaf for v in params.values()))
base_model = copy.deepcopy(models[0])  # the tutorial then moves it to the 'meta' device


def fmodel(params, buffers, x):
    return functional_call(base_model, (params, buffers), (x,))


predictions1_vmap = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, minibatch)
assert torch.allclose(predictions1_vmap, torch.stack(predictions2), atol=1e-3, rtol=1e-5)
predictions2_vmap = vmap(fmodel)(params, buffers, minibatches)
assert torch.allclose(predictions2_vmap, torch.stack(predictions_diff_minibatch_loop), atol=1e-3, rtol=1e-5)
print("ensemble same minibatch:", tuple(predictions1_vmap.shape), predictions1_vmap[:, 0])
print("ensemble own minibatches:", tuple(predictions2_vmap.shape), predictions2_vmap[2, :2])
print("ensemble output requires grad:", predictions2_vmap.requires_grad)

# --- Jacobians and Hessians ---
torch.manual_seed(1)
D = 4
weight = torch.randn(D, D)
bias = torch.randn(D)
x = torch.randn(D)


def predict(weight, bias, x):
    return F.linear(x, weight, bias).tanh()


jacobian_rev = jacrev(predict, argnums=2)(weight, bias, x)
jacobian_fwd = jacfwd(predict, argnums=2)(weight, bias, x)
print("jacrev:", jacobian_rev)
assert torch.allclose(jacobian_rev, jacobian_fwd, atol=1e-6)
ft_jac_weight, ft_jac_bias = jacrev(predict, argnums=(0, 1))(weight, bias, x)
print("d/dweight:", tuple(ft_jac_weight.shape), "d/dbias:", ft_jac_bias.diagonal())

batch_x = torch.randn(3, D)
batched = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))(weight, bias, batch_x)
print("batched jacobians:", tuple(batched.shape), batched[1, 0])

hess = hessian(predict, argnums=2)(weight, bias, x)
print("hessian:", tuple(hess.shape), hess[0, 0])
hess_rr = jacrev(jacrev(predict, argnums=2), argnums=2)(weight, bias, x)
assert torch.allclose(hess, hess_rr, atol=1e-6)


def f(x):
    return x.sin().sum()


def hvp(f, primals, tangents):
    return jvp(grad(f), primals, tangents)[1]


v = torch.randn(D)
print("hvp:", hvp(f, (x,), (v,)))
g, value = grad_and_value(f)(x)
print(f"grad_and_value: {value:.5f}", g)
out, vjp_fn = vjp(torch.sin, x)
print("vjp:", vjp_fn(torch.ones(D))[0])
print("grad of grad:", grad(grad(lambda t: t.sin() * t ** 2))(torch.tensor(0.7)))

# --- randomness ---
torch.manual_seed(2)
same = vmap(lambda row: F.dropout(row, 0.5), randomness="same")(torch.ones(3, 6))
print("dropout, randomness='same':", same)
