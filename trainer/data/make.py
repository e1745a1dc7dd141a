"""`make_dataset`: run one generator or loader, then shuffle, split, standardize and cast."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .._lazy import LazyTable
from ..errors import UserError
from .dataset import Dataset
from .files import FileSource
from .memory import check_generated_size
from .raw import Raw
from .streams import GENERATE, SHUFFLE, data_generator

# name -> the function making the data (a Raw), each module imported when its data is first made
GENERATORS: LazyTable = LazyTable(__package__, {
    "linear": "regression:linear",
    "polynomial": "regression:polynomial",
    "sine": "regression:sine",
    "blobs": "classification:blobs",
    "moons": "classification:moons",
    "circles": "classification:circles",
    "spirals": "classification:spirals",
    "xor": "classification:xor",
})
LOADERS: LazyTable = LazyTable(__package__, {
    "csv": "csv_file:csv", "npz": "npz_file:npz", "dataset": "sklearn_sets:dataset", "openml": "openml:openml"})
DATA_TYPES: LazyTable = GENERATORS | LOADERS
CLASSIFICATION_TYPES = frozenset({"blobs", "moons", "circles", "spirals", "xor"})


def _float_dtype(dtype: Any) -> np.dtype:
    d = np.dtype(dtype)
    if d not in (np.float32, np.float64):
        raise ValueError(f"data dtype must be float32 or float64, got {d}")
    return d


def split_sizes(n: int, val_fraction: float) -> tuple[int, int]:
    """(n_train, n_val): the validation split is round(n * val_fraction) rows, at least 1 when asked for."""
    if not 0.0 <= val_fraction < 1.0:
        raise UserError(f"val_fraction must be in [0, 1), got {val_fraction}", key="data.val_fraction")
    n_val = 0 if val_fraction == 0 else max(1, int(round(n * val_fraction)))
    if n - n_val < 1:
        raise UserError(f"val_fraction={val_fraction} leaves no training rows out of {n}", key="data.val_fraction")
    return n - n_val, n_val


def _standardize(x_train: np.ndarray, *others: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, list]:
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return mean, std, [None if a is None else (a - mean) / std for a in (x_train, *others)]


def _check_finite(raw: Raw) -> None:
    arrays = (raw.x,) if raw.n_classes is not None else (raw.x, raw.y)
    if not all(np.isfinite(a).all() for a in arrays):
        raise UserError("the data holds infinite or NaN values", key="data",
                        hint="check the weights, bias, coefficients, ranges and noise")


def _task(raw: Raw) -> str:
    if raw.n_classes is None:
        return "regression"
    if raw.n_classes < 2:
        raise UserError(f"classification data needs at least 2 classes, found {raw.n_classes}", key="data")
    return "binary" if raw.n_classes == 2 else "multiclass"


def make_dataset(type: str, args: Mapping[str, Any] | None = None, *, seed: int = 0, dtype: Any = "float32",
                 val_fraction: float = 0.0, shuffle: bool = False, standardize: bool = False,
                 base_dir: str | Path | None = None, classification: bool = False,
                 max_bytes: int | None = None) -> Dataset:
    """Generate (or load) data and return the training/validation `Dataset`.

    Generators draw from `default_rng([seed, GENERATE])`, the row shuffle from `default_rng([seed, SHUFFLE])`.
    File loaders resolve `path` against `base_dir` (the config's folder; default the working directory) and,
    with `task: auto`, read class labels when `classification` is true. The validation split is the last
    `round(n * val_fraction)` rows (after the optional shuffle); standardization uses training-split statistics.
    `max_bytes` refuses (before allocating) data that would need more memory than that.
    """
    if type not in DATA_TYPES:
        raise UserError(f"unknown data type '{type}'", key="data.type", hint=f"one of {', '.join(DATA_TYPES)}")
    fdtype = _float_dtype(dtype)
    args = dict(args or {})
    with np.errstate(over="ignore", invalid="ignore"):  # non-finite results are reported just below
        try:
            if type in LOADERS:
                source = FileSource(Path.cwd() if base_dir is None else Path(base_dir), classification, max_bytes)
                raw = LOADERS[type](source, **args)
            else:
                check_generated_size(args, max_bytes)
                raw = GENERATORS[type](data_generator(seed, GENERATE), **args)
        except OverflowError:
            raise UserError("the data's settings overflow (a range or scale too large to compute with)",
                            key="data", hint="use bounds and scales within about ±1e150") from None
    _check_finite(raw)
    if len(raw.x) == 0:
        raise UserError("the data has no rows", key="data", hint="give at least one row of inputs and targets")
    task = _task(raw)
    x, y = raw.x, raw.y
    n = len(x)
    if shuffle:
        order = data_generator(seed, SHUFFLE).permutation(n)
        x, y = x[order], y[order]
    n_train, n_val = split_sizes(n, val_fraction)
    x_train, y_train = x[:n_train], y[:n_train]
    x_val, y_val = (x[n_train:], y[n_train:]) if n_val else (None, None)
    mean = std = None
    if standardize:
        with np.errstate(over="ignore", invalid="ignore"):
            mean, std, (x_train, x_val) = _standardize(x_train, x_val)

    def cast_x(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else np.ascontiguousarray(a, dtype=fdtype)

    def cast_y(a: np.ndarray | None) -> np.ndarray | None:
        if a is None:
            return None
        return np.ascontiguousarray(a, dtype=np.int64 if raw.n_classes is not None else fdtype)

    with np.errstate(over="ignore"):
        x_train, y_train, x_val, y_val = cast_x(x_train), cast_y(y_train), cast_x(x_val), cast_y(y_val)
    if not all(a is None or np.isfinite(a).all() for a in (x_train, y_train, x_val, y_val)):
        raise UserError(f"the data holds values too large for {fdtype}", key="data",
                        hint="scale the data down, or use training.dtype: float64")
    return Dataset(
        x_train=x_train, y_train=y_train, x_val=x_val, y_val=y_val,
        task=task, n_classes=raw.n_classes, in_features=int(np.prod(x.shape[1:])), input_shape=tuple(x.shape[1:]),
        out_features=int(raw.n_classes if raw.n_classes is not None else y.shape[1]),
        x_mean=mean, x_std=std, class_names=raw.class_names, feature_names=raw.feature_names,
        target_names=raw.target_names,
    )
