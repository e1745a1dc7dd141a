"""One YAML value parser for every flag: `--set`, `--grid`, `--range`, `--optimizers` read a value alike."""

from __future__ import annotations

import pytest

from trainer.config import parse_override, parse_value
from trainer.experiments.space import parse_grid_flags, parse_range
from trainer.experiments.variants import parse_optimizers


@pytest.mark.parametrize(("text", "value"), [
    ('"2"', "2"), ("2", 2), ("2.0", 2.0), ("1e-4", 1e-4), ("adam", "adam"), ("null", None), ("true", True),
    ("[0.9, 0.99]", [0.9, 0.99]), ("'0.1'", "0.1"), (".inf", float("inf")),
])
def test_every_flag_reads_a_value_as_set_does(text: str, value: object) -> None:
    assert parse_value(text) == value
    assert parse_override(f"optimizer.lr={text}")[1] == value
    if "," not in text:
        assert parse_grid_flags([f"optimizer.lr={text}"]) == {"optimizer.lr": [value]}
    if ":" not in text and "," not in text:
        assert parse_optimizers([f"adam:lr={text}"])[0].settings["lr"] == value


def test_a_quoted_number_is_a_string_under_grid_as_under_set() -> None:
    assert parse_grid_flags(['optimizer.lr="2",0.1']) == {"optimizer.lr": ["2", 0.1]}
    assert parse_override('optimizer.lr="2"') == (["optimizer", "lr"], "2")


def test_range_bounds_are_read_by_the_same_parser() -> None:
    r = parse_range("optimizer.lr", "1e-4:1e-1:log")
    assert (r.low, r.high, r.log) == (1e-4, 1e-1, True)
    assert parse_range("model.layers.0.out_features", "8:64").integer
