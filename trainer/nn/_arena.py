"""Per-dtype arena the parameters layers create for themselves are carved from.

Consecutive `take`s are adjacent views of one zeroed chunk, so a model's parameters (Linear weight,
bias, next Linear's weight, ...) lie back to back in memory and an optimizer can update them as one
flat array (`optim._flat`). Nothing is ever rebound: a parameter is a plain numpy view for its whole
life, so `p.data = t`, `.double()` or `load_state_dict` behave as with separately allocated arrays.
"""

from __future__ import annotations

import math

import numpy as np

CHUNK = 1 << 16
"""Elements of a chunk (plus the size of a parameter larger than this): bounds the memory a chunk's
unused tail can waste, while a small network's parameters all fit in one chunk."""

_chunks: dict[np.dtype, list] = {}  # dtype -> [chunk, elements used]


def take(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A zero-filled C-contiguous array of `shape`, the next view of the current `dtype` chunk."""
    n = math.prod(shape)
    slot = _chunks.get(dtype)
    if slot is None or slot[1] + n > slot[0].size:
        slot = _chunks[dtype] = [np.zeros(CHUNK + (n if n > CHUNK // 2 else 0), dtype), 0]
    chunk, used = slot
    slot[1] = used + n
    return chunk[used:used + n].reshape(shape)
