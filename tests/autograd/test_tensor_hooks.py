"""Tensor gradient hooks as PyTorch runs them: `register_hook` on leaves and non-leaves, and
`register_post_accumulate_grad_hook`; the expected values are what torch 2.13 gives for the same code."""

from __future__ import annotations

import pytest

import trainer
import trainer.nn as nn
from trainer.autograd.hooks import HOOKS


def _leaf(*values: float) -> trainer.Tensor:
    return trainer.tensor(list(values), requires_grad=True)


def test_a_leaf_hook_sees_the_summed_gradient_of_one_pass_once() -> None:
    x = _leaf(1.0, 2.0)
    seen = []
    handle = x.register_hook(lambda g: seen.append(g.tolist()))
    (x * 3 + x * x).sum().backward()
    assert seen == [[5.0, 7.0]] and x.grad.tolist() == [5.0, 7.0]
    handle.remove()
    (x * 2).sum().backward()
    assert seen == [[5.0, 7.0]] and x.grad.tolist() == [7.0, 9.0]


def test_a_returned_tensor_replaces_the_gradient_and_hooks_chain_in_order() -> None:
    x = _leaf(1.0, 2.0)
    seen = []
    x.register_hook(lambda g: seen.append(("first", g.tolist())))
    x.register_hook(lambda g: g + 1)
    x.register_hook(lambda g: seen.append(("third", g.tolist())))
    x.sum().backward()
    assert seen == [("first", [1.0, 1.0]), ("third", [2.0, 2.0])] and x.grad.tolist() == [2.0, 2.0]


def test_a_non_leaf_hook_changes_what_flows_on_and_what_retain_grad_keeps() -> None:
    a = _leaf(1.0, 2.0)
    b = a * 2
    b.retain_grad()
    b.register_hook(lambda g: g * 100)
    (b * b).sum().backward()
    assert b.grad.tolist() == [400.0, 800.0] and a.grad.tolist() == [800.0, 1600.0]


def test_hooks_in_the_middle_of_a_network_scale_the_parameters_gradients() -> None:
    trainer.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    x = trainer.randn(5, 3)
    net(x).sum().backward()
    plain = [p.grad.clone() for p in net.parameters()]
    net.zero_grad()
    handles = [p.register_hook(lambda g: g * 0.5) for p in net.parameters()]
    net(x).sum().backward()
    for p, g in zip(net.parameters(), plain):
        assert trainer.allclose(p.grad, g * 0.5)
    for h in handles:
        h.remove()


def test_hooks_on_a_root_leaf_and_with_autograd_grad() -> None:
    x = _leaf(1.0, 2.0)
    x.register_hook(lambda g: g * 2)
    x.backward(trainer.tensor([1.0, 3.0]))
    assert x.grad.tolist() == [2.0, 6.0]
    posted = []
    x.register_post_accumulate_grad_hook(lambda t: posted.append(t.grad.tolist()))
    grads = trainer.autograd.grad((x * 3).sum(), x)  # a leaf's tensor hooks run, its post-accumulate hooks not
    assert grads[0].tolist() == [6.0, 6.0] and posted == [] and x.grad.tolist() == [2.0, 6.0]
    b = x * 1
    b.register_hook(lambda g: g * 5)
    assert trainer.autograd.grad((b * 3).sum(), b)[0].tolist() == [15.0, 15.0]


def test_post_accumulate_grad_hooks_see_the_accumulated_grad() -> None:
    a = _leaf(1.0, 2.0)
    posted = []
    a.register_post_accumulate_grad_hook(lambda t: posted.append(t.grad.tolist()))
    (a * a).sum().backward()
    (a * 3).sum().backward()
    assert posted == [[2.0, 4.0], [5.0, 7.0]]


def test_hook_errors_are_pytorchs() -> None:
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
        trainer.tensor([1.0]).register_hook(print)
    with pytest.raises(RuntimeError, match="post accumulate grad hooks cannot be registered on non-leaf tensors"):
        (_leaf(1.0) * 2).register_post_accumulate_grad_hook(print)
    a = _leaf(1.0, 2.0)
    a.register_hook(lambda g: trainer.ones(3))
    with pytest.raises(RuntimeError, match="hook '<lambda>' has changed the size of value"):
        a.sum().backward()
    b = _leaf(1.0, 2.0)
    b.register_hook(lambda g: g.double())
    with pytest.raises(RuntimeError, match=r"has changed the type of value \(was torch.FloatTensor got "
                                           r"torch.DoubleTensor\)"):
        b.sum().backward()


def test_a_handle_works_as_a_context_manager_and_dies_with_its_tensor() -> None:
    x = _leaf(1.0)
    with x.register_hook(lambda g: g * 10):
        (x * 1).sum().backward()
    (x * 1).sum().backward()
    assert x.grad.tolist() == [11.0]
    before = len(HOOKS)
    y = _leaf(1.0)
    y.register_hook(lambda g: g)
    assert len(HOOKS) == before + 1
    del y
    assert len(HOOKS) == before
