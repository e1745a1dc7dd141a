"""`create_graph=True` beyond the values (value_cases_higher_order.py checks those against PyTorch): what the
walk keeps, frees, warns about and refuses."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import trainer
from trainer.autograd import higher_order


def test_gradients_are_graphs_and_the_graph_is_kept() -> None:
    x = trainer.tensor([1.0, 2.0], requires_grad=True)
    y = (x**3).sum()
    (g,) = trainer.autograd.grad(y, x, create_graph=True)
    assert g.requires_grad and g.grad_fn is not None
    (again,) = trainer.autograd.grad(y, x)  # retain_graph defaults to create_graph, as in PyTorch
    np.testing.assert_array_equal(again._array, [3.0, 12.0])


def test_retain_graph_false_frees_it() -> None:
    x = trainer.tensor([1.0, 2.0], requires_grad=True)
    y = (trainer.tanh(x) * x).sum()
    trainer.autograd.grad(y, x, create_graph=True, retain_graph=False)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        trainer.autograd.grad(y, x, create_graph=True)


def test_backward_with_create_graph_warns_once_and_keeps_graph_grads() -> None:
    higher_order._WARNED[0] = False
    x = trainer.tensor([1.0, -1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="reference cycle between the parameter and its gradient"):
        (x**3).sum().backward(create_graph=True)
    assert x.grad.requires_grad
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x**3).sum().backward(create_graph=True)  # once per process
        trainer.autograd.grad((x**3).sum(), x, create_graph=True)  # autograd.grad never warns
    np.testing.assert_array_equal(x.grad._array, [6.0, 6.0])


def test_ops_without_a_rule_name_themselves() -> None:
    x = trainer.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="cannot differentiate the gradient of LogcumsumexpBackward0"):
        trainer.autograd.grad(trainer.logcumsumexp(x, 0).sum(), x, create_graph=True)
    (g,) = trainer.autograd.grad((trainer.logcumsumexp(x, 0) * x).sum(), x)  # first order is unaffected
    assert g.shape == (3,) and not g.requires_grad


def test_rules_needing_arguments_refuse_nodes_recorded_without_them() -> None:
    x = trainer.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w = trainer.tensor([[1.0, 0.5], [0.5, 1.0]])
    loss = trainer.nn.functional.mse_loss(x, w, weight=trainer.tensor([[1.0, 2.0], [1.0, 1.0]]))
    with pytest.raises(RuntimeError, match="MseLossBackward0"):
        trainer.autograd.grad(loss, x, create_graph=True)


def test_inplace_change_after_forward_is_refused() -> None:
    x = trainer.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    y = (h * h).sum()
    with trainer.no_grad():
        h.mul_(3)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        trainer.autograd.grad(y, x, create_graph=True)


def test_leaf_hooks_see_the_summed_gradient_once() -> None:
    x = trainer.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g._array.copy()))
    trainer.autograd.grad((x * x + trainer.sin(x)).sum(), x, create_graph=True)
    assert len(seen) == 1
    np.testing.assert_allclose(seen[0], 2 * np.array([1.0, 2.0]) + np.cos([1.0, 2.0]))


def test_an_adam_step_on_a_gradient_penalty_trains() -> None:
    """The gradients that create_graph leaves in `.grad` are graphs; optimizers step on their values."""
    trainer.manual_seed(0)
    net = trainer.nn.Sequential(trainer.nn.Linear(2, 8), trainer.nn.Tanh(), trainer.nn.Linear(8, 1))
    opt = trainer.optim.Adam(net.parameters(), lr=0.05)
    x = trainer.randn(16, 2, requires_grad=True)
    penalties = []
    for _ in range(30):
        opt.zero_grad()
        (g,) = trainer.autograd.grad(net(x).sum(), x, create_graph=True)
        penalty = ((g.norm(2, dim=1) - 1) ** 2).mean()
        penalty.backward()
        opt.step()
        penalties.append(penalty.item())
    assert penalties[-1] < 0.1 * penalties[0]
