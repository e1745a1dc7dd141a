"""Engine behaviours a PyTorch user relies on beyond the op references: dtypes, keywords, edge gradients."""

from __future__ import annotations

import numpy as np
import pytest

import trainer


def test_pytorch_dtype_names() -> None:
    assert trainer.zeros(2, dtype=trainer.float).dtype == np.float32
    assert trainer.zeros(2, dtype=trainer.bool).dtype == np.bool_
    assert trainer.zeros(2, dtype=trainer.int).dtype == np.int32
    assert trainer.zeros(2, dtype=trainer.long).dtype == np.int64


def test_integer_inputs_of_float_functions_give_the_default_float() -> None:
    x = trainer.tensor([0, 1, -2])
    for fn in ("sigmoid", "exp", "tanh", "sin", "cos"):
        out = getattr(x, fn)()
        assert out.dtype == np.float32, fn
    np.testing.assert_allclose(x.sigmoid()._array, [0.5, 0.7310586, 0.1192029], rtol=1e-6)
    assert trainer.tensor([1, 4]).sqrt()._array.tolist() == [1.0, 2.0]
    assert trainer.tensor([1, 4]).clamp(2.5).dtype == np.float32


def test_a_zero_dim_tensor_does_not_widen_a_dimensioned_one() -> None:
    assert (trainer.ones(2) * trainer.tensor(2.0, dtype="float64")).dtype == np.float32
    assert (trainer.ones(2, dtype="float64") * trainer.tensor(2.0)).dtype == np.float64


def test_clamp_with_tensor_bounds() -> None:
    x = trainer.tensor([0.0, 5.0, 2.0], requires_grad=True)
    lo = trainer.tensor([1.0, 1.0, 1.0], requires_grad=True)
    out = x.clamp(min=lo, max=trainer.tensor(4.0))
    assert out._array.tolist() == [1.0, 4.0, 2.0]
    out.sum().backward()
    assert x.grad._array.tolist() == [0.0, 0.0, 1.0] and lo.grad._array.tolist() == [1.0, 0.0, 0.0]


def test_std_of_a_constant_has_zero_gradient() -> None:
    a = trainer.tensor([1.0, 1.0], requires_grad=True)
    a.std().backward()
    assert a.grad._array.tolist() == [0.0, 0.0]
    with pytest.raises(RuntimeError, match="floating point"):
        trainer.tensor([1, 3]).std()


def test_keywords_pytorch_code_passes() -> None:
    assert trainer.ones(size=(2, 3)).shape == (2, 3)
    assert trainer.randn(size=(4,)).shape == (4,)
    assert trainer.arange(end=3)._array.tolist() == [0, 1, 2]
    assert trainer.zeros_like(input=trainer.ones(2)).shape == (2,)
    x = trainer.tensor([[1, 2], [3, 4]])
    assert x.sum(dtype=trainer.float64).dtype == np.float64
    assert x.mean(dtype="float32").item() == 2.5
    assert trainer.where(x > 2, input=x, other=0)._array.tolist() == [[0, 0], [3, 4]]


def test_where_with_only_a_condition_gives_indices() -> None:
    (idx,) = trainer.where(trainer.tensor([1.0, 0.0, 3.0]))
    assert idx._array.tolist() == [0, 2] and idx.dtype == np.int64


def test_full_and_tensor_infer_like_pytorch() -> None:
    assert trainer.full((2,), 3).dtype == np.int64
    assert trainer.full((2,), True).dtype == np.bool_
    assert trainer.full((2,), 3.0).dtype == np.float32
    assert trainer.tensor([trainer.tensor(1.0), trainer.tensor(2.0)])._array.tolist() == [1.0, 2.0]


def test_integer_and_bool_operators() -> None:
    assert (trainer.tensor([-3, 2]) // 2)._array.tolist() == [-2, 1]
    assert (trainer.tensor([5, 7]) % 3)._array.tolist() == [2, 1]
    a, b = trainer.tensor([True, False]), trainer.tensor([True, True])
    assert (~a)._array.tolist() == [False, True]
    assert (a & b)._array.tolist() == [True, False] and (a | b)._array.tolist() == [True, True]
    with pytest.raises(TypeError):
        ~trainer.tensor([1.0])


def test_inplace_float_into_int_tensor_is_refused() -> None:
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        trainer.tensor([1]).add_(0.5)


def test_backward_inputs_and_retain_grad() -> None:
    x = trainer.ones(2, requires_grad=True)
    y = trainer.ones(2, requires_grad=True)
    h = x * 3
    h.retain_grad()
    (h * y).sum().backward(inputs=[x])
    assert x.grad._array.tolist() == [3.0, 3.0] and y.grad is None
    assert h.grad._array.tolist() == [1.0, 1.0] and h.retains_grad


def test_repr_pads_like_pytorch() -> None:
    assert repr(trainer.tensor([-1.0, 2.0])) == "tensor([-1.,  2.])"
    assert repr(trainer.tensor([1e6, 1.0])) == "tensor([1.0000e+06, 1.0000e+00])"
    assert repr(trainer.tensor([[1.5, -2.25], [3.0, 4.0]])) == (
        "tensor([[ 1.5000, -2.2500],\n        [ 3.0000,  4.0000]])")
