"""The one seeded generator the whole library draws from."""

from __future__ import annotations

from typing import Any

import numpy as np

# PyTorch's default seed, so an unseeded process is still deterministic.
DEFAULT_SEED = 67280421310721

_generator = [np.random.default_rng(DEFAULT_SEED)]
_seed = [DEFAULT_SEED]


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the library's generator; the same seed gives bit-identical draws."""
    seed = int(seed)
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    _seed[0] = seed
    _generator[0] = np.random.default_rng(seed)
    return _generator[0]


def initial_seed() -> int:
    """The seed last given to `manual_seed` (or the default one)."""
    return _seed[0]


def default_generator() -> np.random.Generator:
    """The generator that random creation functions, init and dropout draw from."""
    return _generator[0]


def get_rng_state() -> dict[str, Any]:
    """A JSON-friendly snapshot of the generator, for checkpoints."""
    return _generator[0].bit_generator.state


def set_rng_state(state: dict[str, Any]) -> None:
    """Restore a snapshot taken by `get_rng_state`."""
    gen = np.random.default_rng()
    gen.bit_generator.state = state
    _generator[0] = gen
