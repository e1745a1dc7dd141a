"""`autograd.plain`: numpy's dot and concatenate without the `__array_function__` dispatcher, same bits."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.autograd import plain


def test_the_plain_functions_are_numpys_own_c_functions() -> None:
    for name in ("dot", "concatenate"):
        public = getattr(np, name)
        assert getattr(plain, name) is getattr(public, "__wrapped__", public)


def test_the_same_bits_as_the_public_functions() -> None:
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        a, w = rng.standard_normal((7, 5)).astype(dtype), rng.standard_normal((3, 5)).astype(dtype)
        assert np.array_equal(plain.dot(a, w.T), np.dot(a, w.T))
        parts = [rng.standard_normal(n).astype(dtype) for n in (4, 1, 9)]
        out, ref = np.empty(14, dtype), np.empty(14, dtype)
        plain.concatenate(parts, axis=None, out=out)
        np.concatenate(parts, axis=None, out=ref)
        assert np.array_equal(out, ref)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_grad_where_is_np_where_with_plus_zero_bit_for_bit(dtype) -> None:
    rng = np.random.default_rng(1)
    g = rng.standard_normal((6, 9)).astype(dtype)
    g[0, :6] = [np.inf, -np.inf, np.nan, -0.0, 0.0, -1.0]
    mask = rng.random((6, 9)) > 0.5
    mask[0, :6] = False
    mask[1, :3] = True
    g[1, :3] = [np.nan, -np.inf, -0.0]
    for gg, mm in ((g, mask), (g[:, ::2], mask[:, ::2]), (g[0, 2], mask[0, 2]), (g[1, 0], mask[1, 0])):
        got = plain.grad_where(mm, gg)
        expected = np.where(mm, gg, dtype(0))
        assert got.dtype == np.dtype(dtype) and got.shape == np.shape(expected)
        assert np.asarray(got).tobytes() == np.ascontiguousarray(expected).tobytes()
    assert np.array_equal(plain.grad_where(mask[:1], g), np.where(mask[:1], g, dtype(0)), equal_nan=True)  # broadcast
