"""ReLU and the clamps pass +0 where they cut their input off, also for inf and NaN gradients, as PyTorch does
(references from tools/references_masked_grads.py; test_kernels checks the compiled ReLU against numpy's)."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from tests.autograd.masked_grad_cases import CASES, G, X
from tests.reference_data import load_reference


def same_bits(actual: np.ndarray, expected: np.ndarray) -> bool:
    """Equal values, NaN where NaN, and the same sign of every zero."""
    return (actual.dtype == expected.dtype and np.array_equal(actual, expected, equal_nan=True)
            and np.array_equal(np.signbit(actual), np.signbit(expected)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(CASES))
def test_cut_off_entries_get_a_plus_zero_gradient_like_pytorch(name: str, dtype: str) -> None:
    x = trainer.tensor(np.array(X, dtype=dtype), requires_grad=True)
    with np.errstate(all="raise"):  # no inf * 0 on the way
        CASES[name](trainer, x).backward(trainer.tensor(np.array(G, dtype=dtype)))
    expected = load_reference("autograd", "masked_grads")[f"{name}_{dtype}"]["grad"]
    assert same_bits(x.grad._array, expected), (x.grad._array, expected)

