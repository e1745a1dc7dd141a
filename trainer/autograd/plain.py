"""numpy's C functions without their `__array_function__` step, for the hot paths whose operands are always
plain ndarrays (a Tensor's `_array`).

`np.dot` and `np.concatenate` first call a Python dispatcher that collects the arguments for
`__array_function__` overrides (dask, cupy, ...): ~0.15-0.2 µs of a ~1 µs call on small arrays, five dots
and a concatenation per step of a two-layer network. The functions here are the same C functions
(`__wrapped__`), so results are the same bits; where numpy has no `__wrapped__`, the public function.
"""

from __future__ import annotations

import numpy as np

dot = getattr(np.dot, "__wrapped__", np.dot)
concatenate = getattr(np.concatenate, "__wrapped__", np.concatenate)
