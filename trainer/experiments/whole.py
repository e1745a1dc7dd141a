"""Counts stay integers: an epoch, a run count or a whole mean of epochs is written as 199, not 199.0."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any


def is_count(value: Any) -> bool:
    """True for an int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def all_counts(values: Iterable[Any]) -> bool:
    """True when every finite number among `values` is an int (None and infinities are skipped); False if none is."""
    finite = [v for v in values if v is not None and not (isinstance(v, float) and not math.isfinite(v))]
    return bool(finite) and all(is_count(v) for v in finite)


def whole(value: Any) -> Any:
    """`value` as an int when it is a finite float with no fraction; anything else unchanged."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value
