"""The PyTorch pruning tutorial's LeNet (torch.nn.utils.prune): prune a conv and a linear layer, look at the
reparametrization (weight_orig, weight_mask, the forward pre-hook), prune iteratively, prune globally and report
each layer's sparsity, make it permanent; then train a few steps with a checkpointed block
(torch.utils.checkpoint) and check the result with torch.testing.assert_close."""

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune
import torch.utils.checkpoint
from torch.testing import assert_close

torch.manual_seed(0)


class LeNet(nn.Module):
    def __init__(self):
        super(LeNet, self).__init__()
        # 1 input image channel, 6 output channels, 5x5 square conv kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, int(x.nelement() / x.shape[0]))
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


model = LeNet()
module = model.conv1
print(list(module.named_parameters())[0][0], list(module.named_parameters())[1][0])
print(list(module.named_buffers()))

prune.random_unstructured(module, name="weight", amount=0.3)
print([name for name, _ in module.named_parameters()])
print([name for name, _ in module.named_buffers()])
print("mask sum", module.weight_mask.sum().item(), "of", module.weight_mask.numel())
print(module.weight[0])
print(module._forward_pre_hooks.keys().__len__(), type(list(module._forward_pre_hooks.values())[0]).__name__)

prune.l1_unstructured(module, name="bias", amount=3)
print([name for name, _ in module.named_parameters()])
print(module.bias_mask)
print(module.bias)

# iterative pruning: the channels removed here add to the entries already removed
prune.ln_structured(module, name="weight", amount=0.5, n=2, dim=0)
print("channels kept", (module.weight_mask.sum(dim=(1, 2, 3)) != 0).tolist())
for hook in module._forward_pre_hooks.values():
    if hook._tensor_name == "weight":
        break
print([type(m).__name__ for m in hook], hook._tensor_name)  # the PruningContainer's history
print(list(model.state_dict().keys()))

prune.remove(module, "weight")
print([name for name, _ in module.named_parameters()])
print([name for name, _ in module.named_buffers()])
print("zeros in conv1.weight", int(torch.sum(module.weight == 0)))

# pruning the linear layers of a new model
new_model = LeNet()
for name, mod in new_model.named_modules():
    if isinstance(mod, torch.nn.Conv2d):
        prune.l1_unstructured(mod, name="weight", amount=0.2)
    elif isinstance(mod, torch.nn.Linear):
        prune.l1_unstructured(mod, name="weight", amount=0.4)
print(dict(new_model.named_buffers()).keys())

# global pruning
model = LeNet()
parameters_to_prune = (
    (model.conv1, "weight"),
    (model.conv2, "weight"),
    (model.fc1, "weight"),
    (model.fc2, "weight"),
    (model.fc3, "weight"),
)
prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=0.2)
for name, mod in (("conv1", model.conv1), ("conv2", model.conv2), ("fc1", model.fc1), ("fc2", model.fc2),
                  ("fc3", model.fc3)):
    sparsity = 100.0 * float(torch.sum(mod.weight == 0)) / float(mod.weight.nelement())
    print("Sparsity in {}.weight: {:.2f}%".format(name, sparsity))
total_zeros = sum(float(torch.sum(mod.weight == 0)) for mod, _ in parameters_to_prune)
total = sum(float(mod.weight.nelement()) for mod, _ in parameters_to_prune)
print("Global sparsity: {:.2f}%".format(100.0 * total_zeros / total))
print("is pruned:", prune.is_pruned(model))

# fine-tune the pruned network, its convolutional trunk checkpointed
images = torch.randn(8, 1, 32, 32)
labels = torch.randint(0, 10, (8,))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


def trunk(x):
    x = F.max_pool2d(F.relu(model.conv1(x)), (2, 2))
    return F.max_pool2d(F.relu(model.conv2(x)), 2)


def head(x):
    x = x.view(x.shape[0], -1)
    return model.fc3(F.relu(model.fc2(F.relu(model.fc1(x)))))


for step in range(4):
    optimizer.zero_grad()
    features = torch.utils.checkpoint.checkpoint(trunk, images, use_reentrant=False)
    loss = F.cross_entropy(head(features), labels)
    loss.backward()
    optimizer.step()
    print(f"step {step}: loss {loss.item():.4f}")
print("pruned entries still zero:", int(torch.sum(model.fc1.weight == 0)) >= int(0.2 * 48000 * 0.5))

# the checkpointed trunk gives the same gradients as the plain one
for p in model.parameters():
    p.grad = None
F.cross_entropy(head(torch.utils.checkpoint.checkpoint(trunk, images, use_reentrant=False)), labels).backward()
checkpointed = model.conv2.weight_orig.grad.clone()
for p in model.parameters():
    p.grad = None
F.cross_entropy(head(trunk(images)), labels).backward()
assert_close(checkpointed, model.conv2.weight_orig.grad)
print("gradient norm", round(model.conv2.weight_orig.grad.norm().item(), 4))

# a deeper block through checkpoint_sequential, with dropout recomputed from the same RNG state
block = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
x = torch.randn(16, 10, requires_grad=True)
out = torch.utils.checkpoint.checkpoint_sequential(block, 3, x, use_reentrant=False)
out.sum().backward()
print("checkpoint_sequential", out.shape, round(out.sum().item(), 4), round(x.grad.abs().sum().item(), 4))
try:
    assert_close(out.detach(), out.detach() + 1e-3)
except AssertionError as e:
    print(str(e).splitlines()[0], "|", str(e).splitlines()[2])
