"""Gradient clipping and parameter flattening match torch.nn.utils."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import trainer
from tests.reference_data import load_reference
from trainer.nn.utils import (
    clip_grad_norm_,
    clip_grad_value_,
    get_total_norm,
    parameters_to_vector,
    vector_to_parameters,
)


def _params_with_grads(grads: list[np.ndarray], dtype: str = "float64") -> list[trainer.Tensor]:
    params = []
    for g in grads:
        p = trainer.zeros(g.shape, dtype=dtype, requires_grad=True)
        p.grad = trainer.tensor(g, dtype=dtype)
        params.append(p)
    return params


@pytest.mark.parametrize("index", range(len(load_reference("optim", "clip_grad")["cases"])))
def test_clipping_matches_pytorch(index: int) -> None:
    ref = load_reference("optim", "clip_grad")
    case = ref["cases"][index]
    params = _params_with_grads(ref["grads"])
    grad_arrays = [p.grad._array for p in params]
    if case["kind"] == "norm":
        norm_type = float("inf") if case["norm_type"] == "inf" else case["norm_type"]
        total = clip_grad_norm_(params, case["max_norm"], norm_type=norm_type)
        assert isinstance(total, trainer.Tensor) and total.shape == ()
        assert float(total) == pytest.approx(case["total_norm"], rel=1e-13)
    else:
        assert clip_grad_value_(params, case["clip_value"]) is None
    for p, arr, expected in zip(params, grad_arrays, case["grads"], strict=True):
        assert p.grad._array is arr  # clipped in place
        np.testing.assert_allclose(p.grad._array, expected, rtol=1e-13, atol=1e-15)


def test_clip_grad_norm_accepts_one_tensor_and_skips_missing_grads() -> None:
    p = trainer.tensor([3.0, 4.0], requires_grad=True)
    p.grad = trainer.tensor([3.0, 4.0])
    q = trainer.tensor([1.0], requires_grad=True)  # no grad
    total = clip_grad_norm_([p, q], max_norm=1.0)
    assert float(total) == pytest.approx(5.0)
    np.testing.assert_allclose(p.grad._array, np.array([3.0, 4.0]) / (5.0 + 1e-6), rtol=1e-6)
    assert q.grad is None
    p.grad = trainer.tensor([0.3, 0.4])
    assert float(clip_grad_norm_(p, max_norm=1.0)) == pytest.approx(0.5)
    np.testing.assert_array_equal(p.grad._array, np.array([0.3, 0.4], dtype=np.float32))


def test_clip_grad_norm_keeps_float32() -> None:
    params = _params_with_grads([np.ones((2, 3)), np.full(4, 2.0)], dtype="float32")
    total = clip_grad_norm_(params, 1.0)
    assert total.dtype == np.float32
    assert all(p.grad.dtype == np.float32 for p in params)


def test_error_if_nonfinite() -> None:
    params = _params_with_grads([np.array([1.0, np.inf])])
    with pytest.raises(RuntimeError, match="non-finite"):
        clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    total = clip_grad_norm_(params, 1.0)  # allowed: scales by the non-finite norm
    assert np.isinf(float(total))


def test_no_gradients_gives_zero_norm_and_empty_generator_warns() -> None:
    p = trainer.zeros(3, requires_grad=True)
    assert float(clip_grad_norm_([p], 1.0)) == 0.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clip_grad_norm_((q for q in []), 1.0)
    assert any("empty generator" in str(w.message) for w in caught)
    assert float(get_total_norm([])) == 0.0


def test_parameters_to_vector_and_back() -> None:
    a = trainer.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = trainer.tensor([5.0], requires_grad=True)
    vec = parameters_to_vector([a, b])
    np.testing.assert_array_equal(vec._array, [1, 2, 3, 4, 5])
    a_data = a._array
    vector_to_parameters(trainer.tensor([9.0, 8.0, 7.0, 6.0, 5.5]), [a, b])
    assert a._array is a_data  # copied in place: the parameter keeps its array
    np.testing.assert_array_equal(a._array, [[9, 8], [7, 6]])
    np.testing.assert_array_equal(b._array, [5.5])
    with pytest.raises(TypeError):
        vector_to_parameters(np.zeros(5), [a, b])
