"""Small PyTorch surface the public scripts use: the legacy Tensor constructor, numpy keyword aliases,
comparisons, requires_grad= on factories, grad_fn class names, inference_mode, __array__."""

import numpy as np
import pytest

import trainer


def test_legacy_tensor_constructor_is_always_float():
    assert trainer.Tensor([1, 2]).dtype == np.float32 and trainer.Tensor([1, 2]).tolist() == [1.0, 2.0]
    assert tuple(trainer.Tensor(2, 3).shape) == (2, 3) and trainer.Tensor().numel() == 0
    assert trainer.tensor([1, 2]).dtype == np.int64
    x = trainer.Tensor([-4.0]).double()
    x.requires_grad = True
    (x * x).sum().backward()
    assert x.grad.tolist() == [-8.0]


def test_numpy_keyword_aliases():
    x = trainer.arange(6.0).reshape(2, 3)
    assert x.sum(1, keepdims=True).shape == (2, 1) and x.argmax(axis=1).tolist() == [2, 2]
    assert trainer.mean(x, axis=0).tolist() == [1.5, 2.5, 3.5]
    with pytest.raises(TypeError, match="alias"):
        x.sum(dim=0, axis=0)


def test_comparisons_and_counts():
    a = trainer.tensor([1.0, 2.0])
    assert trainer.allclose(a, a + 1e-9) and not trainer.allclose(a, a + 1)
    assert trainer.isclose(a, trainer.tensor([1.0, 3.0])).tolist() == [True, False]
    assert trainer.equal(a, a.clone()) and not trainer.equal(a, trainer.tensor([1.0]))
    assert trainer.bincount(trainer.tensor([0, 2, 2])).tolist() == [1, 0, 2]
    assert trainer.is_tensor(a) and not trainer.is_tensor([1.0])


def test_factories_take_requires_grad_and_grad_fn_has_pytorchs_class_names():
    e = trainer.eye(2, requires_grad=True)
    assert e.requires_grad and e.is_leaf
    z = trainer.matmul(trainer.ones(2), e) + 1
    assert type(z.grad_fn).__name__ == "AddBackward0"
    assert type(z.grad_fn.next_functions[0][0]).__name__ == "SqueezeBackward4"


def test_inference_mode_and_array_protocol():
    x = trainer.ones(2, requires_grad=True)
    with trainer.inference_mode():
        assert not (x * 2).requires_grad and trainer.is_inference_mode_enabled()
    with trainer.inference_mode(False):
        assert (x * 2).requires_grad
    assert np.asarray(trainer.ones(2, 2)).sum() == 4.0
    with pytest.raises(RuntimeError, match="requires grad"):
        np.asarray(x)


def test_prod_and_diag_gradients():
    x = trainer.tensor([2.0, 0.0, 3.0], requires_grad=True)
    trainer.prod(x).backward()
    assert x.grad.tolist() == [0.0, 6.0, 0.0]
    m = trainer.arange(4.0).reshape(2, 2).requires_grad_()
    trainer.diag(m).sum().backward()
    assert m.grad.tolist() == [[1.0, 0.0], [0.0, 1.0]]
