"""Cases whose results are compared as values, not gradients: predicates, indices, integer and bool
results, special inputs (nan, inf, -0.0), several outputs.

Each case is `fn(m, *tensors)` with `m` the library (`trainer` or `torch`) and the tensors made by
`m.tensor(array)` from fixed numpy arrays (their dtype kept), so both libraries see the same inputs.
tools/references_values.py evaluates them with PyTorch; tests/autograd/test_value_references.py with trainer.
A result may be a tensor, a Python scalar, or a tuple/list/dict of them (a named tuple counts as a tuple).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ValueCase:
    fn: Callable
    inputs: tuple[Any, ...] = ()  # each becomes np.asarray(x, dtype) with the matching dtypes entry
    dtypes: tuple[str, ...] = ()  # default float64 for every input

    def arrays(self) -> list[np.ndarray]:
        dtypes = self.dtypes or ("float64",) * len(self.inputs)
        return [np.asarray(x, dtype=d) for x, d in zip(self.inputs, dtypes, strict=True)]


def normalize(value: Any, to_numpy: Callable[[Any], np.ndarray]) -> Any:
    """A library result as plain data: tensors become numpy arrays, tuples become lists, scalars stay."""
    if isinstance(value, tuple | list):
        return [normalize(v, to_numpy) for v in value]
    if isinstance(value, dict):
        return {str(k): normalize(v, to_numpy) for k, v in value.items()}
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return to_numpy(value)


NAN, INF = float("nan"), float("inf")
SPECIAL = [0.0, -0.0, 1.5, -2.25, NAN, INF, -INF, 1e-300, 3.0]
