"""trainer.testing.assert_close and assert_allclose against PyTorch (tests/references/testing/messages.json, made by
tools/references_testing.py): every call, written with PyTorch's names, runs here with `trainer` as `torch` and
must raise the same exception class with the same full message (a type's repr names trainer's class where
PyTorch's names torch.Tensor), or pass where PyTorch's passes, with the same warnings."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import trainer
from tests.reference_data import load_reference
from trainer.testing import assert_allclose, assert_close
from trainer.testing._comparison import default_tolerances, get_tolerances

REF = load_reference("testing", "messages")
_TYPES = {"<class 'trainer.autograd.tensor.Tensor'>": "<class 'torch.Tensor'>",
          "<class 'trainer.nn.parameter.Parameter'>": "<class 'torch.nn.parameter.Parameter'>"}


def outcome(code: str) -> dict[str, Any]:
    ns = {"torch": trainer, "np": np, "t": trainer.tensor, "ac": assert_close, "aa": assert_allclose}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            eval(code, ns)  # noqa: S307 - the committed reference's own case expressions
        except Exception as e:  # noqa: BLE001 - compared with the reference's class and message
            message = str(e)
            for ours, theirs in _TYPES.items():
                message = message.replace(ours, theirs)
            out: dict[str, Any] = {"error": type(e).__name__, "message": message}
        else:
            out = {"error": None}
    out["warnings"] = [str(w.message) for w in caught]
    return out


@pytest.mark.parametrize("name", sorted(REF["cases"]))
def test_outcome_matches_pytorch(name: str) -> None:
    case = REF["cases"][name]
    expected = {k: v for k, v in case.items() if k != "code"}
    assert outcome(case["code"]) == expected


def test_default_tolerances_per_dtype() -> None:
    assert default_tolerances(trainer.ones(1), trainer.ones(1, dtype=trainer.float64)) == (1.3e-06, 1e-05)
    assert default_tolerances(trainer.float16) == (0.001, 1e-05)
    assert default_tolerances(trainer.int64, trainer.bool) == (0.0, 0.0)
    assert get_tolerances(trainer.float32, rtol=0.5, atol=0.25) == (0.5, 0.25)
    with pytest.raises(TypeError, match="Expected a torch.Tensor or a torch.dtype, but got <class 'int'> instead."):
        default_tolerances(3)


def test_failure_is_an_assertion_error_with_the_message() -> None:
    with pytest.raises(AssertionError) as info:
        assert_close(trainer.tensor([1.0, 2.0, 3.0]), trainer.tensor([1.0, 2.5, 3.0]))
    assert str(info.value).startswith("Tensor-likes are not close!\n\nMismatched elements: 1 / 3 (33.3%)\n"
                                      "Greatest absolute difference: 0.5 at index (1,) (up to 1e-05 allowed)\n")
