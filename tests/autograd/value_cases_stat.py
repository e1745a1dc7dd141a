"""Value cases for the statistics and search family (see value_cases.py), compared with PyTorch's results."""

from __future__ import annotations

from .value_cases import ValueCase

V = ValueCase
CASES: dict[str, ValueCase] = {
}
