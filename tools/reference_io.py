"""Shared helpers for the reference generators: JSON files of float64 arrays, written deterministically, and the
outcome of a call that may fail or warn."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np


def to_jsonable(value: Any) -> Any:
    """Arrays become {"shape", "dtype", "data"} dicts (full float64 precision via repr of floats)."""
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        return {"__array__": True, "shape": list(value.shape), "dtype": str(value.dtype),
                "data": value.reshape(-1).tolist()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def write_json(path: Path, payload: Any) -> None:
    path.write_text(json.dumps(to_jsonable(payload), indent=None, sort_keys=True) + "\n")


def outcome(call: Any) -> dict[str, Any]:
    """What `call()` does: the class and first message line of what it raises, or the shape of what it returns, and
    the messages of every warning it gives."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = call()
        except Exception as e:  # noqa: BLE001 - the class is the reference
            result = {"error": type(e).__name__, "message": str(e).split("\n")[0]}
        else:
            result = {"error": None, "shape": list(out.shape)}
    result["warnings"] = [str(w.message) for w in caught]
    return result
