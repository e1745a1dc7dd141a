"""Seeded generators for data, derived from the config seed and never from global state."""

from __future__ import annotations

import numpy as np

# Stream ids: each job draws from its own generator so that, e.g., turning row shuffling on
# does not change the generated values, and model initialisation never shifts the data.
GENERATE = 1
SHUFFLE = 2


def data_generator(seed: int, stream: int) -> np.random.Generator:
    """The generator for one data stream: `np.random.default_rng([seed, stream])`."""
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    return np.random.default_rng([int(seed), int(stream)])
