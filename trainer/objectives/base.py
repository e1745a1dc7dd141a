"""`Objective`: a module whose one parameter is a point and whose output is a test function's value there.

The loop trains it like a network: its loss is f(point), one optimizer step per epoch. Known minima
(and saddles) are listed per function, so a run can record its distance to the nearest one.
An optional Gaussian gradient noise is drawn from the engine's global generator (seeded by the run
seed and saved in checkpoints), so noisy runs are reproducible and resume bit-identically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ..autograd import Function, Tensor, get_default_dtype, is_grad_enabled, no_grad, ops, randn, tensor
from ..nn import Module, Parameter


@dataclass(frozen=True)
class Stationary:
    """A point where the gradient vanishes: a global or local minimum, or a saddle, with f there."""

    point: tuple[float, ...]
    value: float
    kind: Literal["global", "local", "saddle", "maximum"] = "global"


class TensorMath:
    """The elementary functions a formula needs, on engine Tensors (numpy has the same names)."""

    cos = staticmethod(ops.cos)
    exp = staticmethod(ops.exp)
    sqrt = staticmethod(ops.sqrt)


class GradientNoise(Function):
    """The identity forward; backward adds a fixed noise vector to the incoming gradient."""

    @staticmethod
    def forward(ctx: Any, point: Tensor, noise: np.ndarray) -> Tensor:
        ctx.noise = noise
        return point

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor, None]:
        return Tensor._wrap(grad._array + ctx.noise), None


class Objective(Module):
    """A point to optimise (`self.point`, in the default dtype) and the function to minimise there.

    Subclasses define `formula(coords, math)` (coords: a sequence of the point's components, math:
    numpy or `TensorMath`) and `stationary_points`; `value` evaluates it on a Tensor point, `surface`
    on numpy grids (for contour plots).
    """

    stationary_points: tuple[Stationary, ...] = ()
    COORDINATES = ("x", "y")  # the columns of a 2-D point (no "best" x: they are positions, not scores)

    def __init__(self, start: Sequence[float], noise: float = 0.0) -> None:
        super().__init__()
        if noise < 0:
            raise ValueError(f"noise must be >= 0, got {noise}")
        self.point = Parameter(tensor([float(v) for v in start], dtype=get_default_dtype()))
        self.noise = float(noise)

    @property
    def dimension(self) -> int:
        return int(self.point.shape[0])

    def formula(self, coords: Sequence[Any], math: Any) -> Any:
        raise NotImplementedError

    def value(self, point: Tensor) -> Tensor:
        """f at a Tensor point (differentiable)."""
        return self.formula([point[i] for i in range(self.dimension)], TensorMath)

    def surface(self, *grids: np.ndarray) -> np.ndarray:
        """f on numpy grids, one per coordinate (for contour plots of 2-D functions)."""
        with np.errstate(all="ignore"):
            return np.asarray(self.formula(list(grids), np), dtype=np.float64)

    def forward(self, *_: Any) -> Tensor:
        """f(point); with gradient noise, the gradient gets `noise` × a standard normal draw per evaluation."""
        point = self.point
        if self.noise > 0 and is_grad_enabled():
            draw = randn(self.dimension, dtype=point.dtype)._array * self.noise
            point = GradientNoise.apply(point, draw)
        return self.value(point)

    @property
    def minima(self) -> tuple[Stationary, ...]:
        return tuple(p for p in self.stationary_points if p.kind in ("global", "local"))

    def measures(self) -> dict[str, float]:
        """What a run records after each step: f, the distance to the nearest known minimum, the coordinates."""
        with no_grad():
            here = np.asarray(self.point._array, dtype=np.float64)
            out = {"f": float(self.value(self.point).item())}
        targets = self.minima or tuple(p for p in self.stationary_points if p.kind == "saddle")
        if targets:
            name = "distance_to_minimum" if self.minima else "distance_to_saddle"
            out[name] = float(min(np.linalg.norm(here - np.asarray(p.point)) for p in targets))
        if self.dimension == 2:
            out.update(zip(self.COORDINATES, (float(here[0]), float(here[1]))))
        return out

    def measure_columns(self) -> tuple[str, ...]:
        """The columns `measures` fills, in order."""
        return tuple(self.measures())
