"""Synthetic classification data: `blobs`, `moons`, `circles`, `spirals`, `xor`.

Classes are balanced (the first classes get the remainder) and the rows come back in a random
order drawn from the same generator, as scikit-learn's generators do by default.
"""

from __future__ import annotations

import numpy as np

from ..errors import UserError
from .raw import Raw, check_size


def _counts(n: int, n_classes: int, width: int = 2) -> np.ndarray:
    check_size(n, width + 1)
    if n < n_classes:
        raise UserError(f"n={n} is smaller than n_classes={n_classes}", key="data.n",
                        hint="ask for at least one row per class")
    counts = np.full(n_classes, n // n_classes)
    counts[: n % n_classes] += 1
    return counts


def _shuffled(rng: np.random.Generator, x: np.ndarray, y: np.ndarray, n_classes: int) -> Raw:
    order = rng.permutation(len(y))
    return Raw(x[order], y[order].astype(np.int64), n_classes)


def blobs(rng: np.random.Generator, n: int = 300, n_classes: int = 3, d_in: int = 2, noise: float = 1.0,
          center_box: tuple[float, float] = (-5.0, 5.0)) -> Raw:
    """Gaussian clusters: centres ~ U(center_box) of shape (n_classes, d_in), points = centre + noise * N(0, 1)."""
    low, high = (float(v) for v in center_box)
    if not low < high:
        raise UserError(f"expected [low, high] with low < high, got {list(center_box)}", key="data.center_box")
    y = np.repeat(np.arange(n_classes), _counts(n, n_classes, d_in))
    centers = rng.uniform(low, high, (n_classes, d_in))
    x = centers[y] + noise * rng.standard_normal((n, d_in))
    return _shuffled(rng, x, y, n_classes)


def moons(rng: np.random.Generator, n: int = 200, noise: float = 0.1) -> Raw:
    """Two interleaving half circles (scikit-learn's make_moons), plus noise * N(0, 1) on both coordinates."""
    n_out, n_in = _counts(n, 2)
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    x = np.concatenate([np.stack([np.cos(t_out), np.sin(t_out)], 1),
                        np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], 1)])
    y = np.repeat([0, 1], [n_out, n_in])
    return _shuffled(rng, x + noise * rng.standard_normal(x.shape), y, 2)


def circles(rng: np.random.Generator, n: int = 200, noise: float = 0.05, factor: float = 0.5) -> Raw:
    """A large circle (class 0) around a small one of radius `factor` (class 1), plus noise * N(0, 1)."""
    if not 0 < factor < 1:
        raise UserError(f"factor must be in (0, 1), got {factor}", key="data.factor")
    n_out, n_in = _counts(n, 2)
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    x = np.concatenate([np.stack([np.cos(t_out), np.sin(t_out)], 1),
                        factor * np.stack([np.cos(t_in), np.sin(t_in)], 1)])
    y = np.repeat([0, 1], [n_out, n_in])
    return _shuffled(rng, x + noise * rng.standard_normal(x.shape), y, 2)


def spirals(rng: np.random.Generator, n: int = 300, n_classes: int = 3, noise: float = 0.2) -> Raw:
    """Interleaved spiral arms (CS231n's): radius 0..1, 4 rad of angle per arm, noise * N(0, 1) on the angle."""
    counts = _counts(n, n_classes)
    parts, labels = [], []
    for k, m in enumerate(counts):
        r = np.linspace(0.0, 1.0, m)
        t = np.linspace(4.0 * k, 4.0 * (k + 1), m) + noise * rng.standard_normal(m)
        parts.append(np.stack([r * np.sin(t), r * np.cos(t)], 1))
        labels.append(np.full(m, k))
    return _shuffled(rng, np.concatenate(parts), np.concatenate(labels), n_classes)


def xor(rng: np.random.Generator, n: int = 200, noise: float = 0.1) -> Raw:
    """x ~ U(-1, 1) of shape (n, 2); class 1 where the two signs differ; then noise * N(0, 1) added to x."""
    check_size(n, 3)
    x = rng.uniform(-1.0, 1.0, (n, 2))
    y = ((x[:, 0] > 0) != (x[:, 1] > 0)).astype(np.int64)
    return Raw(x + noise * rng.standard_normal(x.shape), y, 2)
