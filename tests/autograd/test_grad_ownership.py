"""Leaf gradients are handed over without a copy only when nothing else can see them.

The backward walk steals an unshared gradient array for a leaf's `.grad` (as PyTorch's AccumulateGrad
does); every shared one must be copied, or later in-place accumulation and optimizer steps would write
into another tensor's gradient, a saved array or the caller's `gradient`.
"""

from __future__ import annotations

import numpy as np

import trainer
from trainer.autograd.tensor import Tensor


def _leaf(values: list[float]) -> Tensor:
    return trainer.tensor(values, requires_grad=True)


def test_fresh_gradient_is_stolen_not_copied() -> None:
    x = _leaf([1.0, 2.0])
    made: list[int] = []

    def backward(g: np.ndarray):
        fresh = g * 3.0
        made.append(id(fresh))  # an id, not a reference: the array stays unshared
        return (fresh,)

    Tensor._make(x._array * 3.0, (x,), backward, "Triple").sum().backward()
    assert id(x.grad._array) == made[0]
    np.testing.assert_array_equal(x.grad._array, [3.0, 3.0])


def test_gradient_kept_by_the_rule_is_copied() -> None:
    x = _leaf([1.0, 2.0])
    kept = np.array([5.0, 6.0], dtype=np.float32)
    Tensor._make(x._array.copy(), (x,), lambda g: (kept,), "Kept").sum().backward()
    assert not np.shares_memory(x.grad._array, kept)
    x.grad._array += 1
    np.testing.assert_array_equal(kept, [5.0, 6.0])


def test_one_array_sent_to_two_leaves_is_not_shared() -> None:
    a, b = _leaf([1.0, 2.0]), _leaf([3.0, 4.0])
    (a + b).backward(trainer.tensor([1.0, 1.0]))
    assert not np.shares_memory(a.grad._array, b.grad._array)
    a.grad._array += 10
    np.testing.assert_array_equal(b.grad._array, [1.0, 1.0])


def test_same_leaf_twice_accumulates() -> None:
    x = _leaf([1.0, 2.0])
    (x + x).sum().backward()
    np.testing.assert_array_equal(x.grad._array, [2.0, 2.0])
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad._array, [4.0, 6.0])


def test_callers_gradient_array_is_never_written() -> None:
    x = _leaf([1.0, 2.0])
    seed = np.array([1.0, 1.0], dtype=np.float32)
    y = x.clone()
    y.backward(seed)
    x.grad._array *= 7
    np.testing.assert_array_equal(seed, [1.0, 1.0])
    root = _leaf([0.0, 0.0])
    root.backward(seed)
    assert not np.shares_memory(root.grad._array, seed)


def test_views_are_copied() -> None:
    x = _leaf([[1.0, 2.0], [3.0, 4.0]])
    y = x.reshape(4) * 2.0
    y.sum().backward()
    assert x.grad._array.base is None or not np.shares_memory(x.grad._array, y._array)
    np.testing.assert_array_equal(x.grad._array, [[2.0, 2.0], [2.0, 2.0]])
    assert x.grad._array.flags.writeable


def test_linear_gradients_are_independent_and_writable() -> None:
    lin = trainer.nn.Linear(3, 2)
    x = trainer.randn(4, 3, requires_grad=True)
    lin(x).sum().backward()
    grads = [lin.weight.grad._array, lin.bias.grad._array, x.grad._array]
    for i, g in enumerate(grads):
        assert g.flags.writeable
        for other in grads[i + 1 :]:
            assert not np.shares_memory(g, other)


def test_inner_node_with_many_consumers_sums_without_touching_shared_arrays() -> None:
    x = _leaf([1.0, 2.0])
    y = x * 2.0
    seed = np.array([1.0, 1.0], dtype=np.float32)
    (y + y + y * 3.0 + y).backward(seed)  # y's gradient: two shared arrays, then a fresh one, then shared
    np.testing.assert_array_equal(x.grad._array, [12.0, 12.0])
    np.testing.assert_array_equal(seed, [1.0, 1.0])
    a = _leaf([1.0, -1.0])
    b = a.exp()
    total = b.sum() + (b * b).sum() + b.mean()
    total.backward()
    e = np.exp(np.array([1.0, -1.0], dtype=np.float32))
    np.testing.assert_allclose(a.grad._array, e * (1 + 2 * e + 0.5), rtol=1e-6)


def test_zero_dim_gradients_stay_arrays() -> None:
    """0-d products are numpy scalars, which cannot be updated in place: they are copied into arrays."""
    x = trainer.tensor(3.0, dtype="float64", requires_grad=True)
    h = x * x
    (h + h * h + h * h).backward()
    assert x.grad.item() == 2 * 3 + 2 * 4 * 27
    assert type(x.grad._array) is np.ndarray and x.grad._array.flags.writeable
    w = trainer.tensor(2.0, requires_grad=True)
    (w * 3.0).backward()
    assert type(w.grad._array) is np.ndarray
