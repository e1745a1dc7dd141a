"""The tuning points (log grid, scrambled Halton), the tune specs and the arguments an optimizer lacks."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.errors import UserError
from trainer.experiments.quasirandom import grid, halton
from trainer.experiments.tuning import TunePlan, parse_tuning, points
from trainer.experiments.variants import parse_optimizers


def test_one_argument_is_a_log_grid_with_both_ends() -> None:
    tuning = parse_tuning("lr=1e-4:1:log", 5, 0)
    assert [p["lr"] for p in points(tuning.ranges, 5, 0)] == [1e-4, 1e-3, 1e-2, 0.1, 1.0]
    linear = parse_tuning(["momentum=0.5:0.9"], 3, 0)
    assert [p["momentum"] for p in points(linear.ranges, 3, 0)] == [0.5, 0.7, 0.9]
    assert grid(1).tolist() == [0.5]


def test_integer_ranges_give_distinct_integers() -> None:
    tuning = parse_tuning({"k": "1:3:int"}, 6, 0)
    assert [p["k"] for p in points(tuning.ranges, 6, 0)] == [1, 2, 3]


def test_halton_is_seeded_inside_the_cube_and_spread() -> None:
    a, b = halton(16, 3, seed=4), halton(16, 3, seed=4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, halton(16, 3, seed=5))
    assert a.min() > 0 and a.max() < 1
    # low discrepancy: 16 base-2 points put exactly 8 in each half of the first axis
    assert int((a[:, 0] < 0.5).sum()) == 8
    assert len({tuple(row) for row in a}) == 16


def test_several_arguments_use_halton_points_in_their_ranges() -> None:
    tuning = parse_tuning(["lr=1e-3:1:log", "momentum=0.5:0.99"], 8, 0)
    pts = points(tuning.ranges, 8, 0)
    assert len(pts) == 8
    assert all(1e-3 <= p["lr"] <= 1 and 0.5 <= p["momentum"] <= 0.99 for p in pts)
    assert points(tuning.ranges, 8, 0) == pts


def test_an_argument_the_optimizer_lacks_is_left_out() -> None:
    base = {"optimizer": {"type": "adam", "lr": 0.01}}
    tuning = parse_tuning(["lr=1e-3:1:log", "momentum=0.5:0.99"], 4, 0)
    plan = TunePlan(base, parse_optimizers("adam,sgd"), [0, 1], tuning)
    adam, sgd = plan.variants
    assert (adam.tuned, adam.skipped) == (["lr"], ["momentum"])
    assert (sgd.tuned, sgd.skipped) == (["lr", "momentum"], [])
    assert all(set(t.point) == {"lr"} for t in adam.trials)


@pytest.mark.parametrize(("tune", "budget", "select", "key"), [
    ("lr", 4, "final", "--tune"), ("lr=1:0.1", 4, "final", "tune.lr"), ("lr=0:1:log", 4, "final", "tune.lr"),
    ("lr=1e-3:1", 0, "final", "budget"), ("lr=1e-3:1", 4, "last", "select"), ("type=1:2", 4, "final", "tune.type"),
])
def test_bad_tune_specs_name_their_key(tune, budget, select, key) -> None:
    with pytest.raises(UserError) as info:
        parse_tuning(tune, budget, 0, select)
    assert info.value.key == key
