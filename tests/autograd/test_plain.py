"""`autograd.plain`: numpy's dot and concatenate without the `__array_function__` dispatcher, same bits."""

from __future__ import annotations

import numpy as np

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
