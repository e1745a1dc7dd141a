"""Encode nested state (dicts, lists, tuples, numbers, arrays, tensors) as JSON text plus named arrays.

Checkpoints must load with `numpy.load(..., allow_pickle=False)`, so nested state cannot be pickled:
the structure goes into JSON, every array into its own npz entry, and tags keep what JSON would lose
(tuples, non-string dict keys, numpy scalars and their dtypes, tensors versus arrays).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from ..autograd import Tensor

_TAG = "__kind__"


def encode(obj: Any, prefix: str = "a") -> tuple[str, dict[str, np.ndarray]]:
    """Split `obj` into JSON text and a dict of arrays keyed `<prefix><n>`."""
    arrays: dict[str, np.ndarray] = {}

    def walk(x: Any) -> Any:
        if isinstance(x, Tensor):
            return {_TAG: "tensor", "key": store(x.numpy())}
        if isinstance(x, np.ndarray):
            return {_TAG: "array", "key": store(x)}
        if isinstance(x, np.generic):
            return {_TAG: "scalar", "key": store(np.asarray(x))}
        if x is None or isinstance(x, bool | int | str):
            return x
        if isinstance(x, float):
            return x if np.isfinite(x) else {_TAG: "float", "repr": repr(x)}
        if isinstance(x, tuple):
            return {_TAG: "tuple", "items": [walk(v) for v in x]}
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, dict):
            if all(isinstance(k, str) for k in x) and _TAG not in x:
                return {k: walk(v) for k, v in x.items()}
            return {_TAG: "dict", "items": [[walk(k), walk(v)] for k, v in x.items()]}
        raise TypeError(f"cannot store a {type(x).__name__} in a checkpoint")

    def store(arr: np.ndarray) -> str:
        if arr.dtype.hasobject:
            raise TypeError("cannot store an object array in a checkpoint")
        key = f"{prefix}{len(arrays)}"
        arrays[key] = np.array(arr, copy=True)
        return key

    return json.dumps(walk(obj), allow_nan=False), arrays


def decode(text: str, arrays: Any) -> Any:
    """Rebuild the object `encode` split; `arrays` is anything indexable by key (an NpzFile, a dict)."""

    def walk(x: Any) -> Any:
        if isinstance(x, list):
            return [walk(v) for v in x]
        if not isinstance(x, dict):
            return x
        kind = x.get(_TAG)
        if kind is None:
            return {k: walk(v) for k, v in x.items()}
        if kind == "tensor":
            return Tensor._from_data(np.array(arrays[x["key"]], copy=True))
        if kind == "array":
            return np.array(arrays[x["key"]], copy=True)
        if kind == "scalar":
            return np.asarray(arrays[x["key"]])[()]
        if kind == "float":
            return float(x["repr"])
        if kind == "tuple":
            return tuple(walk(v) for v in x["items"])
        if kind == "dict":
            return {_hashable(walk(k)): walk(v) for k, v in x["items"]}
        raise ValueError(f"unknown entry kind {kind!r} in checkpoint")

    return walk(json.loads(text))


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key
