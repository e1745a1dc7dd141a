"""PyTorch's outputs, gradients and error messages for the in-place cases of tests/autograd/inplace_cases.py."""

from __future__ import annotations

import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reference_io import write_json  # noqa: E402

from tests.autograd.inplace_cases import CASES, run  # noqa: E402


def main(out_dir: Path) -> None:
    write_json(out_dir / "cases.json", {name: run(torch, name) for name in CASES})
