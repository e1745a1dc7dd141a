"""trainer.testing.make_tensor against PyTorch (tests/references/testing/make_tensor.json, made by
tools/references_testing.py): after the same seed, the same values (drawn from trainer's generator as PyTorch
draws them: `randint` for booleans and integers, `uniform_` for floats), dtype, shape, strides, contiguity and
requires_grad, the same next draw of the generator, and the same errors and warnings."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import trainer
from tests.reference_data import load_reference
from trainer.testing import make_tensor

REF = load_reference("testing", "make_tensor")


def outcome(code: str) -> dict[str, Any]:
    ns = {"torch": trainer, "make_tensor": make_tensor}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = eval(code, ns)  # noqa: S307 - the committed reference's own case expressions
        except Exception as e:  # noqa: BLE001 - compared with the reference's class and message
            out: dict[str, Any] = {"error": type(e).__name__, "message": str(e)}
        else:
            out = {"error": None, "value": value.detach()._array, "dtype": str(value.dtype),
                   "shape": list(value.shape), "stride": list(value.stride()), "contiguous": value.is_contiguous(),
                   "requires_grad": value.requires_grad, "next": trainer.rand(2)._array}
    out["warnings"] = [str(w.message) for w in caught]
    return out


@pytest.mark.parametrize("name", sorted(REF["cases"]))
def test_make_tensor_matches_pytorch(name: str) -> None:
    case = REF["cases"][name]
    trainer.manual_seed(case["seed"])
    got = outcome(case["code"])
    expected = {k: v for k, v in case.items() if k not in ("code", "seed")}
    assert sorted(got) == sorted(expected)
    for key, value in expected.items():
        if key == "stride" and 0 in expected["shape"]:  # trainer's Tensor.stride() of an empty tensor is all 0s
            continue
        if isinstance(value, np.ndarray):
            assert got[key].dtype == value.dtype and got[key].shape == value.shape, key
            assert np.array_equal(got[key], value, equal_nan=True), f"{key}: {got[key]} != {value}"
        else:
            assert got[key] == value, key
