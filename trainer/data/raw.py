"""`Raw`: what a generator or file loader returns before splitting, scaling and casting."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..errors import UserError

MAX_VALUES = 20_000_000  # generated values per array (160 MB in float64)


class Raw(NamedTuple):
    """Float64 inputs `(n, d)` (or images `(n, C, H, W)`); float64 targets `(n, k)` for regression or int64
    classes `(n,)`."""

    x: np.ndarray
    y: np.ndarray
    n_classes: int | None = None
    class_names: tuple[str, ...] | None = None
    feature_names: tuple[str, ...] | None = None
    target_names: tuple[str, ...] | None = None


def check_size(n: int, width: int) -> None:
    """A UserError when `n` rows of `width` values would be too large to generate."""
    if n * width > MAX_VALUES:
        raise UserError(f"n={n} rows of {width} values is more than {MAX_VALUES:,} values", key="data.n",
                        hint="ask for fewer rows or inputs")
