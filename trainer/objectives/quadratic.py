"""A convex quadratic with a chosen condition number: f(x) = (x - c)^T A (x - c) / 2, A = Q^T diag(lambda) Q.

The eigenvalues run from 1/condition_number up to 1 (the largest is 1, so a step size of the order
of 1 is the stability limit of gradient descent whatever the condition number), spaced
geometrically (`spectrum: log`) or evenly (`linear`). `rotate` turns the axes by a random orthogonal
Q drawn from `rotation_seed` (fixed per problem: every run seed sees the same function); without it
A is diagonal, so per-coordinate methods (Adam, RMSprop) see the scales directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from ..autograd import Tensor, from_numpy
from .base import Objective, Stationary

MAX_ROTATED = 2048  # a rotation holds dimension^2 numbers and costs a QR decomposition of that size


def eigenvalues(dimension: int, condition_number: float, spectrum: str) -> np.ndarray:
    """The spectrum from 1/condition_number to 1, ascending."""
    if dimension == 1:
        return np.ones(1)
    if spectrum == "linear":
        return np.linspace(1.0 / condition_number, 1.0, dimension)
    return np.geomspace(1.0 / condition_number, 1.0, dimension)


def rotation(dimension: int, seed: int) -> np.ndarray:
    """A Haar-random orthogonal matrix (QR of a Gaussian matrix, signs fixed by R's diagonal)."""
    gauss = np.random.default_rng(seed).standard_normal((dimension, dimension))
    q, r = np.linalg.qr(gauss)
    return q * np.sign(np.diag(r))


class Quadratic(Objective):
    """A convex quadratic (x - c)^T A (x - c) / 2 of any dimension and condition number; minimum f(c) = 0."""

    def __init__(self, dimension: int = 2, condition_number: float = 10.0, start: Sequence[float] | None = None,
                 noise: float = 0.0, spectrum: Literal["log", "linear"] = "log", rotate: bool = True,
                 rotation_seed: int = 0, center: Sequence[float] | None = None) -> None:
        if dimension < 1 or condition_number < 1:
            raise ValueError("needs dimension >= 1 and condition_number >= 1")
        if rotate and dimension > MAX_ROTATED:
            raise ValueError(f"a rotation of dimension {dimension} needs {dimension}^2 numbers; "
                             f"use rotate: false above {MAX_ROTATED}")
        for name, given in (("start", start), ("center", center)):
            if given is not None and len(given) != dimension:
                raise ValueError(f"{name} has {len(given)} numbers but dimension is {dimension}")
        super().__init__(np.ones(dimension) if start is None else start, noise)
        dtype = self.point._array.dtype
        self.lambdas = eigenvalues(dimension, float(condition_number), spectrum)
        self.q = rotation(dimension, rotation_seed) if rotate else None
        self.center = np.zeros(dimension) if center is None else np.asarray(center, dtype=np.float64)
        self._lambdas = from_numpy(self.lambdas.astype(dtype))
        self._center = from_numpy(self.center.astype(dtype))
        self._qt = from_numpy(self.q.T.astype(dtype)) if self.q is not None else None
        self.stationary_points = (Stationary(tuple(float(v) for v in self.center), 0.0),)

    def value(self, point: Tensor) -> Tensor:
        z = point - self._center
        if self._qt is not None:
            z = z @ self._qt  # Q z, written for a row vector
        return 0.5 * (self._lambdas * z * z).sum()

    def formula(self, c: Any, m: Any) -> Any:
        """On numpy grids (contours): the coordinates stacked on a last axis."""
        z = np.stack([np.asarray(v, dtype=np.float64) for v in c], axis=-1) - self.center
        if self.q is not None:
            z = z @ self.q.T
        return 0.5 * np.sum(self.lambdas * z * z, axis=-1)
