"""Every op against PyTorch: forward values and input gradients, float64, relative error <= 1e-7."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from tests.reference_data import assert_close, load_reference

from .op_case_files import ALL_CASES, CASE_FILES


def test_every_case_has_a_reference() -> None:
    for file, cases in CASE_FILES.items():
        assert set(load_reference("autograd", file)) == set(cases), file


@pytest.mark.parametrize(("file", "name"), ALL_CASES)
def test_matches_pytorch(file: str, name: str) -> None:
    ref = load_reference("autograd", file)[name]
    tensors = [trainer.tensor(x, dtype="float64", requires_grad=True) for x in ref["inputs"]]
    out = CASE_FILES[file][name].fn(trainer, *tensors)
    assert out.dtype == np.float64
    assert_close(out._array, ref["output"], what=f"{name} forward")
    out.backward(trainer.tensor(ref["weights"], dtype="float64"))
    for i, (t, g) in enumerate(zip(tensors, ref["grads"])):
        assert t.grad is not None, f"{name}: input {i} got no gradient"
        assert_close(t.grad._array, g, what=f"{name} gradient of input {i}")
