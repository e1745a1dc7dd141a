"""In-place operators and `*_` methods: PyTorch's leaf rule, graph recording, version counters, views, dtypes."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from tests.autograd.inplace_cases import CASES, run
from tests.reference_data import assert_close, load_reference

CAST_TO_LONG = "result type (Float|Double) can't be cast to the desired output type Long"
LEAF_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation."


@pytest.mark.parametrize("name", sorted(CASES))
def test_in_place_case_matches_pytorch(name):
    expected = load_reference("inplace", "cases")[name]
    got = run(trainer, name)
    if "error" in expected:
        assert "error" in got, f"PyTorch raised: {expected['error']}"
        assert got["error"] == expected["error"]
        return
    assert "error" not in got, got.get("error")
    assert_close(got["output"], expected["output"], what=f"{name} output")
    for i, (g, e) in enumerate(zip(got["grads"], expected["grads"])):
        assert_close(g, e, what=f"{name} grad {i}")
    assert got["version"] == expected["version"]


def test_every_in_place_method_returns_self_and_keeps_the_storage():
    t = trainer.tensor([1.0, 4.0, 9.0])
    arr = t._array
    calls = [
        lambda: t.add_(1), lambda: t.add_(t, alpha=0.5), lambda: t.sub_(1), lambda: t.sub_(t, alpha=0.0),
        lambda: t.mul_(2), lambda: t.div_(2), lambda: t.pow_(1), lambda: t.abs_(), lambda: t.neg_(),
        lambda: t.neg_(), lambda: t.sqrt_(), lambda: t.exp_(), lambda: t.log_(), lambda: t.clamp_(0, 5),
        lambda: t.clamp_min_(1), lambda: t.clamp_max_(4), lambda: t.addcmul_(t, t, value=0.1),
        lambda: t.addcdiv_(t, t, value=0.1), lambda: t.lerp_(trainer.zeros(3), 0.5), lambda: t.masked_fill_(t > 3, 3),
        lambda: t.copy_(trainer.ones(3)), lambda: t.fill_(2), lambda: t.zero_(), lambda: t.uniform_(),
        lambda: t.normal_(), lambda: t.sigmoid_(), lambda: t.tanh_(), lambda: t.relu_(), lambda: t.sin_(),
        lambda: t.cos_(), lambda: t.clip_(-1, 1),
    ]
    for i, call in enumerate(calls, 1):
        assert call() is t
        assert t._array is arr and t._version == i


def test_in_place_operators_update_the_same_tensor():
    t = trainer.tensor([2.0, 4.0])
    same = t
    t += 1
    t -= 0.5
    t *= 2
    t /= 5
    t **= 2
    assert t is same and t._version == 5
    np.testing.assert_allclose(t.numpy(), [1.0, 3.24], rtol=1e-6)  # ((x + 1 - 0.5) * 2 / 5) ** 2
    i = trainer.tensor([7, 8])
    i //= 2
    i %= 3
    assert i.tolist() == [0, 1] and i.dtype == np.int64
    b = trainer.tensor([True, False])
    b &= trainer.tensor([True, True])
    b |= trainer.tensor([False, True])
    b ^= trainer.tensor([True, False])
    assert b.tolist() == [False, True]
    n = trainer.tensor([6, 3])
    n &= 3
    n |= 8
    n ^= 1
    assert n.tolist() == [11, 10]


def test_in_place_on_a_leaf_that_requires_grad_is_refused_while_grad_mode_is_on():
    p = trainer.ones(3, requires_grad=True)
    for call in (lambda: p.add_(1), lambda: p.zero_(), lambda: p.fill_(1), lambda: p.copy_(p),
                 lambda: p.normal_(), lambda: p.mul_(2), lambda: p.exp_(), lambda: p.clamp_(0, 1),
                 lambda: p.unsqueeze_(0), lambda: p.masked_fill_(p > 0, 0)):
        with pytest.raises(RuntimeError, match="^" + LEAF_MESSAGE.replace(".", r"\.") + "$"):
            call()
    with pytest.raises(RuntimeError, match="leaf Variable"):
        p -= 1
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        p[:2].add_(1)
    assert p.tolist() == [1.0, 1.0, 1.0] and p._version == 0


def test_hand_written_sgd_under_no_grad_updates_the_parameter_in_place():
    w = trainer.tensor([1.0, -2.0], requires_grad=True)
    same, arr = w, w._array
    (w * w).sum().backward()
    with trainer.no_grad():
        w -= 0.1 * w.grad
    assert w is same and w._array is arr and w.requires_grad and w.is_leaf and w.grad_fn is None
    np.testing.assert_allclose(w.detach().numpy(), [0.8, -1.6], rtol=1e-6)
    w.grad.zero_()
    assert w.grad.tolist() == [0.0, 0.0] and w._version == 1
    w.grad = None
    (w * 3).sum().backward()
    assert w.grad.tolist() == [3.0, 3.0]


def test_module_parameters_train_with_the_pytorch_loop():
    trainer.manual_seed(0)
    model = trainer.nn.Linear(2, 1)
    x = trainer.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    y = trainer.tensor([[1.0], [0.0], [2.0]])
    losses = []
    for _ in range(50):
        loss = ((model(x) - y) ** 2).mean()
        losses.append(loss.item())
        model.zero_grad()
        loss.backward()
        with trainer.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
    assert losses[-1] < 0.5 * losses[0]


def test_in_place_on_a_non_leaf_records_the_op():
    x = trainer.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    same = y
    y += 1
    assert y is same and y.grad_fn.name() == "AddBackward0" and not y.is_leaf and y._version == 1
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
    z = trainer.zeros(3)
    z += x  # a leaf that needs no grad takes the history of what it absorbed
    assert z.requires_grad and z.grad_fn.name() == "AddBackward0"


def test_version_counter_is_shared_by_views_but_not_by_data():
    base = trainer.zeros(2, 3)
    row, flat, det = base[0], base.reshape(6), base.detach()
    row += 1
    assert base._version == row._version == flat._version == det._version == 1
    assert row._base is base and flat._base is base
    flat.mul_(2)
    assert base.tolist() == [[2.0, 2.0, 2.0], [0.0, 0.0, 0.0]] and base._version == 2
    d = base.data
    d.fill_(5)
    assert base.tolist() == [[5.0] * 3] * 2 and base._version == 2 and d._version == 1
    base[1, 1] = 0.0
    assert row._version == 3


def test_in_place_through_a_view_of_a_graph_tensor_rebases_its_base_as_pytorch():
    x = trainer.ones(2, 3, requires_grad=True)
    y = x * 2
    row = y[0]
    row.add_(1)
    assert y.tolist() == [[3.0] * 3, [2.0] * 3] and y.grad_fn.name() == "CopySlices"
    assert row.grad_fn.name() == "AsStridedBackward0" and row.requires_grad
    (y * y).sum().backward()
    assert x.grad.tolist() == [[12.0] * 3, [8.0] * 3]
    a = trainer.tensor([1.0, 2.0, 3.0], requires_grad=True)
    c = a * 2
    c[1:].mul_(10)  # the op's own gradient (x10) flows through the rewritten region only
    c.sum().backward()
    assert c.tolist() == [2.0, 40.0, 60.0] and a.grad.tolist() == [2.0, 20.0, 20.0]
    w = trainer.tensor([5.0], requires_grad=True)
    z = trainer.zeros(3)
    z[1:2] = w * 3  # assignment of a graph value into a plain tensor records it (CopySlices)
    (z * trainer.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert z.tolist() == [0.0, 15.0, 0.0] and w.grad.tolist() == [6.0]
    with trainer.no_grad():
        y[0].add_(1)
    assert y.tolist()[0] == [4.0, 4.0, 4.0]


def test_in_place_through_several_strided_views_matches_pytorch():
    a = trainer.arange(6.0).reshape(2, 3).requires_grad_()
    b = a * 1
    b[:, 1].mul_(trainer.tensor([2.0, 3.0]))
    b.t()[2].add_(10)
    (b * b).sum().backward()
    # PyTorch 2.13 prints these for the same script
    assert b.tolist() == [[0.0, 2.0, 12.0], [3.0, 12.0, 15.0]]
    assert a.grad.tolist() == [[0.0, 8.0, 24.0], [6.0, 72.0, 30.0]]


def test_in_place_on_a_view_of_a_leaf_that_requires_grad_is_refused():
    x = trainer.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="view of a leaf Variable that requires grad"):
        x[0].add_(1)


def test_dtype_rules_refuse_results_that_cannot_be_cast():
    i = trainer.tensor([1, 2])
    for call in (lambda: i.add_(1.5), lambda: i.mul_(trainer.tensor([0.5, 1.0])), lambda: i.div_(2),
                 lambda: i.exp_(), lambda: i.sqrt_()):
        with pytest.raises(RuntimeError, match=CAST_TO_LONG):
            call()
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        i += 0.5
    assert i.tolist() == [1, 2] and i.dtype == np.int64
    i += 3
    i.add_(trainer.tensor([True, False]))
    assert i.tolist() == [5, 5]
    f = trainer.tensor([1.0, 2.0])
    f += trainer.tensor([1.0, 1.0], dtype=trainer.float64)  # same kind: cast down, as PyTorch does
    assert f.dtype == np.float32 and f.tolist() == [2.0, 3.0]
    f.copy_(trainer.tensor([7, 8]))
    f.fill_(3)
    assert f.tolist() == [3.0, 3.0]
    i.copy_(trainer.tensor([1.7, 2.2]))  # copy_ and fill_ cast anything
    assert i.tolist() == [1, 2]
    with pytest.raises(RuntimeError, match=r"output with shape \[2\] doesn't match the broadcast shape \[2, 2\]"):
        f += trainer.ones(2, 2)
    with pytest.raises(RuntimeError, match="not implemented for 'Float'"):
        f &= 1


def test_masked_fill_needs_a_boolean_mask():
    t = trainer.tensor([1.0, 2.0, 3.0])
    t.masked_fill_(trainer.tensor([True, False, True]), -1)
    assert t.tolist() == [-1.0, 2.0, -1.0]
    with pytest.raises(RuntimeError, match="boolean masks"):
        t.masked_fill_(trainer.tensor([1, 0, 1]), 0)


def test_shape_changing_in_place_ops():
    t = trainer.tensor([[1.0, 2.0, 3.0]])
    arr = t._array
    assert t.squeeze_() is t and t.shape == (3,) and np.shares_memory(t._array, arr)
    t.unsqueeze_(1)
    assert t.shape == (3, 1)
    t.t_()
    assert t.shape == (1, 3) and t.tolist() == [[1.0, 2.0, 3.0]]


def test_data_is_a_detached_tensor_sharing_storage():
    p = trainer.nn.Parameter(trainer.tensor([3.0, -4.0]))
    d = p.data
    assert isinstance(d, trainer.Tensor) and not d.requires_grad and d.grad_fn is None and d.is_leaf
    assert d._array is p._array and "requires_grad" not in repr(d)
    p.data.add_(1)
    p.data.mul_(2).abs_()
    assert p.tolist() == [8.0, 6.0]
    assert p.data.abs().sum().item() == 14.0
    p.data.normal_()
    p.data.fill_(0.5)
    assert p.tolist() == [0.5, 0.5]
    p.data = trainer.tensor([1.0, 2.0, 3.0])
    assert p.shape == (3,) and p.requires_grad and p.is_leaf
    with pytest.raises(TypeError, match="data has to be a tensor"):
        p.data = np.zeros(3)
    y = p * 2
    assert y.data.grad_fn is None and y.data.tolist() == [2.0, 4.0, 6.0]


def test_numpy_refuses_tensors_that_require_grad():
    p = trainer.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad"):
        p.numpy()
    assert p.detach().numpy().tolist() == [1.0, 1.0] and p.data.numpy().tolist() == [1.0, 1.0]


def test_optimizers_and_zero_grad_still_work_on_the_internal_array():
    model = trainer.nn.Linear(3, 2)
    opt = trainer.optim.Adam(model.parameters(), lr=0.01)
    before = [p.detach().numpy().copy() for p in model.parameters()]
    model(trainer.ones(4, 3)).sum().backward()
    opt.step()
    assert all(not np.array_equal(b, p.detach().numpy()) for b, p in zip(before, model.parameters()))
    model.zero_grad()
    assert all(p.grad is None or not p.grad.numpy().any() for p in model.parameters())
