"""Objectives: test functions whose parameter is a point (trained by the loop like a model)."""

from .base import GradientNoise, Objective, Stationary
from .functions import Ackley, Beale, Booth, Himmelblau, Rastrigin, Rosenbrock, Saddle, StyblinskiTang
from .quadratic import Quadratic

__all__ = ["Ackley", "Beale", "Booth", "GradientNoise", "Himmelblau", "Objective", "Quadratic", "Rastrigin",
           "Rosenbrock", "Saddle", "Stationary", "StyblinskiTang"]
