"""PyTorch's results for the value cases of tests/autograd/value_case_files.py (values, dtypes, errors).

Writes tests/references/autograd/values_*.json; run with PyTorch 2.13 (`python tools/make_references.py values`).
"""

from __future__ import annotations

import builtins
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reference_io import write_json  # noqa: E402

from tests.autograd.value_case_files import CASE_FILES  # noqa: E402
from tests.autograd.value_cases import normalize  # noqa: E402

AREA = "autograd"


def _numpy(value: object) -> object:
    if isinstance(value, torch.Tensor):
        return value.detach().numpy().copy()
    raise TypeError(f"a value case returned {type(value).__name__}; return tensors, scalars or tuples of them")


def main(out_dir: Path) -> None:
    for file, cases in CASE_FILES.items():
        results = {}
        for name, case in cases.items():
            arrays = case.arrays()
            tensors = [torch.tensor(a) for a in arrays]
            try:
                result = {"result": normalize(case.fn(torch, *tensors), _numpy)}
            except (RuntimeError, ValueError, TypeError, IndexError, AssertionError) as exc:
                base = next(c for c in type(exc).__mro__ if getattr(builtins, c.__name__, None) is c)
                result = {"raises": base.__name__, **({} if base is type(exc) else {"class": type(exc).__name__})}
            results[name] = {"inputs": arrays, **result}
        write_json(out_dir / f"{file}.json", results)
