"""The classic 2-D test functions, with their published minima and the starts their pictures use.

Formulas and minima as in Jamil & Yang, "A literature survey of benchmark functions for global
optimisation problems" (2013), and the Virtual Library of Simulation Experiments (Surjanovic & Bingham);
the minima are refined to machine precision by Newton's method (tools/objective_minima.py).
Starts: rosenbrock (-2, 2) and rastrigin (-2, 3.5) as in torch-optimizer's README pictures; the
others are ours, chosen so that the path to a minimum is not a straight line.
"""

from __future__ import annotations

import math as _math
from typing import Any

from .base import Objective, Stationary

TAU = 2 * _math.pi


class Rosenbrock(Objective):
    """Rosenbrock's banana valley: (a - x)^2 + b (y - x^2)^2, minimum f(a, a^2) = 0."""

    def __init__(self, start: tuple[float, float] = (-2.0, 2.0), noise: float = 0.0, a: float = 1.0,
                 b: float = 100.0) -> None:
        super().__init__(start, noise)
        self.a, self.b = float(a), float(b)
        self.stationary_points = (Stationary((self.a, self.a ** 2), 0.0),)

    def formula(self, c: Any, m: Any) -> Any:
        x, y = c
        return (self.a - x) ** 2 + self.b * (y - x ** 2) ** 2


class Rastrigin(Objective):
    """Rastrigin: 2A + sum(x_i^2 - A cos(2 pi x_i)), a lattice of local minima, global f(0, 0) = 0."""

    def __init__(self, start: tuple[float, float] = (-2.0, 3.5), noise: float = 0.0, A: float = 10.0) -> None:  # noqa: N803
        super().__init__(start, noise)
        self.A = float(A)
        self.stationary_points = (Stationary((0.0, 0.0), 0.0),)

    def formula(self, c: Any, m: Any) -> Any:
        x, y = c
        return 2 * self.A + (x ** 2 - self.A * m.cos(TAU * x)) + (y ** 2 - self.A * m.cos(TAU * y))


class Beale(Objective):
    """Beale: (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2, minimum f(3, 0.5) = 0."""

    stationary_points = (Stationary((3.0, 0.5), 0.0),)

    def __init__(self, start: tuple[float, float] = (1.0, 1.5), noise: float = 0.0) -> None:
        super().__init__(start, noise)

    def formula(self, c: Any, m: Any) -> Any:
        x, y = c
        return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2


class Booth(Objective):
    """Booth: (x + 2y - 7)^2 + (2x + y - 5)^2, a tilted bowl with minimum f(1, 3) = 0."""

    stationary_points = (Stationary((1.0, 3.0), 0.0),)

    def __init__(self, start: tuple[float, float] = (-5.0, -5.0), noise: float = 0.0) -> None:
        super().__init__(start, noise)

    def formula(self, c: Any, m: Any) -> Any:
        x, y = c
        return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


class Himmelblau(Objective):
    """Himmelblau: (x^2 + y - 11)^2 + (x + y^2 - 7)^2, four global minima with f = 0."""

    stationary_points = (
        Stationary((3.0, 2.0), 0.0),
        Stationary((-2.805118086952745, 3.131312518250573), 0.0),
        Stationary((-3.779310253377747, -3.2831859912861696), 0.0),
        Stationary((3.5844283403304917, -1.8481265269644034), 0.0),
        Stationary((-0.2708445906673476, -0.9230385564799815), 181.6165215225827, "maximum"),
    )

    def __init__(self, start: tuple[float, float] = (0.0, -4.0), noise: float = 0.0) -> None:
        super().__init__(start, noise)

    def formula(self, c: Any, m: Any) -> Any:
        x, y = c
        return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


class Ackley(Objective):
    """Ackley: -a exp(-b sqrt((x^2 + y^2) / 2)) - exp((cos cx + cos cy) / 2) + a + e, global f(0, 0) = 0.

    The minimum is the tip of a cone: f is not differentiable there (its gradient at exactly 0 is NaN).
    """

    stationary_points = (Stationary((0.0, 0.0), 0.0),)

    def __init__(self, start: tuple[float, float] = (2.5, -1.8), noise: float = 0.0, a: float = 20.0,
                 b: float = 0.2, c: float = TAU) -> None:
        super().__init__(start, noise)
        self.a, self.b, self.c = float(a), float(b), float(c)

    def formula(self, c: Any, m: Any) -> Any:
        x, y = c
        radius = m.sqrt(0.5 * (x ** 2 + y ** 2))
        waves = 0.5 * (m.cos(self.c * x) + m.cos(self.c * y))
        return -self.a * m.exp(-self.b * radius) - m.exp(waves) + self.a + _math.e


_ST_LOW, _ST_HIGH = -2.903534027771177, 2.746802770990837  # the roots of 4x^3 - 32x + 5 that are minima
_ST_F = {_ST_LOW: -39.16616570377141, _ST_HIGH: -25.02944665528394}  # (x^4 - 16x^2 + 5x) / 2 there


class StyblinskiTang(Objective):
    """Styblinski-Tang: sum(x_i^4 - 16 x_i^2 + 5 x_i) / 2, global f(-2.9035, -2.9035) = -78.33233, 3 local minima."""

    stationary_points = tuple(
        Stationary((u, v), _ST_F[u] + _ST_F[v], "global" if u == v == _ST_LOW else "local")
        for u in (_ST_LOW, _ST_HIGH) for v in (_ST_LOW, _ST_HIGH))

    def __init__(self, start: tuple[float, float] = (0.0, 0.0), noise: float = 0.0) -> None:
        super().__init__(start, noise)

    def formula(self, c: Any, m: Any) -> Any:
        x, y = c
        return 0.5 * ((x ** 4 - 16 * x ** 2 + 5 * x) + (y ** 4 - 16 * y ** 2 + 5 * y))


class Saddle(Objective):
    """The saddle x^2 - y^2: no minimum; runs record the distance to the saddle point (0, 0)."""

    stationary_points = (Stationary((0.0, 0.0), 0.0, "saddle"),)

    def __init__(self, start: tuple[float, float] = (1.0, 0.001), noise: float = 0.0) -> None:
        super().__init__(start, noise)

    def formula(self, c: Any, m: Any) -> Any:
        x, y = c
        return x ** 2 - y ** 2
