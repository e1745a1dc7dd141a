"""inplace=True overwrites the input, with PyTorch's gradients and leaf rule."""

import pytest

import trainer
import trainer.nn.functional as F
from trainer import nn


def test_inplace_relu_overwrites_and_returns_its_input():
    x = trainer.tensor([-1.0, 2.0])
    assert nn.ReLU(inplace=True)(x) is x and x.tolist() == [0.0, 2.0]
    y = trainer.tensor([-1.0, 1.0])
    F.leaky_relu_(y, 0.5)
    assert y.tolist() == [-0.5, 1.0]
    w = trainer.tensor([1.0, -2.0], requires_grad=True)
    h = w * 3
    assert F.relu(h, inplace=True) is h
    (h * trainer.tensor([1.0, 1.0])).sum().backward()
    assert w.grad.tolist() == [3.0, 0.0]


def test_inplace_silu_keeps_what_its_backward_reads():
    w = trainer.tensor([0.5, -1.0], requires_grad=True)
    expected = trainer.autograd.grad(F.silu(w * 1).sum(), w)[0].tolist()
    h = w * 1
    F.silu(h, inplace=True).sum().backward()
    assert w.grad.tolist() == pytest.approx(expected)


def test_inplace_on_a_leaf_that_requires_grad_is_refused():
    with pytest.raises(RuntimeError, match="leaf Variable"):
        nn.ReLU(inplace=True)(trainer.ones(2, requires_grad=True))


def test_one_hot():
    assert F.one_hot(trainer.tensor([0, 2])).tolist() == [[1, 0, 0], [0, 0, 1]]
    with pytest.raises(RuntimeError, match="smaller than num_classes"):
        F.one_hot(trainer.tensor([3]), 2)
