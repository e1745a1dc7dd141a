"""Shape, indexing and joining ops: what the case tables cannot express (warnings, views and version counters,
in-place rules under autograd, identity of returned objects). Each behaviour was checked against PyTorch 2.13."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import trainer


def _no_warnings(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


# ----- warnings --------------------------------------------------------------------------------


def test_meshgrid_warns_without_indexing_and_defaults_to_ij():
    a, b = trainer.arange(2), trainer.arange(3)
    with pytest.warns(UserWarning, match="indexing argument"):
        grids = trainer.meshgrid(a, b)
    assert [tuple(g.shape) for g in grids] == [(2, 3), (2, 3)]
    explicit = _no_warnings(trainer.meshgrid, a, b, indexing="ij")
    assert all(trainer.equal(g, e) for g, e in zip(grids, explicit))
    assert [tuple(g.shape) for g in _no_warnings(trainer.meshgrid, a, b, indexing="xy")] == [(3, 2), (3, 2)]


def test_cartesian_prod_does_not_warn():
    out = _no_warnings(trainer.cartesian_prod, trainer.arange(2), trainer.arange(3))
    assert out.tolist() == [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]


def test_cross_without_dim_warns_for_batches_only():
    a = trainer.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    b = trainer.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    with pytest.warns(UserWarning, match="without specifying the dim"):
        out = trainer.cross(a, b)
    assert out.tolist() == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    assert _no_warnings(trainer.cross, a[0], b[0]).tolist() == [0.0, 0.0, 1.0]
    assert _no_warnings(trainer.cross, a, b, dim=1).tolist() == out.tolist()


# ----- views: shared storage and version counters ----------------------------------------------


@pytest.mark.parametrize("view", [
    lambda b: b.select(0, 1), lambda b: b.diagonal(), lambda b: b.movedim(0, 1), lambda b: b.swapaxes(0, 1),
    lambda b: b.tensor_split(3, 1)[0], lambda b: b.unflatten(1, (3, 1)), lambda b: b.hsplit([1])[1],
    lambda b: b.unfold(1, 2, 1), lambda b: b.t().unfold(0, 2, 1),
])
def test_views_share_their_base_storage_and_version(view):
    b = trainer.zeros(2, 3)
    v = view(b)
    b.add_(1)
    assert v._version == b._version == 1 and v._base is b
    assert float(v.sum()) == v.numel()  # the view sees the write


def test_writes_through_diagonal_reach_the_matrix():
    b = trainer.zeros(3, 3)
    b.diagonal(1).fill_(5)
    b.diagonal()[0] = 7
    assert b.tolist() == [[7.0, 5.0, 0.0], [0.0, 0.0, 5.0], [0.0, 0.0, 0.0]]
    assert b._version == 2


def test_in_place_on_a_diagonal_in_a_graph_rebases_the_matrix():
    x = trainer.arange(9.0, requires_grad=True)
    y = x.reshape(3, 3) * 1
    d = y.diagonal()
    d.mul_(2)
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 2.0]
    assert type(y.grad_fn).__name__ == "CopySlices" and type(d.grad_fn).__name__ == "AsStridedBackward0"
    assert d._version == y._version == 1


def test_diagonal_of_a_read_only_array_stays_read_only():
    base = trainer.from_numpy(np.broadcast_to(np.arange(3.0), (3, 3)))
    assert not base.diagonal()._array.flags.writeable


def test_unfold_of_a_broadcast_array_is_a_read_only_view():
    base = trainer.from_numpy(np.broadcast_to(np.arange(3.0), (2, 3)))
    windows = base.unfold(1, 2, 1)
    assert windows.tolist() == [[[0.0, 1.0], [1.0, 2.0]], [[0.0, 1.0], [1.0, 2.0]]] and windows._base is base
    assert not windows._array.flags.writeable


def test_new_tensors_are_not_views():
    b = trainer.zeros(2, 3)
    for out in (b.index_select(0, trainer.tensor([0])), b.rot90(), b.diag_embed(), b.take(trainer.tensor([0])),
                trainer.hstack([b, b]), b.repeat_interleave(2), b.masked_select(b == 0)):
        assert out._base is None and not np.shares_memory(out._array, b._array)


# ----- in-place variants under autograd's rules -------------------------------------------------


def test_leaf_and_views_of_leaves_refuse_in_place_writes():
    x = trainer.ones(3, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable"):
        x.diagonal().zero_()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        x.index_add_(0, trainer.tensor([0]), trainer.ones(1, 3))
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        x.transpose_(0, 1)
    with trainer.no_grad():
        x.index_fill_(1, trainer.tensor([0]), 2.0)
    assert x[:, 0].tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize("write", [
    lambda y: y.diagonal().zero_(),
    lambda y: y.index_add_(0, trainer.tensor([0]), trainer.ones(1, 3)),
    lambda y: y.index_put_((trainer.tensor([1]),), trainer.tensor(2.0)),
    lambda y: y.masked_scatter_(y > 0, trainer.zeros(9)),
    lambda y: y.put_(trainer.tensor([0]), trainer.tensor([3.0])),
])
def test_in_place_writes_invalidate_saved_tensors(write):
    x = trainer.ones(3, 3, requires_grad=True)
    y = x * 1
    z = (y * y).sum()  # Mul saves y
    write(y)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward()


def test_index_add_in_place_gradients():
    x = trainer.ones(3, requires_grad=True)
    s = trainer.ones(2, requires_grad=True)
    y = x * 2
    y.index_add_(0, trainer.tensor([0, 0]), s, alpha=3)
    (y * trainer.arange(3.0)).sum().backward()
    assert x.grad.tolist() == [0.0, 2.0, 4.0] and s.grad.tolist() == [0.0, 0.0]
    assert type(y.grad_fn).__name__ == "IndexAddBackward0" and y._version == 1


def test_index_put_in_place_gradients():
    x = trainer.ones(3, requires_grad=True)
    v = trainer.tensor(2.0, requires_grad=True)
    y = x * 2
    y.index_put_((trainer.tensor([1]),), v)
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 2.0] and v.grad.item() == 1.0
    assert type(y.grad_fn).__name__ == "IndexPutBackward0"


def test_transpose_in_place_in_a_graph():
    x = trainer.ones(2, 3, requires_grad=True)
    y = x * 1
    assert y.transpose_(0, 1) is y and tuple(y.shape) == (3, 2)
    (y * trainer.arange(2.0)).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]
    assert type(y.grad_fn).__name__ == "TransposeBackward1"


def test_in_place_methods_return_self():
    b = trainer.zeros(2, 3)
    src = trainer.ones(2, 1)
    for out in (b.index_add_(1, trainer.tensor([0]), src), b.index_copy_(1, trainer.tensor([1]), src),
                b.index_fill_(1, trainer.tensor([2]), 4.0), b.masked_scatter_(b == 0, trainer.ones(6)),
                b.index_put_((trainer.tensor([0]),), trainer.tensor(9.0)), b.put_(trainer.tensor([5]),
                                                                                   trainer.tensor([8.0])),
                b.swapaxes_(0, 1), b.swapdims_(0, 1)):
        assert out is b
    assert b.tolist() == [[9.0, 9.0, 9.0], [1.0, 1.0, 8.0]]


# ----- results ---------------------------------------------------------------------------------


def test_broadcast_shapes_is_a_size_and_atleast_returns_its_input():
    s = trainer.broadcast_shapes((2, 1), (3,))
    assert isinstance(s, trainer.Size) and repr(s) == "torch.Size([2, 3])"
    x = trainer.ones(2)
    assert trainer.atleast_1d(x) is x and trainer.atleast_2d(trainer.ones(2, 2)).shape == (2, 2)
    assert isinstance(trainer.atleast_1d(x, x), tuple) and isinstance(trainer.tensor_split(x, 2), tuple)


def test_index_select_gradient_accumulates_over_repeats():
    x = trainer.zeros(3, requires_grad=True)
    x.index_select(0, trainer.tensor([2, 0, 2, 2])).sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 3.0]


def test_methods_and_functions_agree():
    a = trainer.arange(12.0).reshape(3, 4)
    i = trainer.tensor([2, 0])
    pairs = [
        (trainer.index_select(a, 1, i), a.index_select(1, i)), (trainer.take(a, i), a.take(i)),
        (trainer.moveaxis(a, 0, 1), a.moveaxis(0, 1)), (trainer.swapdims(a, 0, 1), a.swapdims(0, 1)),
        (trainer.diagflat(a[0]), a[0].diagflat()), (trainer.tile(a, (2,)), a.tile((2,))),
        (trainer.fliplr(a), a.fliplr()), (trainer.kron(a, a), a.kron(a)), (trainer.diff(a), a.diff()),
    ]
    for f, m in pairs:
        assert trainer.equal(f, m)


def test_stack_of_unequal_shapes_raises_pytorchs_error() -> None:
    # PyTorch 2.13's RuntimeError and message, naming the first entry that differs from entry 0
    with pytest.raises(RuntimeError, match=r"^stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 "
                       r"and \[3, 3\] at entry 1$"):
        trainer.stack([trainer.ones(2, 3), trainer.ones(3, 3)])
    with pytest.raises(RuntimeError, match=r"but got \[2\] at entry 0 and \[2, 1\] at entry 2$"):
        trainer.stack([trainer.ones(2), trainer.ones(2), trainer.ones(2, 1)])
