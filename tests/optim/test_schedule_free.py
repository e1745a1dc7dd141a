"""Schedule-free modes as in schedulefree: steps only in train mode, train()/eval() idempotent and inverse."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer import optim

CLASSES = [optim.AdamWScheduleFree, optim.SGDScheduleFree, optim.RAdamScheduleFree]


def _stepped(cls: type[optim.Optimizer], steps: int = 8) -> tuple[optim.Optimizer, trainer.Tensor]:
    w = trainer.tensor([[1.0, -2.0], [0.5, 3.0]], dtype="float64", requires_grad=True)
    opt = cls([w], lr=0.1)
    opt.train()
    for _ in range(steps):
        opt.zero_grad()
        ((w * w).sum() + w.sum()).backward()
        opt.step()
    return opt, w


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_step_in_eval_mode_raises_as_the_reference(cls: type[optim.Optimizer]) -> None:
    w = trainer.tensor([1.0, 2.0], requires_grad=True)
    opt = cls([w])
    (w * w).sum().backward()
    with pytest.raises(RuntimeError, match="not in train mode when step is called"):
        opt.step()  # a fresh optimizer is in eval mode, as schedulefree's is
    opt, _ = _stepped(cls)
    opt.eval()
    with pytest.raises(RuntimeError, match="insert .train\\(\\) and .eval\\(\\)"):
        opt.step()


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_train_and_eval_move_between_y_and_x_once(cls: type[optim.Optimizer]) -> None:
    opt, w = _stepped(cls)
    y = w._array.copy()
    opt.train()
    np.testing.assert_array_equal(w._array, y)  # already in train mode: nothing moves
    opt.eval()
    x = w._array.copy()
    assert not np.array_equal(x, y)
    opt.eval()
    np.testing.assert_array_equal(w._array, x)
    assert opt.param_groups[0]["train_mode"] is False
    opt.train()
    np.testing.assert_allclose(w._array, y, rtol=1e-12)


def test_eval_before_any_step_leaves_the_parameters() -> None:
    w = trainer.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.AdamWScheduleFree([w])
    opt.train()
    opt.eval()
    np.testing.assert_array_equal(w._array, np.array([1.0, 2.0], np.float32))


def test_prodigy_refuses_different_group_lrs_but_zero() -> None:
    a = trainer.tensor([1.0, 2.0], requires_grad=True)
    b = trainer.tensor([3.0], requires_grad=True)
    opt = optim.Prodigy([{"params": [a]}, {"params": [b], "lr": 0.5}])
    ((a * a).sum() + (b * b).sum()).backward()
    with pytest.raises(RuntimeError, match="different lr values"):
        opt.step()


def test_lion_needs_a_positive_lr_and_no_triton() -> None:
    w = trainer.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="Invalid learning rate"):
        optim.Lion([w], lr=0.0)
    with pytest.raises(ValueError, match="use_triton"):
        optim.Lion([w], use_triton=True)


def test_lookahead_passes_train_and_eval_to_the_optimizer_it_wraps() -> None:
    """A wrapped schedule-free optimizer still switches points when the loop calls the wrapper's train()/eval()."""
    p = trainer.nn.Parameter(trainer.ones(3))
    inner = optim.SGDScheduleFree([p], lr=0.1)
    wrapper = optim.Lookahead(inner, k=2, alpha=0.5)
    wrapper.train()
    assert inner.param_groups[0]["train_mode"]
    for _ in range(3):
        wrapper.zero_grad()
        (p**2).sum().backward()
        wrapper.step()
    wrapper.eval()
    assert not inner.param_groups[0]["train_mode"]
