"""PyTorch reference values for trainer.testing (assert_close, assert_allclose, make_tensor).

Run through the dispatcher inside a venv with torch:  python tools/make_references.py testing
Writes tests/references/testing/messages.json (each assert_close / assert_allclose call written with PyTorch's
names, and the class and full message of what it raises, or None, with its warnings) and make_tensor.json (the
values, dtype, shape, strides and flags of make_tensor calls after a seed, and its errors and warnings).
tests/testing/ runs the same code with `trainer` as `torch`.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.testing
from reference_io import write_json

AREA = "testing"

# name -> an expression; `t` is torch.tensor, `ac` assert_close, `aa` assert_allclose
CLOSE_CASES: dict[str, str] = {
    "one of three": "ac(t([1.0, 2.0, 3.0]), t([1.0, 2.5, 3.0]))",
    "close": "ac(t([1.0, 2.0, 3.0]), t([1.0, 2.000001, 3.0]))",
    "just outside float32": "ac(t([1.0]), t([1.0000200271606445]))",
    "edge float32": "ac(t([100.0]), t([100.00013]))",
    "all mismatched 2d": "ac(torch.ones(2, 3), torch.zeros(2, 3))",
    "two of three": "ac(t([1.0, 2.0, 3.0]), t([1.5, 2.0, 3.5]))",
    "tie first index": "ac(t([[0.0, 1.0], [1.0, 0.0]]), t([[1.0, 1.0], [0.0, 0.0]]))",
    "relative at other index": "ac(t([10.0, 0.1]), t([11.0, 0.2]))",
    "expected zero": "ac(t([1e-3, 0.0]), t([0.0, 0.0]))",
    "float64": "ac(t([1.0, 2.0], dtype=torch.float64), t([1.0, 2.0000003], dtype=torch.float64))",
    "float64 close": "ac(t([1.0, 2.0], dtype=torch.float64), t([1.0, 2.0000001], dtype=torch.float64))",
    "float16": "ac(t([1.0, 2.0], dtype=torch.float16), t([1.0, 2.01], dtype=torch.float16))",
    "int": "ac(t([1, 2, 3]), t([1, 5, 3]))",
    "int32 negative": "ac(t([-4, 2], dtype=torch.int32), t([4, 2], dtype=torch.int32))",
    "uint8": "ac(t([1, 200], dtype=torch.uint8), t([3, 100], dtype=torch.uint8))",
    "bool": "ac(t([True, False, True]), t([True, True, False]))",
    "int with tolerance": "ac(t([100, 2]), t([101, 2]), rtol=0.0, atol=0.5)",
    "int within tolerance": "ac(t([100, 2]), t([101, 2]), rtol=0.01, atol=0.0)",
    "dtype": "ac(t([1.0]), t([1.0], dtype=torch.float64))",
    "dtype unchecked": "ac(t([1.0, 2.0]), t([1.0, 2.0001], dtype=torch.float64), check_dtype=False)",
    "int vs float unchecked": "ac(t([1, 2]), t([1.0, 2.5]), check_dtype=False)",
    "shape": "ac(torch.ones(2, 3), torch.ones(3, 2))",
    "shape 0-d": "ac(t(1.0), t([1.0]))",
    "stride": "ac(torch.ones(2, 3).t(), torch.ones(3, 2), check_stride=True)",
    "stride unchecked": "ac(torch.ones(2, 3).t(), torch.ones(3, 2))",
    "nan": "ac(t([1.0, float('nan')]), t([1.0, float('nan')]))",
    "nan equal": "ac(t([1.0, float('nan')]), t([1.0, float('nan')]), equal_nan=True)",
    "nan vs number": "ac(t([1.0, float('nan'), 3.0]), t([1.0, 2.0, 5.0]))",
    "inf": "ac(t([float('inf'), 1.0]), t([float('inf'), 1.0]))",
    "inf signs": "ac(t([float('inf'), 1.0]), t([-float('inf'), 1.0]))",
    "inf vs finite": "ac(t([float('inf')]), t([1e30]))",
    "0-d": "ac(t(1.5), t(2.0))",
    "0-d int": "ac(t(3), t(4))",
    "custom tolerances": "ac(t([1.0, 2.0]), t([1.1, 2.0]), rtol=0.01, atol=0.05)",
    "custom close": "ac(t([1.0, 2.0]), t([1.1, 2.0]), rtol=0.1, atol=0.0)",
    "zero tolerances": "ac(t([1.0, 2.0]), t([1.0, 2.0000001]), rtol=0, atol=0)",
    "only rtol": "ac(t([1.0]), t([1.0]), rtol=0.1)",
    "only atol": "ac(1.0, 1.0, atol=0.1)",
    "int scalars": "ac(1, 2)",
    "float scalars": "ac(1.0, 1.5)",
    "float scalars close": "ac(1.0, 1.0 + 1e-8)",
    "scalars zero expected": "ac(0.5, 0.0)",
    "int vs float scalars": "ac(1, 1.0)",
    "int vs float unchecked scalars": "ac(1, 1.0, check_dtype=False)",
    "scalar nan": "ac(float('nan'), float('nan'))",
    "scalar nan equal": "ac(float('nan'), float('nan'), equal_nan=True)",
    "scalar inf": "ac(float('inf'), float('inf'))",
    "complex scalars": "ac(1 + 2j, 1 + 2.5j)",
    "bools": "ac(True, False)",
    "bools equal": "ac(True, True)",
    "bool vs int": "ac(True, 1)",
    "none": "ac(None, None)",
    "none vs number": "ac(None, 1)",
    "number vs none": "ac(1.0, None)",
    "numpy arrays": "ac(np.array([1.0, 2.0]), np.array([1.0, 3.0]))",
    "numpy float32 arrays": "ac(np.array([1.0, 2.0], dtype=np.float32), np.array([1.0, 2.5], dtype=np.float32))",
    "numpy scalars": "ac(np.float32(1.0), np.float32(1.5))",
    "numpy vs python scalar": "ac(np.float64(1.0), 1.0)",
    "numpy bools": "ac(np.bool_(True), False)",
    "tensor vs numpy": "ac(t([1.0]), np.array([1.0]))",
    "tensor vs number": "ac(t(1.0), 1.0)",
    "tensor vs list": "ac(t([1.0, 2.0]), [1.0, 2.0])",
    "strings": "ac('a', 'a')",
    "objects": "ac(object(), object())",
    "list of tensors": "ac([t([1.0]), t([2.0])], [t([1.0]), t([2.5])])",
    "tuple vs list": "ac((t([1.0]), 2), [t([1.0]), 2])",
    "lists of numbers": "ac([1.0, 2.0], [1.0, 2.5])",
    "nested": "ac({'a': [t([1.0]), {'b': t([2.0, 3.0])}]}, {'a': [t([1.0]), {'b': t([2.0, 4.0])}]})",
    "length": "ac([t([1.0])], [t([1.0]), t([2.0])])",
    "nested length": "ac({'x': [1, 2]}, {'x': [1]})",
    "keys": "ac({'a': 1, 'b': 2}, {'a': 1, 'c': 2})",
    "int keys": "ac({0: t([1.0]), 1: t([2.0])}, {0: t([1.0]), 1: t([2.1])})",
    "msg string": "ac(t([1.0]), t([2.0]), msg='custom message')",
    "msg callable": "ac(t([1.0]), t([2.0]), msg=lambda m: 'PREFIX ' + m.splitlines()[0])",
    "msg callable nested": "ac([t([1.0])], [t([2.0])], msg=lambda m: m.upper())",
    "msg for shape": "ac(t([1.0]), t([1.0, 2.0]), msg='shapes differ')",
    "parameter vs tensor": "ac(torch.nn.Parameter(t([1.0])), t([1.0]))",
    "parameter disallowed": "ac(torch.nn.Parameter(t([1.0])), t([1.0]), allow_subclasses=False)",
    "requires grad": "ac(t([1.0, 2.0], requires_grad=True), t([1.0, 2.5]))",
    "large": "ac(torch.arange(1000.0), torch.arange(1000.0) + (torch.arange(1000.0) % 3 == 0).float() * 1e-3)",
    "thirds": "ac(t([1.0, 2.0, 3.0]), t([1.5, 2.5, 3.0]))",
    "allclose": "aa(t([1.0, 2.0]), t([1.0, 2.00001]))",
    "allclose fails": "aa(t([1.0, 2.0]), t([1.0, 2.1]))",
    "allclose nan": "aa(t([float('nan')]), t([float('nan')]))",
    "allclose lists": "aa([1.0, 2.0], [1.0, 2.5])",
    "allclose dtypes": "aa(t([1.0, 2.0], dtype=torch.float64), t([1.0, 2.0]))",
    "allclose msg": "aa(t([1.0]), t([2.0]), msg='nope')",
    "allclose tolerances": "aa(t([1.0]), t([1.05]), rtol=0.1, atol=0.0)",
    "allclose int": "aa(t([1, 2]), [1, 3])",
}

MAKE_CASES: dict[str, str] = {
    "float32": "make_tensor(2, 3, dtype=torch.float32, device='cpu')",
    "float64": "make_tensor((3, 2), dtype=torch.float64, device='cpu')",
    "float16": "make_tensor([4], dtype=torch.float16, device='cpu')",
    "int64": "make_tensor(5, dtype=torch.int64, device='cpu')",
    "int32": "make_tensor(2, 2, dtype=torch.int32, device='cpu')",
    "int16": "make_tensor(6, dtype=torch.int16, device='cpu', low=-100, high=100)",
    "int8": "make_tensor(6, dtype=torch.int8, device='cpu', low=-1000, high=1000)",
    "uint8": "make_tensor(6, dtype=torch.uint8, device='cpu')",
    "bool": "make_tensor(8, dtype=torch.bool, device='cpu')",
    "low high": "make_tensor(5, dtype=torch.float32, device='cpu', low=0.5, high=0.75)",
    "int float bounds": "make_tensor(6, dtype=torch.int64, device='cpu', low=0.5, high=3.2)",
    "only low": "make_tensor(4, dtype=torch.float32, device='cpu', low=8.0)",
    "requires_grad": "make_tensor(3, dtype=torch.float32, device='cpu', requires_grad=True)",
    "noncontiguous": "make_tensor(2, 3, dtype=torch.float32, device='cpu', noncontiguous=True)",
    "noncontiguous one": "make_tensor(1, dtype=torch.float32, device='cpu', noncontiguous=True)",
    "noncontiguous int": "make_tensor(4, dtype=torch.int64, device='cpu', noncontiguous=True)",
    "exclude_zero int": "make_tensor(20, dtype=torch.int64, device='cpu', low=-1, high=2, exclude_zero=True)",
    "exclude_zero bool": "make_tensor(10, dtype=torch.bool, device='cpu', exclude_zero=True)",
    "exclude_zero float": "make_tensor(5, dtype=torch.float32, device='cpu', exclude_zero=True)",
    "size": "make_tensor(torch.Size([2, 2]), dtype=torch.float32, device='cpu')",
    "scalar": "make_tensor((), dtype=torch.float32, device='cpu')",
    "empty": "make_tensor(0, 3, dtype=torch.float32, device='cpu')",
    "huge range": "make_tensor(4, dtype=torch.float32, device='cpu', low=-3e38, high=3e38)",
    "device object": "make_tensor(2, dtype=torch.float32, device=torch.device('cpu'))",
    "nan low": "make_tensor(2, dtype=torch.float32, device='cpu', low=float('nan'))",
    "low >= high": "make_tensor(2, dtype=torch.float32, device='cpu', low=3, high=1)",
    "interval": "make_tensor(2, dtype=torch.uint8, device='cpu', low=-5, high=-1)",
    "interval bool": "make_tensor(2, dtype=torch.bool, device='cpu', low=2, high=5)",
    "int requires_grad": "make_tensor(2, dtype=torch.int64, device='cpu', requires_grad=True)",
    "noncontiguous and memory_format":
        "make_tensor(2, dtype=torch.float32, device='cpu', noncontiguous=True, memory_format='x')",
    "low == high": "make_tensor(3, dtype=torch.float32, device='cpu', low=1.0, high=1.0)",
    "low == high int": "make_tensor(3, dtype=torch.int64, device='cpu', low=1, high=1)",
    "missing dtype": "make_tensor(3, device='cpu')",
}


def _outcome(expr: str, ns: dict[str, Any]) -> dict[str, Any]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = eval(expr, ns)  # noqa: S307 - our own case expressions
        except Exception as e:  # noqa: BLE001 - the class and message are the reference
            out: dict[str, Any] = {"error": type(e).__name__, "message": str(e)}
        else:
            out = {"error": None}
            if isinstance(value, torch.Tensor):
                out.update(value=value.detach(), dtype=str(value.dtype), shape=list(value.shape),
                           stride=list(value.stride()), contiguous=value.is_contiguous(),
                           requires_grad=value.requires_grad, next=torch.rand(2))
    out["warnings"] = [str(w.message) for w in caught]
    return out


def main(out_dir: Path) -> None:
    ns: dict[str, Any] = {"torch": torch, "np": np, "t": torch.tensor, "ac": torch.testing.assert_close,
                          "aa": torch.testing.assert_allclose, "make_tensor": torch.testing.make_tensor}
    close = {name: {"code": code, **_outcome(code, ns)} for name, code in CLOSE_CASES.items()}
    write_json(Path(out_dir) / "messages.json", {"torch": torch.__version__, "cases": close})
    made = {}
    for seed, (name, code) in enumerate(MAKE_CASES.items()):
        torch.manual_seed(seed)
        made[name] = {"code": code, "seed": seed, **_outcome(code, ns)}
    write_json(Path(out_dir) / "make_tensor.json", {"torch": torch.__version__, "cases": made})
