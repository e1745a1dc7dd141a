"""Synthetic generators: the seed's formula exactly, seeded streams, shapes, splits and scaling."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer.data import CLASSIFICATION_TYPES, GENERATORS, data_generator, make_dataset, split_sizes
from trainer.data.streams import GENERATE
from trainer.errors import UserError

SEED_WEIGHTS = [0.2, -1.3, -0.5]


def test_linear_is_the_seed_formula_with_x_drawn_first_then_the_noise():
    d = make_dataset("linear", {"n": 100, "d_in": 3, "weights": SEED_WEIGHTS, "bias": 0.0, "noise": 1.0},
                     seed=0, dtype="float64")
    rng = np.random.default_rng([0, GENERATE])
    x = rng.standard_normal((100, 3))
    y = x @ np.array(SEED_WEIGHTS)[:, None] + 0.0 + 1.0 * rng.standard_normal((100, 1))
    assert np.array_equal(d.x_train, x) and np.array_equal(d.y_train, y)
    assert d.task == "regression" and d.n_classes is None and (d.in_features, d.out_features) == (3, 1)
    assert d.x_val is None and not d.has_val


def test_float32_by_default_is_the_float64_data_rounded():
    d32 = make_dataset("linear", {"weights": SEED_WEIGHTS}, seed=3)
    d64 = make_dataset("linear", {"weights": SEED_WEIGHTS}, seed=3, dtype="float64")
    assert d32.x_train.dtype == np.float32 and d32.y_train.dtype == np.float32
    assert np.array_equal(d32.x_train, d64.x_train.astype(np.float32))


def test_linear_default_weights_do_not_change_x_or_the_noise():
    given = make_dataset("linear", {"d_in": 2, "weights": [0.0, 0.0], "noise": 1.0}, seed=5, dtype="float64")
    drawn = make_dataset("linear", {"d_in": 2, "noise": 1.0}, seed=5, dtype="float64")
    assert np.array_equal(given.x_train, drawn.x_train)
    assert not np.array_equal(given.y_train, drawn.y_train)
    assert make_dataset("linear", {}, seed=0).x_train.shape == (100, 1)


def test_linear_several_outputs_and_bias():
    d = make_dataset("linear", {"n": 10, "weights": [[1, 0], [0, 1]], "bias": [1.0, -1.0], "noise": 0.0},
                     seed=0, dtype="float64")
    assert np.allclose(d.y_train, d.x_train + np.array([1.0, -1.0]))
    assert d.out_features == 2


@pytest.mark.parametrize("args, key", [
    ({"d_in": 2, "weights": [1.0, 2.0, 3.0]}, "data.weights"),
    ({"weights": [[1.0, 2.0]], "d_out": 3}, "data.d_out"),
    ({"weights": [1.0], "bias": [1.0, 2.0]}, "data.bias"),
])
def test_linear_inconsistent_arguments_name_the_key(args, key):
    with pytest.raises(UserError) as err:
        make_dataset("linear", args)
    assert err.value.key == key


@pytest.mark.parametrize("kind", sorted(GENERATORS))
def test_same_seed_same_bits_independent_of_global_state(kind):
    trainer.manual_seed(1)
    np.random.seed(1)
    a = make_dataset(kind, {}, seed=7, val_fraction=0.25, shuffle=True, standardize=True)
    trainer.manual_seed(2)
    np.random.seed(2)
    trainer.randn(5)
    b = make_dataset(kind, {}, seed=7, val_fraction=0.25, shuffle=True, standardize=True)
    for name in ("x_train", "y_train", "x_val", "y_val"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    c = make_dataset(kind, {}, seed=8, val_fraction=0.25)
    assert not np.array_equal(a.x_train, c.x_train)


def test_generators_leave_the_library_generator_alone():
    trainer.manual_seed(0)
    state = trainer.get_rng_state()
    make_dataset("moons", {}, seed=0, shuffle=True)
    assert np.array_equal(trainer.get_rng_state().numpy(), state.numpy())


@pytest.mark.parametrize("kind, n_classes", [("blobs", 3), ("moons", 2), ("circles", 2), ("spirals", 3), ("xor", 2)])
def test_classification_shapes_labels_and_task(kind, n_classes):
    d = make_dataset(kind, {}, seed=0)
    assert kind in CLASSIFICATION_TYPES
    assert d.y_train.dtype == np.int64 and d.y_train.ndim == 1 and d.x_train.shape == (len(d.y_train), 2)
    assert d.n_classes == n_classes == d.out_features
    assert set(np.unique(d.y_train)) == set(range(n_classes))
    assert d.task == ("binary" if n_classes == 2 else "multiclass")


def test_n_classes_and_balanced_counts_and_rows_come_shuffled():
    d = make_dataset("spirals", {"n": 301, "n_classes": 5}, seed=0)
    assert list(np.bincount(d.y_train)) == [61, 60, 60, 60, 60]
    assert not np.all(np.diff(d.y_train) >= 0)
    blobs = make_dataset("blobs", {"n": 40, "n_classes": 4, "d_in": 6}, seed=0)
    assert blobs.x_train.shape == (40, 6) and blobs.n_classes == 4


def test_noise_zero_moons_lie_on_the_half_circles():
    d = make_dataset("moons", {"noise": 0.0}, seed=0, dtype="float64")
    outer = d.x_train[d.y_train == 0]
    assert np.allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0)
    circles = make_dataset("circles", {"noise": 0.0, "factor": 0.3}, seed=0, dtype="float64")
    inner = circles.x_train[circles.y_train == 1]
    assert np.allclose(np.hypot(inner[:, 0], inner[:, 1]), 0.3)


def test_polynomial_and_sine_follow_their_formulas_without_noise():
    p = make_dataset("polynomial", {"coefficients": [1.0, 0.0, 2.0], "noise": 0.0}, seed=0, dtype="float64")
    assert np.allclose(p.y_train, 1.0 + 2.0 * p.x_train ** 2)
    s = make_dataset("sine", {"amplitude": 2.0, "frequency": 3.0, "phase": 0.5, "noise": 0.0}, seed=0,
                     dtype="float64")
    assert np.allclose(s.y_train, 2.0 * np.sin(3.0 * s.x_train + 0.5))
    assert s.x_train.min() >= -3.0 and s.x_train.max() <= 3.0


@pytest.mark.parametrize("kind, args, key", [
    ("sine", {"x_range": [1.0, 1.0]}, "data.x_range"),
    ("polynomial", {"coefficients": []}, "data.coefficients"),
    ("circles", {"factor": 1.5}, "data.factor"),
    ("blobs", {"n": 2, "n_classes": 3}, "data.n"),
    ("blobs", {"center_box": [3, -3]}, "data.center_box"),
])
def test_bad_generator_arguments_name_the_key(kind, args, key):
    with pytest.raises(UserError) as err:
        make_dataset(kind, args)
    assert err.value.key == key


def test_split_is_the_last_rows_and_shuffle_keeps_the_values():
    full = make_dataset("linear", {"n": 50}, seed=0, dtype="float64")
    split = make_dataset("linear", {"n": 50}, seed=0, dtype="float64", val_fraction=0.2)
    assert (split.n_train, split.n_val) == (40, 10)
    assert np.array_equal(split.x_val, full.x_train[40:])
    shuffled = make_dataset("linear", {"n": 50}, seed=0, dtype="float64", shuffle=True)
    assert not np.array_equal(shuffled.x_train, full.x_train)
    assert np.array_equal(np.sort(shuffled.x_train, axis=0), np.sort(full.x_train, axis=0))


def test_split_sizes():
    assert split_sizes(100, 0.0) == (100, 0)
    assert split_sizes(10, 0.01) == (9, 1)
    with pytest.raises(UserError, match="val_fraction"):
        split_sizes(10, 1.0)
    with pytest.raises(UserError, match="no training rows"):
        split_sizes(1, 0.5)


def test_standardize_uses_training_statistics_only():
    raw = make_dataset("blobs", {"d_in": 3}, seed=0, dtype="float64", val_fraction=0.3)
    d = make_dataset("blobs", {"d_in": 3}, seed=0, dtype="float64", val_fraction=0.3, standardize=True)
    assert np.allclose(d.x_train.mean(0), 0) and np.allclose(d.x_train.std(0), 1)
    assert np.allclose(d.x_val, (raw.x_val - raw.x_train.mean(0)) / raw.x_train.std(0))
    assert np.array_equal(d.y_train, raw.y_train)
    assert np.allclose(d.x_mean, raw.x_train.mean(0))


def test_unknown_type_and_bad_dtype():
    with pytest.raises(UserError) as err:
        make_dataset("moon")
    assert err.value.key == "data.type"
    with pytest.raises(ValueError):
        make_dataset("moons", dtype="int64")


def test_data_generator_is_a_pure_function_of_seed_and_stream():
    a = data_generator(3, 1).standard_normal(4)
    assert np.array_equal(a, data_generator(3, 1).standard_normal(4))
    assert not np.array_equal(a, data_generator(3, 2).standard_normal(4))


@pytest.mark.parametrize("kind, args, key", [
    ("linear", {"weights": [1e308, 1e308], "noise": 0.0}, "data"),
    ("polynomial", {"coefficients": [0.0, 1e308], "x_range": [1e10, 1e11]}, "data"),
    ("linear", {"n": 10**9, "d_in": 5}, "data.n"),
    ("blobs", {"n": 10**7, "d_in": 10}, "data.n"),
    ("linear", {"weights": [[1.0, 2.0], [3.0]]}, "data.weights"),
    ("linear", {"bias": [[1.0], [2.0, 3.0]]}, "data.bias"),
])
def test_overflowing_huge_or_ragged_requests_are_user_errors(kind, args, key):
    with pytest.raises(UserError) as err:
        make_dataset(kind, args)
    assert err.value.key == key
