"""A ModuleDict model with forward hooks collecting activations, and a pre-hook rescaling the input."""

import trainer as torch
from trainer import nn


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.ModuleDict({"encoder": nn.Linear(3, 5), "act": nn.ReLU(), "head": nn.Linear(5, 1)})

    def forward(self, x):
        for name in ("encoder", "act", "head"):
            x = self.layers[name](x)
        return x


torch.manual_seed(2)
net = Net()
activations = {}
handles = [module.register_forward_hook(lambda m, args, out, name=name: activations.__setitem__(name, out.shape))
           for name, module in net.layers.items()]
net(torch.randn(4, 3))
print({k: tuple(v) for k, v in activations.items()})
for h in handles:
    h.remove()
activations.clear()
net(torch.randn(4, 3))
print("after remove:", activations)

pre = net.layers["head"].register_forward_pre_hook(lambda m, args: (args[0] * 0,))
print("head sees zeros:", (net(torch.randn(2, 3)) - net.layers["head"].bias).abs().max().item() == 0)
pre.remove()
print([name for name, _ in net.named_modules()])
print(net)
