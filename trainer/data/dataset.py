"""`Dataset`: the arrays a run trains and validates on, plus what the builders need to know about them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Task = Literal["regression", "binary", "multiclass"]


@dataclass(frozen=True)
class Dataset:
    """Training and (optional) validation split.

    Inputs are `(n, *input_shape)` arrays in the run's float dtype: 2-D `(n, in_features)` rows, or images
    `(n, C, H, W)` (sequences `(n, C, L)`) whose `in_features` is C*H*W. Regression targets are
    2-D `(n, out_features)` in the same dtype; class targets are int64 class indices of shape `(n,)`.
    `x_val` / `y_val` are None when `val_fraction` is 0. `x_mean` / `x_std` are the float64 statistics
    the inputs were standardized with (None without `standardize`).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray | None
    y_val: np.ndarray | None
    task: Task
    n_classes: int | None
    in_features: int
    out_features: int
    x_mean: np.ndarray | None = None
    x_std: np.ndarray | None = None
    class_names: tuple[str, ...] | None = None
    feature_names: tuple[str, ...] | None = None
    target_names: tuple[str, ...] | None = None
    input_shape: tuple[int, ...] = ()  # one row's shape; () means (in_features,)

    def __post_init__(self) -> None:
        if not self.input_shape:
            object.__setattr__(self, "input_shape", (self.in_features,))

    @property
    def has_val(self) -> bool:
        """True when a validation split exists."""
        return self.x_val is not None

    @property
    def n_train(self) -> int:
        return int(self.x_train.shape[0])

    @property
    def n_val(self) -> int:
        return 0 if self.x_val is None else int(self.x_val.shape[0])

    @property
    def is_classification(self) -> bool:
        return self.task != "regression"
