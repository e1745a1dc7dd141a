"""Every op against central finite differences in float64, inputs nudged away from kinks."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import trainer
from tests.gradcheck import gradcheck

from .op_case_files import ALL_CASES, CASE_FILES
from .op_cases import draw_inputs


@pytest.mark.parametrize(("file", "name"), ALL_CASES)
def test_gradcheck(file: str, name: str) -> None:
    case = CASE_FILES[file][name]
    gradcheck(lambda *xs: case.fn(trainer, *xs), *draw_inputs(case, zlib.crc32(name.encode()) + 7))


def _broadcastable_pair(draw) -> tuple[tuple[int, ...], tuple[int, ...]]:
    ndim = draw(st.integers(1, 3))
    full = draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim))
    a = tuple(n if draw(st.booleans()) else 1 for n in full)
    b = tuple(n if draw(st.booleans()) else 1 for n in full)
    b = b[draw(st.integers(0, ndim - 1)):]  # fewer leading dims broadcast too
    return a, b


@st.composite
def broadcast_inputs(draw):
    a_shape, b_shape = _broadcastable_pair(draw)
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    return rng.uniform(0.5, 2.0, a_shape), rng.uniform(0.5, 2.0, b_shape)


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "maximum": lambda a, b: trainer.maximum(a, b * 1.01),
    "where": lambda a, b: trainer.where(a > 1.0, a, b),
}


@pytest.mark.parametrize("op", sorted(BINARY))
@settings(max_examples=15, deadline=None)
@given(inputs=broadcast_inputs())
def test_binary_ops_under_random_broadcasting(op: str, inputs) -> None:
    a, b = inputs
    gradcheck(BINARY[op], a, b)
