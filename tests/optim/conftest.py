"""Optimizer tests run with float64 as the default dtype, like the PyTorch references (scalar state dtype)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import trainer


@pytest.fixture
def float64_default() -> Iterator[None]:
    previous = trainer.get_default_dtype()
    trainer.set_default_dtype("float64")
    try:
        yield
    finally:
        trainer.set_default_dtype(previous)
