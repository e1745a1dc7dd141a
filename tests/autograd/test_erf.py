"""The float64 erf and erfc behind exact GELU and torch.erf/erfc, checked against the standard library (the
reference, not the implementation)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainer.autograd._erf import erf, erfc


def test_erf_matches_math_erf_to_rounding() -> None:
    xs = np.concatenate([np.linspace(-8, 8, 40001), np.geomspace(1e-300, 30, 2000), -np.geomspace(1e-300, 30, 2000),
                         [0.46875, -0.46875, 4.0, -4.0, 26.5, 27.0]])
    got = erf(xs)
    want = np.array([math.erf(v) for v in xs])
    rel = np.abs(got - want) / np.maximum(np.abs(want), 1e-300)
    assert rel.max() < 2e-15


def test_erf_special_values_and_dtype() -> None:
    out = erf(np.array([0.0, np.inf, -np.inf, np.nan]))
    assert out[0] == 0 and out[1] == 1 and out[2] == -1 and np.isnan(out[3])
    assert erf(np.array([0.5], dtype=np.float32)).dtype == np.float32
    assert float(erf(np.float64(1.0))) == pytest.approx(math.erf(1.0), rel=1e-15)


def test_erfc_matches_math_erfc_to_rounding_into_both_tails() -> None:
    xs = np.concatenate([np.linspace(-8, 27, 40001), np.geomspace(1e-300, 26, 2000), -np.geomspace(1e-300, 6, 2000),
                         [0.46875, -0.46875, 4.0, -4.0, 26.5, 27.0]])
    got = erfc(xs)
    want = np.array([math.erfc(v) for v in xs])
    rel = np.abs(got - want) / np.maximum(np.abs(want), 1e-300)
    assert rel[want > 1e-290].max() < 1e-13 and np.all(got[want == 0] == 0)
    out = erfc(np.array([np.inf, -np.inf, np.nan]))
    assert out[0] == 0 and out[1] == 2 and np.isnan(out[2])
