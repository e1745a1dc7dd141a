"""Grid and random-search expansion, range parsing, and the flag parsers."""

from __future__ import annotations

import math

import pytest

from trainer.config.values import parse_value, split_top_level
from trainer.errors import UserError
from trainer.experiments.space import Range, expand, parse_grid_flags, parse_range, parse_range_flags


def test_grid_is_the_product_in_key_order() -> None:
    points = expand({"optimizer.type": ["adam", "sgd"], "optimizer.lr": [0.01, 0.1]})
    assert points == [
        {"optimizer.type": "adam", "optimizer.lr": 0.01}, {"optimizer.type": "adam", "optimizer.lr": 0.1},
        {"optimizer.type": "sgd", "optimizer.lr": 0.01}, {"optimizer.type": "sgd", "optimizer.lr": 0.1},
    ]


def test_no_grid_and_no_random_is_one_point() -> None:
    assert expand() == [{}]


def test_random_draws_are_seeded_inside_their_ranges_and_cross_the_grid() -> None:
    ranges = {"optimizer.lr": "1e-4:1e-1:log", "model.layers.0.out_features": "8:64"}
    a = expand({"optimizer.type": ["adam", "sgd"]}, random=5, ranges=ranges, random_seed=3)
    b = expand({"optimizer.type": ["adam", "sgd"]}, random=5, ranges=ranges, random_seed=3)
    assert a == b and len(a) == 10
    assert expand(random=5, ranges=ranges, random_seed=4) != expand(random=5, ranges=ranges, random_seed=3)
    for p in a:
        assert 1e-4 <= p["optimizer.lr"] <= 1e-1 and isinstance(p["optimizer.lr"], float)
        assert 8 <= p["model.layers.0.out_features"] <= 64 and isinstance(p["model.layers.0.out_features"], int)
    assert [p["optimizer.lr"] for p in a[:5]] == [p["optimizer.lr"] for p in a[5:]]


def test_log_ranges_spread_over_decades() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    r = parse_range("lr", "1e-6:1:log")
    draws = [r.draw(rng) for _ in range(400)]
    assert sum(d < 1e-3 for d in draws) > 150  # a linear draw would put almost none below 1e-3


@pytest.mark.parametrize(("spec", "expected"), [
    ("1e-4:1e-1:log", Range(1e-4, 1e-1, log=True)),
    ("0.1:0.9", Range(0.1, 0.9)),
    ("0.1:0.9:linear", Range(0.1, 0.9)),
    ("16:128:log", Range(16, 128, log=True, integer=True)),
    ([0.1, 0.5], Range(0.1, 0.5)),
    ([1, 5, "log"], Range(1, 5, log=True, integer=True)),
    ({"low": 1e-3, "high": 1e-1, "log": True}, Range(1e-3, 1e-1, log=True)),
])
def test_range_forms(spec: object, expected: Range) -> None:
    assert parse_range("k", spec) == expected


@pytest.mark.parametrize(("spec", "words"), [
    ("0.1", "LOW:HIGH"), ("a:b", "not a number"), ("1:0.1", "above"), ("0:1:log", "positive"),
    ("1:2:cubic", "LOW:HIGH"), ({"low": 1}, "low and high"), (["x", 1], "finite number"),
])
def test_bad_ranges_name_the_key(spec: object, words: str) -> None:
    with pytest.raises(UserError, match=words) as info:
        parse_range("optimizer.lr", spec)
    assert info.value.key == "ranges.optimizer.lr"


def test_random_and_ranges_need_each_other() -> None:
    with pytest.raises(UserError, match="--random"):
        expand(ranges={"optimizer.lr": "0.1:1"})
    with pytest.raises(UserError, match="range"):
        expand(random=3)
    with pytest.raises(UserError, match="positive"):
        expand(random=0, ranges={"optimizer.lr": "0.1:1"})
    with pytest.raises(UserError, match="both"):
        expand({"optimizer.lr": [0.1]}, random=2, ranges={"optimizer.lr": "0.1:1"})
    with pytest.raises(UserError, match="at least one value"):
        expand({"optimizer.lr": []})
    with pytest.raises(UserError, match="list of values"):
        expand({"optimizer.lr": "0.1"})


def test_flag_parsers() -> None:
    grid = parse_grid_flags(["optimizer.lr=0.001,1e-2,0.1", "optimizer.type=adam,sgd",
                             "optimizer.betas=[0.9,0.99],[0.8,0.9]"])
    assert grid == {"optimizer.lr": [0.001, 0.01, 0.1], "optimizer.type": ["adam", "sgd"],
                    "optimizer.betas": [[0.9, 0.99], [0.8, 0.9]]}
    assert parse_range_flags(["optimizer.lr=1e-4:1e-1:log"]) == {"optimizer.lr": Range(1e-4, 1e-1, log=True)}
    with pytest.raises(UserError, match="KEY=VALUE"):
        parse_grid_flags(["optimizer.lr"])


def test_scalars_parse_as_yaml_with_exponent_floats() -> None:
    assert parse_value("1e-4") == 1e-4
    assert parse_value("adam") == "adam"
    assert parse_value("null") is None
    assert parse_value("true") is True
    assert parse_value("[1, 2]") == [1, 2]
    assert parse_value("nan") == "nan"
    assert math.isclose(parse_value("3.5"), 3.5)
    assert split_top_level("a,[1,2],{b: 1, c: 2},'x,y'") == ["a", "[1,2]", "{b: 1, c: 2}", "'x,y'"]


def test_a_zero_to_one_range_draws_floats_and_int_or_float_can_be_said() -> None:
    assert parse_range("optimizer.momentum", "0:1") == Range(0, 1, log=False, integer=False)
    assert parse_range("k", "0:1:int").integer and not parse_range("k", "8:64:float").integer
    assert parse_range("k", "16:128:log:int") == Range(16, 128, log=True, integer=True)
    with pytest.raises(UserError):
        parse_range("k", "1:2:int:float")
