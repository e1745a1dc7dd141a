"""trainer.distributions against PyTorch's numbers (tests/references/distributions, made by
tools/references_distributions.py from the same case table): draws bit for bit after the same seed, float64
values and gradients to rtol 1e-7, shapes, reprs, and the errors of invalid arguments."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from tests.reference_data import load_reference

from . import harness
from .cases import CASES, ERROR_CASES, KL_CASES


def _close(actual: np.ndarray, expected: np.ndarray, what: str, rtol: float = 1e-7) -> None:
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != {expected.dtype}"
    if expected.dtype == np.float32:  # Python-float parameters: float32 results, rounded by different libms
        rtol = max(rtol, 1e-5)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=1e-12, equal_nan=True, err_msg=what)


def _compare_grads(actual: dict, expected: dict, what: str, rsample_rtol: float | None = 1e-7) -> None:
    assert actual.keys() == expected.keys(), what
    for name, grads in expected.items():
        assert actual[name].keys() == grads.keys(), f"{what} {name}"
        rtol = rsample_rtol if name == "rsample" else 1e-7
        if rtol is None:  # a different (valid) pathwise estimator than PyTorch's: checked in test_behaviour
            continue
        for param, g in grads.items():
            if g is None:
                assert actual[name][param] is None, f"{what} grad of {name} w.r.t. {param}"
            else:
                _close(actual[name][param], g, f"{what} grad of {name} w.r.t. {param}", rtol)


@pytest.mark.parametrize("name", sorted(CASES))
def test_samples_bit_identical(name: str) -> None:
    expected = load_reference("distributions", "cases")[name]["samples"]
    case = CASES[name]
    actual = harness.samples(trainer, case)
    assert actual.keys() == expected.keys()
    for key, ref in expected.items():
        assert actual[key].dtype == ref.dtype, key
        if case.exact_samples:
            np.testing.assert_array_equal(actual[key], ref, err_msg=f"{name} {key}")
        else:  # the same underlying draws; the transform may round differently in the last bits
            atol = 8 * np.finfo(ref.dtype).eps * max(1.0, float(np.abs(ref).max()))
            np.testing.assert_allclose(actual[key], ref, rtol=0, atol=atol, err_msg=f"{name} {key}")


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients(name: str) -> None:
    expected = dict(load_reference("distributions", "cases")[name])
    expected.pop("samples")
    case = CASES[name]
    actual = harness.values(trainer, case)
    for key in ("batch_shape", "event_shape", "repr", "has_rsample"):
        assert actual.pop(key) == expected.pop(key), f"{name} {key}"
    _compare_grads(actual.pop("grads"), expected.pop("grads"), name, case.grad_rtol)
    assert actual.keys() == expected.keys()
    for key, ref in expected.items():
        _close(actual[key], ref, f"{name} {key}")


@pytest.mark.parametrize("name", sorted(KL_CASES))
def test_kl_divergence(name: str) -> None:
    expected = load_reference("distributions", "kl")[name]
    actual = harness.kl(trainer, *KL_CASES[name])
    _close(actual["value"], expected["value"], f"kl {name}")
    _compare_grads({"kl": actual["grads"]}, {"kl": expected["grads"]}, f"kl {name}")


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_errors(name: str) -> None:
    expected = load_reference("distributions", "errors")[name]
    assert harness.error(trainer, ERROR_CASES[name]) == expected
