"""The Tensor API: creation, dtypes, gradient accumulation, graph freeing, grad mode, printing."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import trainer

from .op_cases import CASES, draw_inputs


class TestCreation:
    def test_python_floats_are_float32_and_ints_int64(self) -> None:
        assert trainer.tensor([1.0, 2.0]).dtype == np.float32
        assert trainer.tensor([1, 2]).dtype == np.int64
        assert trainer.tensor(3.5).shape == ()

    def test_float64_when_asked(self) -> None:
        assert trainer.tensor([1.0], dtype="float64").dtype == np.float64
        assert trainer.tensor([1.0], dtype=np.float64).dtype == trainer.float64
        assert trainer.zeros(2, 3, dtype="float64").dtype == np.float64

    def test_numpy_arrays_keep_their_dtype_and_are_copied(self) -> None:
        a = np.arange(3.0)
        t = trainer.tensor(a)
        assert t.dtype == np.float64
        a[0] = 100
        assert t._array[0] == 0

    def test_factories(self) -> None:
        assert trainer.zeros(2, 3).shape == (2, 3)
        assert trainer.ones((4,))._array.sum() == 4
        assert trainer.zeros_like(trainer.ones(2, dtype="float64")).dtype == np.float64
        assert trainer.ones_like(trainer.zeros(3))._array.tolist() == [1, 1, 1]
        assert trainer.arange(5).dtype == np.int64
        assert trainer.arange(0, 1, 0.25).dtype == np.float32
        assert trainer.arange(0.0, 1.0, 0.25)._array.tolist() == [0, 0.25, 0.5, 0.75]
        r = trainer.rand(1000)
        assert r.dtype == np.float32 and 0 <= r._array.min() and r._array.max() < 1
        assert trainer.randn(3, 4, dtype="float64").dtype == np.float64

    def test_requires_grad_only_for_floats(self) -> None:
        with pytest.raises(RuntimeError, match="floating point"):
            trainer.tensor([1, 2], requires_grad=True)

    def test_manual_seed_gives_identical_draws(self) -> None:
        trainer.manual_seed(7)
        a = trainer.randn(5)._array.copy(), trainer.rand(3)._array.copy()
        trainer.manual_seed(7)
        b = trainer.randn(5)._array, trainer.rand(3)._array
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
        trainer.manual_seed(8)
        assert not np.array_equal(a[0], trainer.randn(5)._array)

    def test_rng_state_round_trip(self) -> None:
        trainer.manual_seed(1)
        state = trainer.get_rng_state()
        first = trainer.randn(4)._array.copy()
        trainer.set_rng_state(state)
        assert np.array_equal(first, trainer.randn(4)._array)


class TestDtypes:
    @pytest.mark.parametrize("name", sorted(CASES))
    def test_float32_stays_float32(self, name: str) -> None:
        case = CASES[name]
        inputs = draw_inputs(case, zlib.crc32(name.encode()))
        tensors = [trainer.tensor(x.astype(np.float32), requires_grad=True) for x in inputs]
        out = case.fn(trainer, *tensors)
        assert out.dtype == np.float32
        out.sum().backward()
        assert all(t.grad.dtype == np.float32 for t in tensors)

    def test_integer_tensor_meets_float_scalar(self) -> None:
        assert (trainer.tensor([1, 2]) * 0.5).dtype == np.float32
        assert (trainer.tensor([1, 2]) / 2).dtype == np.float32
        assert (trainer.tensor([1, 2]) + 1).dtype == np.int64

    def test_mixed_float_widths_promote_like_pytorch(self) -> None:
        a = trainer.ones(2, requires_grad=True)
        b = trainer.ones(2, dtype="float64")
        out = a * b
        assert out.dtype == np.float64
        out.sum().backward()
        assert a.grad.dtype == np.float32

    def test_to_and_casts(self) -> None:
        x = trainer.ones(2, requires_grad=True)
        y = x.double()
        assert y.dtype == np.float64
        (y * 3).sum().backward()
        assert x.grad.dtype == np.float32 and x.grad._array.tolist() == [3, 3]
        assert x.detach().long().dtype == np.int64
        assert x.to("float64").dtype == np.float64


class TestAutograd:
    def test_grad_accumulates_until_zeroed(self) -> None:
        x = trainer.tensor([1.0, 2.0], requires_grad=True)
        (x * 3).sum().backward()
        (x * 3).sum().backward()
        assert x.grad._array.tolist() == [6, 6]
        x.grad.zero_()
        (x * x).sum().backward()
        assert x.grad._array.tolist() == [2, 4]
        x.grad = None
        x.sum().backward()
        assert x.grad._array.tolist() == [1, 1]

    def test_non_leaf_grads_are_not_kept(self) -> None:
        x = trainer.tensor([1.0, 2.0], requires_grad=True)
        h = x * 2
        h.sum().backward()
        assert h.grad is None and not h.is_leaf and x.is_leaf

    def test_second_backward_needs_retain_graph(self) -> None:
        x = trainer.tensor([1.0, 2.0], requires_grad=True)
        y = (x.exp() * 2).sum()
        y.backward(retain_graph=True)
        y.backward()
        np.testing.assert_allclose(x.grad._array, 4 * np.exp([1.0, 2.0]), rtol=1e-6)
        with pytest.raises(RuntimeError, match="second time.*retain_graph=True"):
            y.backward()

    def test_shared_subgraph_is_differentiated_once_per_path(self) -> None:
        x = trainer.tensor(3.0, dtype="float64", requires_grad=True)
        h = x * x
        (h + h * h).backward()
        assert x.grad.item() == pytest.approx(2 * 3 + 4 * 27)

    def test_backward_errors(self) -> None:
        with pytest.raises(RuntimeError, match="does not require grad"):
            trainer.ones(2).sum().backward()
        x = trainer.ones(2, requires_grad=True)
        with pytest.raises(RuntimeError, match="only for scalar outputs"):
            (x * 2).backward()
        (x * 2).backward(trainer.tensor([1.0, 10.0]))
        assert x.grad._array.tolist() == [2, 20]

    def test_deep_chain_has_no_recursion_limit(self) -> None:
        x = trainer.tensor(1.0, dtype="float64", requires_grad=True)
        y = x
        for _ in range(10_000):
            y = y * 1.0001 + 0.0
        y.backward()
        assert x.grad.item() == pytest.approx(1.0001**10_000)

    def test_no_grad_context_and_decorator(self) -> None:
        x = trainer.ones(2, requires_grad=True)
        with trainer.no_grad():
            assert not (x * 2).requires_grad
            assert not trainer.is_grad_enabled()
            with trainer.enable_grad():
                assert (x * 2).requires_grad
        assert trainer.is_grad_enabled()

        @trainer.no_grad()
        def f(t):
            return t * 2

        assert not f(x).requires_grad
        assert (x * 2).requires_grad

        @trainer.no_grad
        def g(t):
            return t * 2

        assert not g(x).requires_grad and g.__name__ == "g"
        with trainer.set_grad_enabled(False):
            assert not (x * 2).requires_grad
        assert trainer.is_grad_enabled()

    def test_grad_mode_decorators_on_methods_nest_and_restore_on_errors(self) -> None:
        x = trainer.ones(2, requires_grad=True)

        class Model:
            @trainer.no_grad()
            def frozen(self, t, depth=0):
                inner = self.frozen(t, depth - 1) if depth else None
                return t * 2, trainer.is_grad_enabled(), inner

            @trainer.no_grad()
            def fails(self):
                raise ValueError("boom")

        out, enabled, inner = Model().frozen(x, depth=1)
        assert not out.requires_grad and not enabled and inner[1] is False
        assert trainer.is_grad_enabled() and Model.frozen.__name__ == "frozen"
        with pytest.raises(ValueError, match="boom"):
            Model().fails()
        assert trainer.is_grad_enabled()

        @trainer.enable_grad()
        def recorded(t):
            return t * 2

        with trainer.no_grad():
            assert recorded(x).requires_grad and not trainer.is_grad_enabled()

    def test_no_graph_for_constants(self) -> None:
        y = trainer.ones(3) * 2 + 1
        assert not y.requires_grad and y.is_leaf

    def test_detach_shares_data(self) -> None:
        x = trainer.ones(2, requires_grad=True)
        d = x.detach()
        assert not d.requires_grad and d._array is x._array

    def test_inplace_on_leaf_needs_no_grad(self) -> None:
        w = trainer.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="in-place"):
            w.add_(1.0)
        with trainer.no_grad():
            w.sub_(trainer.tensor([1.0, 2.0, 3.0]), alpha=0.5)
            w.mul_(2.0)
        assert w._array.tolist() == [1.0, 0.0, -1.0]
        ident = id(w._array)
        with trainer.no_grad():
            w.zero_()
        assert id(w._array) == ident and w._array.tolist() == [0, 0, 0]


class TestOps:
    def test_max_and_min_over_a_dim_return_values_and_indices(self) -> None:
        x = trainer.tensor([[1.0, 5.0, 3.0], [7.0, 2.0, 0.0]])
        values, indices = x.max(dim=1)
        assert values._array.tolist() == [5, 7] and indices._array.tolist() == [1, 0]
        assert indices.dtype == np.int64
        assert x.min(dim=0).indices._array.tolist() == [0, 1, 1]
        assert trainer.max(x).item() == 7

    def test_indexing_with_numpy_and_tensor_indices(self) -> None:
        x = trainer.arange(12.0).reshape(4, 3)
        assert x[np.array([3, 0])]._array[:, 0].tolist() == [9, 0]
        assert x[trainer.tensor([1, 1])].shape == (2, 3)
        assert x[:, 0:1].shape == (4, 1)

    @pytest.mark.parametrize(("a", "b", "message"), [  # PyTorch 2.13's texts for the same shapes
        ((2, 3), (2, 3), "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"),
        ((3,), (2,), "inconsistent tensor size, expected tensor [3] and src [2] to have the same number of elements, "
                     "but got 3 and 2 elements respectively"),
        ((2, 3), (2,), "size mismatch, got input (2), mat (2x3), vec (2)"),
        ((3,), (2, 3), "mat1 and mat2 shapes cannot be multiplied (1x3 and 2x3)"),
        ((2, 2, 3), (2, 4, 5),
         "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4]."),
        ((2, 2, 3), (3, 4, 5),
         "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"),
        ((2, 3), (4, 2, 5), "Expected size for first two dimensions of batch2 tensor to be: [4, 3] but got: [4, 2]."),
        ((2, 2, 3), (2,), "size mismatch, got input (4), mat (4x3), vec (2)"),
        ((), (3,), "both arguments to matmul need to be at least 1D, but they are 0D and 1D"),
    ])
    def test_matmul_shape_errors_are_pytorchs(self, a: tuple, b: tuple, message: str) -> None:
        with pytest.raises(RuntimeError) as info:
            trainer.ones(*a) @ trainer.ones(*b)
        assert str(info.value) == message

    def test_comparisons_give_bool_tensors(self) -> None:
        x = trainer.tensor([1.0, -1.0])
        assert (x > 0).dtype == np.bool_ and (x > 0)._array.tolist() == [True, False]
        assert (x == 1.0)._array.tolist() == [True, False]

    def test_ties_share_gradient_like_pytorch(self) -> None:
        x = trainer.tensor([2.0, 2.0, 1.0], requires_grad=True)
        x.max().backward()
        assert x.grad._array.tolist() == [0.5, 0.5, 0]
        a = trainer.tensor([1.0], requires_grad=True)
        b = trainer.tensor([1.0], requires_grad=True)
        trainer.maximum(a, b).backward()
        assert a.grad.item() == 0.5 and b.grad.item() == 0.5

    def test_clamp_gradient_passes_at_the_bounds(self) -> None:
        x = trainer.tensor([-1.0, 0.0, 0.5, 1.0, 2.0], requires_grad=True)
        x.clamp(0.0, 1.0).sum().backward()
        assert x.grad._array.tolist() == [0, 1, 1, 1, 0]

    def test_item_numpy_and_len(self) -> None:
        x = trainer.tensor([[1.5]])
        assert x.item() == 1.5 and isinstance(x.numpy(), np.ndarray) and len(x) == 1
        with pytest.raises(RuntimeError, match="detach"):
            trainer.ones(1, requires_grad=True).numpy()


class TestRepr:
    def test_repr_shows_values_and_non_default_dtype(self) -> None:
        assert repr(trainer.tensor([1.0, 2.5])) == "tensor([1.0000, 2.5000])"
        assert "dtype=torch.float64" in repr(trainer.tensor([1.0], dtype="float64"))
        assert repr(trainer.tensor([1, 2])) == "tensor([1, 2])"
        assert "requires_grad=True" in repr(trainer.ones(1, requires_grad=True))
        assert "grad_fn=<MulBackward0>" in repr(trainer.ones(1, requires_grad=True) * 2)


def test_dtypes_print_as_pytorchs_and_stand_in_for_numpy_dtypes() -> None:
    x = trainer.zeros(2, dtype=trainer.float64)
    assert str(x.dtype) == repr(x.dtype) == "torch.float64" and x.dtype is trainer.float64
    assert x.dtype == np.float64 and np.dtype(x.dtype) == np.float64 and {np.dtype("float64"): 1}[x.dtype] == 1
    assert x.dtype != None and trainer.float32 != trainer.float64  # noqa: E711 - numpy says float64 == None
    assert x.type() == "torch.DoubleTensor" and x.type("torch.FloatTensor").dtype is trainer.float32
    assert np.zeros(2).astype(trainer.float32).dtype == np.float32 and trainer.get_default_dtype() is trainer.float32
