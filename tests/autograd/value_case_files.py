"""The value case tables, each with its own reference file tests/references/autograd/<file>.json."""

from __future__ import annotations

from . import (
    value_cases_activation,
    value_cases_extra,
    value_cases_functional,
    value_cases_higher_order,
    value_cases_init,
    value_cases_linalg,
    value_cases_lu,
    value_cases_math,
    value_cases_more,
    value_cases_shape,
    value_cases_special,
    value_cases_stat,
    value_cases_tensor,
)
from .value_cases import ValueCase

CASE_FILES: dict[str, dict[str, ValueCase]] = {
    "values_math": value_cases_math.CASES,
    "values_shape": value_cases_shape.CASES,
    "values_activation": value_cases_activation.CASES,
    "values_tensor": value_cases_tensor.CASES,
    "values_stat": value_cases_stat.CASES,
    "values_init": value_cases_init.CASES,
    "values_special": value_cases_special.CASES,
    "values_higher_order": value_cases_higher_order.CASES,
    "values_functional": value_cases_functional.CASES,
    "values_more": value_cases_more.CASES,
    "values_linalg": value_cases_linalg.CASES,
    "values_lu": value_cases_lu.CASES,
    "values_extra": value_cases_extra.CASES,
}

ALL_CASES: list[tuple[str, str]] = [(file, name) for file, cases in CASE_FILES.items() for name in sorted(cases)]
