"""`DataLoader`: mini-batches over in-memory arrays, shuffled from the library's seeded generator."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from ..autograd.random import Generator, default_generator

Source = Generator | np.random.Generator


def num_batches(n: int, batch_size: int | None, drop_last: bool = False) -> int:
    """How many batches one epoch over `n` rows has (PyTorch's DataLoader rule)."""
    if n == 0:
        return 0
    size = n if batch_size is None else batch_size
    return n // size if drop_last else -(-n // size)


class DataLoader:
    """Iterate `(x_batch, y_batch)` numpy pairs.

    `batch_size=None` means one full batch. With `shuffle=True`, each epoch (each `iter()`) draws a
    permutation at that moment from `generator`: a `trainer.Generator` (`randperm(n)`'s numbers), a numpy
    Generator, or a function returning one; the default is `trainer.default_generator`, so
    `manual_seed` / `set_rng_state` (resume) control the order. A single full batch is never permuted:
    the order cannot change the result beyond rounding, and no random numbers are spent on it.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, batch_size: int | None = None, shuffle: bool = False,
                 drop_last: bool = False, generator: Source | Callable[[], Source] | None = None) -> None:
        if len(x) != len(y):
            raise ValueError(f"x has {len(x)} rows but y has {len(y)}")
        if batch_size is not None and batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer or None, got {batch_size}")
        self.x, self.y = x, y
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.generator = generator

    def _source(self) -> Source:
        g = self.generator
        if g is None:
            return default_generator
        return g if isinstance(g, Generator | np.random.Generator) else g()

    def __len__(self) -> int:
        return num_batches(len(self.x), self.batch_size, self.drop_last)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        n = len(self.x)
        size = n if self.batch_size is None else self.batch_size
        count = len(self)
        if count == 0:
            return
        if size >= n:
            yield self.x, self.y
            return
        order = self._source().permutation(n) if self.shuffle else None
        for i in range(count):
            idx = slice(i * size, (i + 1) * size) if order is None else order[i * size:(i + 1) * size]
            yield self.x[idx], self.y[idx]


def iterate_batches(x: np.ndarray, y: np.ndarray, batch_size: int | None, shuffle: bool = False,
                    generator: Source | None = None,
                    drop_last: bool = False) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch of batches; `generator` defaults to the library's seeded generator.

    A full batch (the loop's default) is the arrays themselves, without building a DataLoader each epoch.
    """
    if 0 < len(x) == len(y) and (batch_size is None or batch_size >= len(x)):
        return iter(((x, y),))
    return iter(DataLoader(x, y, batch_size, shuffle, drop_last, generator))
