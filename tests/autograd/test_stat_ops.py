"""Statistics and search ops: what the case tables cannot express (named tuple fields, result types, methods)."""

from __future__ import annotations

import numpy as np
import pytest

import trainer

X = [[1.0, 2.0, 2.0, 1.0], [5.0, 0.0, 5.0, 3.0]]


@pytest.mark.parametrize(("fn", "name"), [
    (lambda x: x.median(1), "median"), (lambda x: x.nanmedian(1), "nanmedian"), (lambda x: x.kthvalue(2), "kthvalue"),
    (lambda x: x.mode(1), "mode"), (lambda x: x.cummax(1), "cummax"), (lambda x: trainer.cummin(x, 1), "cummin"),
])
def test_values_indices_results_are_named_like_pytorch(fn, name: str) -> None:
    res = fn(trainer.tensor(X))
    assert type(res).__name__ == name
    values, indices = res
    assert res.values is values and res.indices is indices
    assert indices.dtype == trainer.int64
    assert repr(res).startswith(f"torch.return_types.{name}(\nvalues=")


def test_aminmax_is_a_min_max_pair() -> None:
    res = trainer.aminmax(trainer.tensor(X), dim=1)
    assert type(res).__name__ == "aminmax" and res._fields == ("min", "max")
    np.testing.assert_array_equal(res.min._array, [1.0, 0.0])
    np.testing.assert_array_equal(res.max._array, [2.0, 5.0])
    assert repr(res).startswith("torch.return_types.aminmax(\nmin=")


def test_std_mean_and_var_mean_are_plain_tuples_and_not_methods() -> None:
    res = trainer.var_mean(trainer.tensor(X), 1)
    assert type(res) is tuple and len(res) == 2
    for name in ("std_mean", "var_mean", "cdist", "bucketize", "searchsorted"):
        assert not hasattr(trainer.Tensor, name), name


def test_numpy_keyword_aliases() -> None:
    x = trainer.tensor(X)
    np.testing.assert_array_equal(trainer.amin(x, axis=1, keepdims=True)._array, [[1.0], [0.0]])
    np.testing.assert_array_equal(x.nansum(axis=0)._array, [6.0, 2.0, 7.0, 4.0])
    with pytest.raises(TypeError):
        trainer.amin(x, dim=1, axis=1)


def test_renorm_in_place_rescales_the_tensor_itself() -> None:
    x = trainer.tensor([[3.0, 4.0], [0.3, 0.4]])
    assert x.renorm_(2, 0, 1.0) is x
    np.testing.assert_allclose(x._array, [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)


def test_quantile_gradient_reaches_a_tensor_q() -> None:
    x = trainer.tensor([1.0, 4.0, 2.0], dtype=trainer.float64)
    q = trainer.tensor([0.25, 0.75], dtype=trainer.float64, requires_grad=True)
    trainer.quantile(x, q).sum().backward()
    np.testing.assert_allclose(q.grad._array, [2.0, 4.0])  # (upper - lower) * (n - 1) for each q


def test_median_without_dim_is_not_median_with_dim_none() -> None:
    x = trainer.tensor(X)
    assert x.median().shape == ()
    with pytest.raises(TypeError):
        x.median(dim=None)

