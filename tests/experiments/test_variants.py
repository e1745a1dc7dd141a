"""Optimizer variants: spec strings, mappings, compare entries, labels and how blocks inherit settings."""

from __future__ import annotations

import pytest

from trainer.errors import UserError
from trainer.experiments.variants import Variant, parse_optimizers, slug

BASE = {"type": "adam", "lr": 0.08, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0}


def test_names_and_specs() -> None:
    variants = parse_optimizers("adam:lr=0.08,sgd:lr=0.01:momentum=0.9,rmsprop")
    assert [v.label for v in variants] == ["adam:lr=0.08", "sgd:lr=0.01:momentum=0.9", "rmsprop"]
    assert variants[1].settings == {"type": "sgd", "lr": 0.01, "momentum": 0.9}


def test_values_are_yaml_and_may_hold_commas() -> None:
    (v,) = parse_optimizers("adam:betas=[0.8,0.9]:lr=1e-3")
    assert v.settings == {"type": "adam", "betas": [0.8, 0.9], "lr": 1e-3}


def test_mappings_and_compare_entries() -> None:
    variants = parse_optimizers([
        "adam",
        {"type": "sgd", "lr": 0.01},
        {"optimizer": {"type": "adam", "lr": 0.01}},
        {"name": "fast adam", "optimizer": {"type": "adam", "lr": 0.1}},
    ])
    assert [v.label for v in variants] == ["adam", "sgd:lr=0.01", "adam:lr=0.01", "fast adam"]


def test_duplicate_labels_are_numbered() -> None:
    assert [v.label for v in parse_optimizers("adam,adam")] == ["adam", "adam#2"]


def test_same_type_keeps_the_configs_block_other_types_inherit_only_lr() -> None:
    assert Variant("adam:lr=0.01", {"type": "adam", "lr": 0.01}).block(BASE) == {**BASE, "lr": 0.01}
    assert Variant("sgd", {"type": "sgd"}).block(BASE) == {"type": "sgd", "lr": 0.08}
    assert Variant("sgd", {"type": "sgd", "momentum": 0.9}).block({"type": "adam"}) == {"type": "sgd", "momentum": 0.9}


@pytest.mark.parametrize("bad", ["", ":lr=1", "adam:lr", [], [3], [{"lr": 0.1}],
                                 [{"optimizer": {"type": "adam"}, "x": 1}]])
def test_bad_specs_are_user_errors(bad: object) -> None:
    with pytest.raises(UserError):
        parse_optimizers(bad)  # type: ignore[arg-type]


def test_slugs_are_safe_directory_names() -> None:
    assert slug("adam:lr=0.08") == "adam-lr=0.08"
    assert slug("fast adam/β") == "fast-adam"
    assert slug("::") == "variant"
