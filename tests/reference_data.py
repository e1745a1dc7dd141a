"""Load the PyTorch reference values committed under tests/references/ (made by tools/make_references.py)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

REFERENCES = Path(__file__).resolve().parent / "references"


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if value.get("__array__"):
            return np.asarray(value["data"], dtype=value["dtype"]).reshape(value["shape"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


@cache
def load_reference(area: str, name: str) -> Any:
    """The decoded contents of tests/references/<area>/<name>.json (arrays as numpy arrays)."""
    path = REFERENCES / area / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"missing reference {path}; run tools/make_references.py {area} with PyTorch installed")
    return _decode(json.loads(path.read_text()))


def assert_close(actual: Any, expected: Any, rtol: float = 1e-7, atol: float = 1e-10, what: str = "") -> None:
    """Relative comparison for float64 results against PyTorch."""
    a = np.asarray(actual._array if hasattr(actual, "_array") and not isinstance(actual, np.ndarray) else actual)
    e = np.asarray(expected)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != reference {e.shape}"
    np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=what)
