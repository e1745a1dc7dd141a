"""`Raw`: what a generator or file loader returns before splitting, scaling and casting."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Raw(NamedTuple):
    """Float64 inputs `(n, d)`; float64 targets `(n, k)` for regression or int64 classes `(n,)`."""

    x: np.ndarray
    y: np.ndarray
    n_classes: int | None = None
    class_names: tuple[str, ...] | None = None
    feature_names: tuple[str, ...] | None = None
