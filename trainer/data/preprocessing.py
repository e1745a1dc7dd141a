"""`Preprocessing`: what a run did to its inputs and how it names its outputs, as plain JSON (preprocessing.json).

Raw new rows go through `transform` exactly as the training rows went through `make_dataset`: float64,
standardized by the training split's float64 mean and std (when `data.standardize` was on), then cast to
the run's dtype. Targets are never standardized, so predictions need no inverse transform.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UserError
from .dataset import Dataset

FORMAT = 1


def default_names(prefix: str, width: int) -> tuple[str, ...]:
    """Column names for data that has none: `x` for one column, else `x0`, `x1`, ..."""
    return (prefix,) if width == 1 else tuple(f"{prefix}{i}" for i in range(width))


@dataclass(frozen=True)
class Preprocessing:
    """How raw inputs become the model's and how its outputs are named.

    `features`: input column names in the model's order; `input_shape`: one row's shape; `mean` / `std`:
    float64 per-feature standardization (None when off); `classes`: the label of each class index (None for
    regression); `targets`: the target column names; `task`: regression, binary or multiclass.
    """

    task: str
    dtype: str
    features: tuple[str, ...]
    input_shape: tuple[int, ...]
    targets: tuple[str, ...]
    classes: tuple[str, ...] | None = None
    mean: np.ndarray | None = None
    std: np.ndarray | None = None

    @property
    def width(self) -> int:
        """Input values per row."""
        return math.prod(self.input_shape)

    def transform(self, x: Any, *, source: str | None = None) -> np.ndarray:
        """Raw rows, `(n, *input_shape)` or flat `(n, width)`, as the model saw them in training."""
        a = np.asarray(x, dtype=np.float64)
        if a.ndim == 1 and self.width == 1:
            a = a.reshape(-1, 1)
        if a.ndim < 2 or math.prod(a.shape[1:]) != self.width:
            raise UserError(f"inputs of shape {a.shape} do not fit the model, which takes rows of shape "
                            f"{tuple(self.input_shape)}", file=source,
                            hint=f"give {self.width} value(s) per row: {', '.join(self.features[:8])}"
                                 f"{', ...' if len(self.features) > 8 else ''}")
        a = a.reshape(len(a), *self.input_shape)
        if not np.isfinite(a).all():
            raise UserError("the inputs hold NaN or infinite values", file=source, hint="fill in or drop those rows")
        with np.errstate(over="ignore", invalid="ignore"):
            if self.mean is not None:
                a = (a - self.mean) / self.std
            out = np.ascontiguousarray(a, dtype=np.dtype(self.dtype))
        if not np.isfinite(out).all():
            raise UserError(f"the inputs hold values too large for {self.dtype}", file=source)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: lists and numbers only (floats round-trip exactly)."""
        return {
            "format": FORMAT, "task": self.task, "dtype": self.dtype, "features": list(self.features),
            "input_shape": list(self.input_shape), "targets": list(self.targets),
            "classes": None if self.classes is None else list(self.classes),
            "standardize": None if self.mean is None else {"mean": self.mean.tolist(), "std": self.std.tolist()},
        }

    @classmethod
    def from_dict(cls, data: Any, file: str | None = None) -> Preprocessing:
        """The inverse of `to_dict`; a damaged file is a UserError naming the key."""
        def bad(key: str, what: str) -> UserError:
            return UserError(f"{what}", file=file, key=key, hint="the file is damaged or was edited by hand; "
                             "train the run again to rewrite it")

        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise bad("format", f"not a trainer preprocessing file of format {FORMAT}")
        try:
            features = tuple(str(f) for f in data["features"])
            shape = tuple(int(s) for s in data["input_shape"])
            targets = tuple(str(t) for t in data["targets"])
            classes = None if data.get("classes") is None else tuple(str(c) for c in data["classes"])
            scale = data.get("standardize")
            mean = std = None
            if scale is not None:
                mean = np.asarray(scale["mean"], dtype=np.float64)
                std = np.asarray(scale["std"], dtype=np.float64)
            out = cls(task=str(data["task"]), dtype=str(data["dtype"]), features=features, input_shape=shape,
                      targets=targets, classes=classes, mean=mean, std=std)
        except (KeyError, TypeError, ValueError) as exc:
            raise bad(str(exc).strip("'"), f"cannot read it: {type(exc).__name__}: {exc}") from None
        if out.dtype not in ("float32", "float64"):
            raise bad("dtype", f"dtype must be float32 or float64, got {out.dtype!r}")
        if len(features) != out.width:
            raise bad("features", f"{len(features)} feature names for input_shape {list(shape)}")
        return out

    def to_json(self) -> str:
        """preprocessing.json's text."""
        return json.dumps(self.to_dict(), indent=2) + "\n"

    @classmethod
    def read(cls, path: str | Path) -> Preprocessing:
        """Load a preprocessing.json."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"{path.parent} has no {path.name}", file=str(path.parent),
                            hint="it is written by trainer run; a run made by an older trainer needs training "
                                 "again") from None
        except (OSError, ValueError) as exc:
            raise UserError(f"cannot read {path.name}: {exc}", file=str(path)) from None
        return cls.from_dict(data, str(path))


def preprocessing_of(data: Dataset, dtype: Any) -> Preprocessing:
    """What `make_dataset` applied to `data`'s inputs, and the names of its features, targets and classes."""
    shape = tuple(int(s) for s in data.x_train.shape[1:])
    width = math.prod(shape)
    features = data.feature_names or default_names("x", width)
    if data.is_classification:
        targets = data.target_names or ("y",)
        classes = data.class_names or tuple(str(i) for i in range(int(data.n_classes)))
    else:
        targets = data.target_names or default_names("y", data.out_features)
        classes = None
    return Preprocessing(task=data.task, dtype=np.dtype(dtype).name, features=tuple(features), input_shape=shape,
                         targets=tuple(targets), classes=classes,
                         mean=None if data.x_mean is None else np.asarray(data.x_mean, dtype=np.float64),
                         std=None if data.x_std is None else np.asarray(data.x_std, dtype=np.float64))
