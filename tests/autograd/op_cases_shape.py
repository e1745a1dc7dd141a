"""Differentiable shape op cases (same form as op_cases.py), checked against PyTorch and finite differences."""

from __future__ import annotations

from .op_cases import OpCase

C = OpCase
CASES: dict[str, OpCase] = {
}
