"""The differentiable op case tables, each with its own reference file tests/references/autograd/<file>.json.

One table per family keeps each family's cases beside one another; tools/references_autograd.py writes a
file per table and the tests check every case of every table.
"""

from __future__ import annotations

from . import (
    op_cases,
    op_cases_activation,
    op_cases_extra,
    op_cases_linalg,
    op_cases_lu,
    op_cases_math,
    op_cases_more,
    op_cases_shape,
    op_cases_stat,
)
from .op_cases import OpCase

CASE_FILES: dict[str, dict[str, OpCase]] = {
    "ops": op_cases.CASES,
    "ops_math": op_cases_math.CASES,
    "ops_shape": op_cases_shape.CASES,
    "ops_activation": op_cases_activation.CASES,
    "ops_stat": op_cases_stat.CASES,
    "ops_more": op_cases_more.CASES,
    "ops_linalg": op_cases_linalg.CASES,
    "ops_lu": op_cases_lu.CASES,
    "ops_extra": op_cases_extra.CASES,
}

ALL_CASES: list[tuple[str, str]] = [(file, name) for file, cases in CASE_FILES.items() for name in sorted(cases)]
