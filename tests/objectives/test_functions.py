"""Every objective's known minima are minima: the engine's gradient vanishes there and f is the published value."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer import objectives as o

# (class, published global minima (point, f)) from Jamil & Yang (2013) and the Virtual Library of Simulation
# Experiments, to their published digits
PUBLISHED = [
    (o.Rosenbrock, [((1.0, 1.0), 0.0)]),
    (o.Rastrigin, [((0.0, 0.0), 0.0)]),
    (o.Beale, [((3.0, 0.5), 0.0)]),
    (o.Booth, [((1.0, 3.0), 0.0)]),
    (o.Himmelblau, [((3.0, 2.0), 0.0), ((-2.805118, 3.131312), 0.0), ((-3.779310, -3.283186), 0.0),
                  ((3.584428, -1.848126), 0.0)]),
    (o.Ackley, [((0.0, 0.0), 0.0)]),
    (o.StyblinskiTang, [((-2.903534, -2.903534), -39.16617 * 2)]),
]


@pytest.fixture(autouse=True)
def float64():
    saved = trainer.get_default_dtype()
    trainer.set_default_dtype(trainer.float64)
    yield
    trainer.set_default_dtype(saved)


def value_and_grad(objective, point):
    objective.point._array[:] = point
    objective.point.grad = None
    value = objective()
    value.backward()
    return float(value.item()), objective.point.grad.numpy().copy()


@pytest.mark.parametrize("cls,minima", PUBLISHED, ids=lambda v: getattr(v, "__name__", ""))
def test_published_minima_are_listed_with_their_values(cls, minima):
    objective = cls()
    listed = [p for p in objective.stationary_points if p.kind == "global"]
    assert len(listed) == len(minima)
    for (point, value), stationary in zip(minima, listed):
        np.testing.assert_allclose(stationary.point, point, atol=1e-6)
        assert stationary.value == pytest.approx(value, abs=1e-4)


@pytest.mark.parametrize("cls", [o.Rosenbrock, o.Rastrigin, o.Beale, o.Booth, o.Himmelblau, o.StyblinskiTang, o.Saddle,
                                 o.Quadratic])
def test_the_gradient_vanishes_at_every_listed_stationary_point(cls):
    objective = cls()
    assert objective.stationary_points
    for p in objective.stationary_points:
        value, grad = value_and_grad(objective, p.point)
        assert value == pytest.approx(p.value, abs=1e-12)
        assert np.abs(grad).max() < 1e-10, (p, grad)


@pytest.mark.parametrize("cls", [o.Rosenbrock, o.Rastrigin, o.Beale, o.Booth, o.Himmelblau, o.Ackley, o.StyblinskiTang,
                                 o.Quadratic])
def test_minima_are_lower_than_every_point_around_them(cls):
    objective = cls()
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    for p in objective.minima:
        for radius in (1e-3, 1e-2):
            around = objective.surface(p.point[0] + radius * ring[:, 0], p.point[1] + radius * ring[:, 1])
            assert (around > p.value).all(), (p, radius)


def test_ackley_is_a_cone_at_its_minimum():
    """Not differentiable at 0 (as in PyTorch, the gradient there is NaN); nearby the slope stays about 2 sqrt(2)."""
    objective = o.Ackley()
    with np.errstate(all="ignore"):
        value, _ = value_and_grad(objective, (0.0, 0.0))
    assert value == pytest.approx(0.0, abs=1e-12)
    _, grad = value_and_grad(objective, (1e-9, 0.0))
    assert np.linalg.norm(grad) == pytest.approx(20 * 0.2 * np.sqrt(0.5), rel=1e-3)


def test_saddle_has_a_saddle_and_no_minimum():
    objective = o.Saddle()
    assert objective.minima == () and [p.kind for p in objective.stationary_points] == ["saddle"]
    assert set(objective.measures()) == {"f", "distance_to_saddle", "x", "y"}


def test_himmelblau_measures_the_distance_to_the_nearest_of_four_minima():
    objective = o.Himmelblau(start=(-2.8, 3.1))
    assert objective.measures()["distance_to_minimum"] == pytest.approx(np.hypot(0.005118086952745, 0.031312518250573))


def test_the_quadratic_has_the_condition_number_it_is_given():
    objective = o.Quadratic(dimension=6, condition_number=1e3, rotation_seed=3)
    a = objective.q.T @ np.diag(objective.lambdas) @ objective.q
    eig = np.linalg.eigvalsh(a)
    assert eig.max() == pytest.approx(1.0) and eig.max() / eig.min() == pytest.approx(1e3)
    np.testing.assert_allclose(objective.q @ objective.q.T, np.eye(6), atol=1e-12)
    point = np.linspace(-1, 1, 6)
    _, grad = value_and_grad(objective, point)
    np.testing.assert_allclose(grad, a @ point, atol=1e-12)  # the gradient of x^T A x / 2
    same = o.Quadratic(dimension=6, condition_number=1e3, rotation_seed=3)
    np.testing.assert_array_equal(same.q, objective.q)  # the rotation is a fact of the problem, not of the run seed
    diagonal = o.Quadratic(dimension=4, condition_number=100.0, rotate=False, spectrum="linear", center=[1, 2, 3, 4])
    np.testing.assert_allclose(diagonal.lambdas, np.linspace(0.01, 1.0, 4))
    assert diagonal.minima[0].point == (1.0, 2.0, 3.0, 4.0) and "x" not in diagonal.measures()


def test_gradient_noise_moves_the_gradient_not_the_value():
    clean, noisy = o.Rosenbrock(), o.Rosenbrock(noise=0.5)
    trainer.manual_seed(7)
    value, grad = value_and_grad(noisy, (-2.0, 2.0))
    clean_value, clean_grad = value_and_grad(clean, (-2.0, 2.0))
    trainer.manual_seed(7)
    draw = trainer.randn(2, dtype=trainer.float64).numpy() * 0.5
    assert value == clean_value
    np.testing.assert_array_equal(grad, clean_grad + draw)
