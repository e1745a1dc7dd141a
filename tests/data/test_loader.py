"""Batching: full batch, sizes, and a shuffle order that comes from the library's seeded generator."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer.data import DataLoader, iterate_batches, num_batches

X = np.arange(20.0).reshape(10, 2)
Y = np.arange(10)


def test_full_batch_is_the_arrays_themselves_and_draws_nothing():
    trainer.manual_seed(0)
    state = trainer.get_rng_state()
    batches = list(DataLoader(X, Y, batch_size=None, shuffle=True))
    assert len(batches) == 1 and batches[0][0] is X and batches[0][1] is Y
    assert np.array_equal(trainer.get_rng_state().numpy(), state.numpy())


def test_batch_counts_follow_pytorch():
    assert [num_batches(10, b) for b in (None, 3, 5, 10, 20)] == [1, 4, 2, 1, 1]
    assert [num_batches(10, b, drop_last=True) for b in (3, 5, 20)] == [3, 2, 0]
    sizes = [len(xb) for xb, _ in DataLoader(X, Y, batch_size=3)]
    assert sizes == [3, 3, 3, 1]
    assert [len(xb) for xb, _ in DataLoader(X, Y, batch_size=3, drop_last=True)] == [3, 3, 3]


def test_unshuffled_batches_keep_the_order():
    xs = np.concatenate([xb for xb, _ in DataLoader(X, Y, batch_size=4)])
    assert np.array_equal(xs, X)


def test_shuffle_follows_the_library_generator_and_resumes_from_its_state():
    loader = DataLoader(X, Y, batch_size=4, shuffle=True)
    trainer.manual_seed(3)
    first = [yb.tolist() for _, yb in loader]
    state = trainer.get_rng_state()
    second = [yb.tolist() for _, yb in loader]
    assert first != second and sorted(sum(first, [])) == list(range(10))
    trainer.manual_seed(3)
    assert [yb.tolist() for _, yb in loader] == first
    trainer.manual_seed(99)
    trainer.set_rng_state(state)
    assert [yb.tolist() for _, yb in loader] == second
    for xb, yb in loader:
        assert np.array_equal(xb, X[yb])


def test_iterate_batches_with_an_explicit_generator():
    a = [yb.tolist() for _, yb in iterate_batches(X, Y, 5, shuffle=True, generator=np.random.default_rng(1))]
    b = [yb.tolist() for _, yb in iterate_batches(X, Y, 5, shuffle=True, generator=np.random.default_rng(1))]
    assert a == b and len(a) == 2


def test_bad_arguments():
    with pytest.raises(ValueError, match="rows"):
        DataLoader(X, Y[:3])
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(X, Y, batch_size=0)


def test_shuffle_is_pytorchs_randperm_and_takes_a_generator_object():
    x, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    trainer.manual_seed(3)
    order = np.concatenate([yb for _, yb in DataLoader(x, y, batch_size=4, shuffle=True)])
    trainer.manual_seed(3)
    np.testing.assert_array_equal(order, trainer.randperm(10).numpy())
    g = trainer.Generator().manual_seed(3)
    again = np.concatenate([yb for _, yb in DataLoader(x, y, batch_size=4, shuffle=True, generator=g)])
    np.testing.assert_array_equal(again, order)
    from_numpy = DataLoader(x, y, batch_size=4, shuffle=True, generator=lambda: np.random.default_rng(0))
    expected = np.random.default_rng(0).permutation(10)
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in from_numpy]), expected)


@pytest.mark.parametrize("n,batch_size", [(0, None), (0, 4), (5, None), (5, 5), (5, 9), (5, 2)])
def test_iterate_batches_gives_what_the_data_loader_gives(n, batch_size):
    x, y = np.arange(n * 2.0).reshape(n, 2), np.arange(float(n))
    fast = list(iterate_batches(x, y, batch_size, shuffle=False))
    slow = list(iter(DataLoader(x, y, batch_size, shuffle=False)))
    assert len(fast) == len(slow)
    for (fx, fy), (sx, sy) in zip(fast, slow, strict=True):
        assert np.array_equal(fx, sx) and np.array_equal(fy, sy)
    if batch_size is None or (n and batch_size >= n):
        assert all(bx is x and by is y for bx, by in fast)  # no copy, no view


def test_iterate_batches_still_checks_its_arrays():
    with pytest.raises(ValueError, match="rows"):
        list(iterate_batches(np.zeros((3, 1)), np.zeros(2), None))
