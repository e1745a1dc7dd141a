"""Objectives: test functions whose parameter is a point (trained by the loop like a model).

Each function's class is imported on first access, so a run that trains a model imports none of them.
"""

from .._lazy import lazy_exports
from .base import GradientNoise, Objective, Stationary

__getattr__, __dir__ = lazy_exports(__name__, {
    **{name: "functions" for name in ("Ackley", "Beale", "Booth", "Himmelblau", "Rastrigin", "Rosenbrock", "Saddle",
                                      "StyblinskiTang")},
    "Quadratic": "quadratic",
})

__all__ = ["Ackley", "Beale", "Booth", "GradientNoise", "Himmelblau", "Objective", "Quadratic", "Rastrigin",
           "Rosenbrock", "Saddle", "Stationary", "StyblinskiTang"]
