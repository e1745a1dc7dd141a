"""Sequential runs hook-free children's forward directly: the same numbers, and hooks or overrides still apply."""

import numpy as np

import trainer as torch
from trainer import nn


def _net() -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1))


def _x() -> torch.Tensor:
    torch.manual_seed(1)
    return torch.randn(5, 3)


def test_outputs_and_gradients_equal_calling_each_child():
    net, x = _net(), _x()
    out = net(x)
    ref = x
    for child in net:
        ref = child(ref)
    assert np.array_equal(out.detach().numpy(), ref.detach().numpy())
    out.sum().backward()
    direct = [p.grad.numpy().copy() for p in net.parameters()]
    net.zero_grad()
    ref.sum().backward()
    assert all(np.array_equal(a, p.grad.numpy()) for a, p in zip(direct, net.parameters(), strict=True))


def test_hooks_registered_after_a_first_call_run():
    net, x = _net(), _x()
    net(x)
    seen: list[str] = []
    net[0].register_forward_pre_hook(lambda m, a: seen.append("pre"))
    net[1].register_forward_hook(lambda m, a, o: o * 2)
    net[2].register_full_backward_hook(lambda m, gi, go: seen.append("backward"))
    out = net(x)
    expected = net[2].forward(net[0](x).clamp(min=0) * 2)
    assert np.array_equal(out.detach().numpy(), expected.detach().numpy())
    out.sum().backward()
    assert seen == ["pre", "pre", "backward"]


def test_an_instance_forward_and_a_class_call_override_are_used():
    net, x = _net(), _x()
    net[1].forward = lambda t: t * 0
    assert np.array_equal(net(x).detach().numpy(), net[2](torch.zeros(5, 8)).detach().numpy())

    class Doubled(nn.Identity):
        def __call__(self, t):
            return t * 2

    assert np.array_equal(nn.Sequential(Doubled())(x).numpy(), (x * 2).numpy())


def test_a_module_built_without_module_init_is_still_called():
    class Bare(nn.Module):
        def __init__(self) -> None:  # no super().__init__(): no hook stores
            pass

        def forward(self, t):
            return t + 1

    x = _x()
    assert np.array_equal(Bare()(x).numpy(), (x + 1).numpy())
    seq = nn.Sequential(nn.Identity())
    seq._modules["1"] = Bare()
    assert np.array_equal(seq(x).numpy(), (x + 1).numpy())
