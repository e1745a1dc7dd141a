"""Shared helpers for the nn tests against PyTorch references."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest


def check_outcome(call: Callable[[], Any], case: dict[str, Any]) -> None:
    """`call()` does what the reference case recorded (tools/reference_io.py's `outcome`): returns the same shape, or
    raises the same class with PyTorch's message in its own (trainer may add context such as the shape or the allowed
    values), and gives the same warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if case["error"] is None:
            shape = list(call().shape)
            assert shape == case["shape"], f"shape {shape}, PyTorch {case['shape']}"
        else:
            with pytest.raises(Exception) as info:  # noqa: PT011 - the class is compared below
                call()
            assert type(info.value).__name__ == case["error"], f"raised {info.value!r}, PyTorch {case['error']}"
            assert case["message"] in str(info.value), f"message {str(info.value)!r}, PyTorch {case['message']!r}"
    messages = [str(w.message) for w in caught]
    assert messages == case["warnings"], f"warnings {messages}, PyTorch {case['warnings']}"
