"""PyTorch's gradients of ReLU and the clamps for upstream gradients with inf, NaN and negative values
(tests/autograd/masked_grad_cases.py), float32 and float64."""

from __future__ import annotations

import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reference_io import write_json  # noqa: E402

from tests.autograd.masked_grad_cases import CASES, G, X  # noqa: E402

AREA = "autograd"


def main(out_dir: Path) -> None:
    results = {}
    for dtype in (torch.float32, torch.float64):
        for name, fn in CASES.items():
            x = torch.tensor(X, dtype=dtype, requires_grad=True)
            fn(torch, x).backward(torch.tensor(G, dtype=dtype))
            results[f"{name}_{str(dtype).removeprefix('torch.')}"] = {"grad": x.grad.numpy()}
    write_json(out_dir / "masked_grads.json", results)
