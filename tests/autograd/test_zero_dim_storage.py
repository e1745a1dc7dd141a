"""0-d results are writable tensors: the accumulator idioms of training scripts work as in PyTorch.

numpy returns a scalar (immutable, no storage to share) from a ufunc of 0-d arrays; the engine keeps 0-d
arrays instead. The expected values are PyTorch 2.13's for the same lines.
"""

from __future__ import annotations

import numpy as np

import trainer as torch


def test_a_loss_accumulated_from_zero_with_plus_equals_backpropagates() -> None:
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    total = 0
    for _ in range(3):
        total += (a * a).mean()  # the first += makes a tensor, the next ones are in place
    assert total.item() == 7.5 and total.grad_fn.name() == "AddBackward0"
    total.backward()
    assert a.grad.tolist() == [3.0, 6.0]


def test_a_scaled_0d_loss_is_scaled_in_place() -> None:
    loss = 0.0 + torch.nn.functional.mse_loss(torch.ones(3), torch.zeros(3))
    loss *= 1e10
    assert loss.item() == 1e10


def test_in_place_ops_on_a_0d_result_reach_its_detached_alias() -> None:
    c = torch.tensor(3.0) * 2
    d = c.detach()
    c += 1
    assert (c.item(), d.item()) == (7.0, 7.0)
    e = torch.tensor(3.0) * 2
    e.add_(1).mul_(2).clamp_(max=3).sqrt_()
    assert np.isclose(e.item(), 3 ** 0.5)
    e.zero_()
    assert e.item() == 0.0
    f = torch.tensor(3.0) * 2
    f[...] = 5
    f.copy_(torch.tensor(7.0))
    assert f.item() == 7.0
    f.fill_(1)
    assert f.item() == 1.0


def test_every_0d_result_holds_an_array() -> None:
    x = torch.tensor(2.0, requires_grad=True)
    for out in (x * 2, 0.0 + x, -x, x.exp(), x ** 2, x.sum(), x.detach(), torch.tensor(1.0) + 1):
        assert type(out._array) is np.ndarray and out.shape == ()


def test_a_0d_parameter_trains_with_momentum_and_zeroed_gradients() -> None:
    w = torch.nn.Parameter(torch.tensor(2.0))
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    for i in range(3):
        if i:
            opt.zero_grad(set_to_none=False)
        ((w * 3 - 1) ** 2).backward()
        opt.step()
    assert np.isclose(w.item(), 1.37, rtol=1e-6) and np.isclose(w.grad.item(), -29.4, rtol=1e-6)
