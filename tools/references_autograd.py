"""PyTorch references for every engine op in the case tables of tests/autograd/op_case_files.py (float64)."""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reference_io import write_json  # noqa: E402

from tests.autograd.op_case_files import CASE_FILES  # noqa: E402
from tests.autograd.op_cases import draw_inputs  # noqa: E402


def case_seed(name: str) -> int:
    return zlib.crc32(name.encode())


def main(out_dir: Path) -> None:
    for file, cases in CASE_FILES.items():
        results = {}
        for name, case in cases.items():
            inputs = draw_inputs(case, case_seed(name))
            tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
            out = case.fn(torch, *tensors)
            weights = np.random.default_rng(case_seed(name) + 1).standard_normal(tuple(out.shape))
            out.backward(torch.tensor(weights, dtype=torch.float64))
            results[name] = {
                "inputs": inputs,
                "weights": weights,
                "output": out.detach().numpy(),
                "grads": [t.grad.numpy() for t in tensors],
            }
        write_json(out_dir / f"{file}.json", results)
