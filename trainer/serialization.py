"""`trainer.save` / `trainer.load`: PyTorch's API over a zip of one JSON structure and `.npy` arrays.

Tensors (with dtype, shape, `requires_grad` and whether they are Parameters), numpy arrays, numbers,
strings, None, dtypes and (ordered) dicts, lists and tuples of them round-trip without running code:
arrays load with `allow_pickle=False`. Anything else (a whole Module, a custom object) is pickled inside
the same zip, and reading it needs `weights_only=False`, as PyTorch 2.6+ asks.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import IO, Any

import numpy as np

from .autograd import Tensor
from .autograd.dtypes import dtype, public
from .nn import Parameter

FORMAT = "trainer.save/1"
_ROOT = "archive/"
_ATOMS = (bool, int, float, str, type(None))
FileLike = str | os.PathLike | IO[bytes]

_WEIGHTS_ONLY_HINT = (
    "Weights only load failed. This file can still be loaded, to do so you have two options, do those steps only "
    "if you trust the source of the checkpoint. \n\t(1) Re-running `trainer.load` with `weights_only` set to `False` "
    "will likely succeed, but it can result in arbitrary code execution. Do it only if you got the file from a "
    "trusted source.\n\t(2) Alternatively, save only tensors, state dicts and containers of them "
    "(`trainer.save(model.state_dict(), f)`), which load with the default `weights_only=True`.\n\t"
    "WeightsUnpickler error: Unsupported global: the file holds a pickled {what}, "
    "which is not allowed by default."
)


class _Writer:
    """Turns an object into a JSON-able tree, collecting arrays and pickled objects."""

    def __init__(self) -> None:
        self.arrays: list[np.ndarray] = []
        self.pickles: list[bytes] = []
        self._seen: dict[int, int] = {}  # id(tensor or array) -> array index, so shared tensors stay shared
        self._keep: list[Any] = []  # keeps ids valid while writing

    def _array(self, obj: Any, arr: np.ndarray) -> int:
        if id(obj) not in self._seen:
            if arr.dtype.kind in "OV":
                raise TypeError(f"cannot save an array of dtype {arr.dtype} without pickling")
            self._seen[id(obj)] = len(self.arrays)
            self._keep.append(obj)
            self.arrays.append(np.asarray(arr, order="C"))  # (ascontiguousarray makes 0-d 1-d)
        return self._seen[id(obj)]

    def encode(self, obj: Any) -> Any:
        if type(obj) in _ATOMS:
            return obj
        if isinstance(obj, Tensor):
            return {"__t": "tensor", "index": self._array(obj, obj._array), "requires_grad": bool(obj.requires_grad),
                    "parameter": isinstance(obj, Parameter)}
        if isinstance(obj, np.ndarray) and obj.dtype.kind not in "OV":
            return {"__t": "ndarray", "index": self._array(obj, obj)}
        if isinstance(obj, np.generic) and obj.dtype.kind not in "OV":
            return {"__t": "npscalar", "index": self._array(obj, np.asarray(obj))}
        if isinstance(obj, np.dtype | dtype):
            return {"__t": "dtype", "name": obj.str}
        if type(obj) in (dict, OrderedDict):
            return {"__t": "odict" if type(obj) is OrderedDict else "dict",
                    "items": [[self.encode(k), self.encode(v)] for k, v in obj.items()]}
        if type(obj) is list:
            return [self.encode(v) for v in obj]
        if type(obj) is tuple:
            return {"__t": "tuple", "items": [self.encode(v) for v in obj]}
        self.pickles.append(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        return {"__t": "pickle", "index": len(self.pickles) - 1, "type": f"{type(obj).__module__}.{type(obj).__name__}"}


class _Reader:
    """Rebuilds objects from the tree, reading arrays (never pickled) and, when allowed, pickles."""

    def __init__(self, archive: zipfile.ZipFile, weights_only: bool) -> None:
        self.archive = archive
        self.weights_only = weights_only
        self._tensors: dict[int, Any] = {}

    def _array(self, index: int) -> np.ndarray:
        with self.archive.open(f"{_ROOT}data/{index}.npy") as f:
            return np.load(io.BytesIO(f.read()), allow_pickle=False)

    def decode(self, node: Any) -> Any:
        if type(node) is list:
            return [self.decode(v) for v in node]
        if type(node) is not dict:
            return node
        kind = node["__t"]
        if kind == "tensor":
            key = node["index"]
            if key not in self._tensors:
                arr = self._array(key)
                if node["parameter"]:
                    self._tensors[key] = Parameter(arr, requires_grad=node["requires_grad"])
                else:
                    t = Tensor._wrap(arr)
                    self._tensors[key] = t.requires_grad_(True) if node["requires_grad"] else t
            return self._tensors[key]
        if kind == "ndarray":
            return self._array(node["index"])
        if kind == "npscalar":
            return self._array(node["index"])[()]
        if kind == "dtype":
            return public(node["name"])
        if kind in ("dict", "odict"):
            items = [(self.decode(k), self.decode(v)) for k, v in node["items"]]
            return OrderedDict(items) if kind == "odict" else dict(items)
        if kind == "tuple":
            return tuple(self.decode(v) for v in node["items"])
        if kind == "pickle":
            if self.weights_only:
                raise pickle.UnpicklingError(_WEIGHTS_ONLY_HINT.format(what=node["type"]))
            with self.archive.open(f"{_ROOT}pickles/{node['index']}.pkl") as f:
                return pickle.loads(f.read())  # noqa: S301 - only with weights_only=False, as the caller asked
        raise ValueError(f"unknown node {kind!r} in a trainer.save file")


def save(obj: Any, f: FileLike, pickle_module: Any = None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True, _disable_byteorder_record: bool = False) -> None:
    """Save `obj` to a path or a binary file object (PyTorch's signature; the pickle arguments are ignored)."""
    writer = _Writer()
    tree = writer.encode(obj)
    with _open(f, "w") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(f"{_ROOT}version", FORMAT + "\n")
        archive.writestr(f"{_ROOT}data.json", json.dumps(tree, allow_nan=True))
        for i, arr in enumerate(writer.arrays):
            buffer = io.BytesIO()
            np.save(buffer, arr, allow_pickle=False)
            archive.writestr(f"{_ROOT}data/{i}.npy", buffer.getvalue())
        for i, blob in enumerate(writer.pickles):
            archive.writestr(f"{_ROOT}pickles/{i}.pkl", blob)


def load(f: FileLike, map_location: Any = None, pickle_module: Any = None, *, weights_only: bool | None = True,
         mmap: bool | None = None, **pickle_load_args: Any) -> Any:
    """Load what `save` wrote. `weights_only=True` (the default) refuses pickled objects.

    `map_location` ('cpu', a device, a dict of locations or a callable) is checked and otherwise ignored:
    everything lives on the CPU.
    """
    _check_map_location(map_location)
    weights_only = True if weights_only is None else weights_only
    with _open(f, "r") as handle:
        if not zipfile.is_zipfile(handle):
            raise pickle.UnpicklingError("not a file written by trainer.save (expected a zip archive)")
        handle.seek(0)
        with zipfile.ZipFile(handle, "r") as archive:
            names = set(archive.namelist())
            if f"{_ROOT}data.json" not in names:
                hint = " (a PyTorch checkpoint? trainer reads only files trainer.save wrote)" if any(
                    n.endswith("data.pkl") for n in names) else ""
                raise pickle.UnpicklingError(f"not a file written by trainer.save{hint}")
            version = archive.read(f"{_ROOT}version").decode().strip() if f"{_ROOT}version" in names else "?"
            if version != FORMAT:
                raise pickle.UnpicklingError(f"unsupported trainer.save format {version!r} (expected {FORMAT!r})")
            tree = json.loads(archive.read(f"{_ROOT}data.json"))
            return _Reader(archive, weights_only).decode(tree)


class _open:  # noqa: N801 - a context manager used like open()
    """A binary handle on a path (opened and closed here) or a caller's file object (left open)."""

    def __init__(self, f: FileLike, mode: str) -> None:
        self.f = f
        self.mode = mode
        self.owned: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        if isinstance(self.f, str | os.PathLike):
            self.owned = open(self.f, self.mode + "b")  # noqa: SIM115 - closed in __exit__
            return self.owned
        needed = "write" if self.mode == "w" else "read"
        if not hasattr(self.f, needed):
            raise AttributeError(f"expected a path or a file-like object with '{needed}', got {type(self.f).__name__}")
        return self.f

    def __exit__(self, *exc: Any) -> None:
        if self.owned is not None:
            self.owned.close()


def _check_location(location: Any) -> None:
    name = location if isinstance(location, str) else getattr(location, "type", None)
    if not isinstance(name, str):
        raise TypeError(f"map_location should be a str, a device, a dict or a callable, got {type(location).__name__}")
    if not name.lower().startswith(("cpu", "meta")):
        raise RuntimeError(f"Attempting to deserialize object on device {name!r}, but only the 'cpu' device exists. "
                           "Please use map_location='cpu' to map your storages to the CPU.")


def _check_map_location(map_location: Any) -> None:
    """PyTorch's accepted forms; any target but the CPU is refused, since only the CPU exists here."""
    if map_location is None or isinstance(map_location, Callable) and not hasattr(map_location, "type"):
        return
    if isinstance(map_location, Mapping):
        for value in map_location.values():
            _check_location(value)
        return
    _check_location(map_location)
