"""Value cases against PyTorch: results, dtypes and shapes, nan and inf positions, and the errors raised."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np
import pytest

import trainer
from tests.reference_data import load_reference

from .value_case_files import ALL_CASES, CASE_FILES
from .value_cases import normalize


def _numpy(value: Any) -> np.ndarray:
    if isinstance(value, trainer.Tensor):
        return np.array(value._array)
    raise AssertionError(f"returned {type(value).__name__} where PyTorch returns a tensor")


def _same(actual: Any, expected: Any, where: str) -> None:
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual!r} != {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            _same(a, e, f"{where}[{i}]")
    elif isinstance(expected, dict):
        assert isinstance(actual, dict) and set(actual) == set(expected), f"{where}: {actual!r} != {expected!r}"
        for key in expected:
            _same(actual[key], expected[key], f"{where}[{key!r}]")
    elif isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray), f"{where}: {type(actual).__name__}, PyTorch gives a tensor"
        assert actual.dtype == expected.dtype, f"{where}: dtype {actual.dtype} != {expected.dtype}"
        assert actual.shape == expected.shape, f"{where}: shape {actual.shape} != {expected.shape}"
        if expected.dtype.kind in "fc":
            rtol = 1e-6 if expected.dtype == np.float32 else 1e-12
            np.testing.assert_allclose(actual, expected, rtol=rtol, atol=0, equal_nan=True, err_msg=where)
        else:
            np.testing.assert_array_equal(actual, expected, err_msg=where)
    elif isinstance(expected, float):
        assert isinstance(actual, float), f"{where}: {type(actual).__name__}, PyTorch gives a float"
        np.testing.assert_allclose(actual, expected, rtol=1e-12, equal_nan=True, err_msg=where)
    else:
        assert type(actual) is type(expected) and actual == expected, f"{where}: {actual!r} != {expected!r}"


def test_every_case_has_a_reference() -> None:
    for file, cases in CASE_FILES.items():
        assert set(load_reference("autograd", file)) == set(cases), file


@pytest.mark.parametrize(("file", "name"), ALL_CASES)
def test_matches_pytorch(file: str, name: str) -> None:
    ref = load_reference("autograd", file)[name]
    case = CASE_FILES[file][name]
    for array, stored in zip(case.arrays(), ref["inputs"]):
        np.testing.assert_array_equal(array, stored)  # the case still draws what the reference saw
    tensors = [trainer.tensor(a) for a in case.arrays()]
    if "raises" in ref:
        with pytest.raises(getattr(builtins, ref["raises"])) as info:  # PyTorch's class or a subclass of it
            case.fn(trainer, *tensors)
        if "class" in ref:  # PyTorch raised its own subclass (GradcheckError): the same name here
            assert type(info.value).__name__ == ref["class"]
        return
    _same(normalize(case.fn(trainer, *tensors), _numpy), ref["result"], f"{file}:{name}")
