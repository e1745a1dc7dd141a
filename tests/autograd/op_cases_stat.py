"""Differentiable statistics and search op cases (as in op_cases.py), against PyTorch and finite differences."""

from __future__ import annotations

from .op_cases import OpCase

C = OpCase
CASES: dict[str, OpCase] = {
}
