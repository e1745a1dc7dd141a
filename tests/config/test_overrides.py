"""`--set KEY=VALUE`: YAML-parsed values, list indices, new keys the schema knows, clear errors otherwise."""

from __future__ import annotations

import pytest

from trainer.config import apply_overrides, load_config, parse_override, schema_keys
from trainer.errors import UserError

from .helpers import SEED, SEED_YAML, seed, user_error, write


def test_values_are_parsed_as_yaml():
    assert parse_override("optimizer.lr=0.01") == (["optimizer", "lr"], 0.01)
    assert parse_override("training.batch_size=null") == (["training", "batch_size"], None)
    assert parse_override("a.b=[1, 2]") == (["a", "b"], [1, 2])
    assert parse_override("a={type: relu}") == (["a"], {"type": "relu"})
    assert parse_override("name=x=y") == (["name"], "x=y")
    assert parse_override("name=") == (["name"], None)


def test_overrides_apply_to_a_copy_in_order():
    out = apply_overrides(SEED, ["optimizer.lr=0.01", "model.layers.0.out_features=64", "optimizer.lr=0.02"])
    assert out["optimizer"]["lr"] == 0.02 and out["model"]["layers"][0]["out_features"] == 64
    assert SEED["optimizer"]["lr"] == 0.08


def test_load_config_with_overrides(tmp_path):
    cfg = load_config(write(tmp_path, SEED_YAML), ["optimizer.lr=0.01", "model.layers.0.out_features=64",
                                                   "training.grad_clip_norm=1.0", "scheduler={type: cosine}"])
    assert cfg.optimizer.lr == 0.01 and cfg.model.layers[0].out_features == 64
    assert cfg.training.grad_clip_norm == 1.0 and cfg.scheduler.type == "cosine"


def test_new_keys_the_schema_knows_and_new_sections():
    cfg = load_config(seed(), ["training.early_stopping.patience=3", "scheduler.type=step",
                               "scheduler.step_size=10", "model.layers.0.init.weight.type=zeros"])
    assert cfg.training.early_stopping.patience == 3 and cfg.scheduler.step_size == 10
    assert cfg.model.layers[0].init["weight"].type == "zeros"


@pytest.mark.parametrize("text, key, words", [
    ("optimizer.betass=[0.9, 0.99]", "optimizer.betass", "did you mean 'betas'"),
    ("trainig.epochs=3", "trainig", "not a key of the config (did you mean 'training'"),
    ("model.layers.7.out_features=3", "model.layers", "has 3 items, there is no item 7"),
    ("model.layers.first.out_features=3", "model.layers", "'first' is not an index"),
    ("optimizer.lr.value=1", "optimizer.lr", "has no key 'value'"),
    ("data.weights.x=1", "data.weights", "is a list"),
    ("optimizer", "optimizer", "KEY=VALUE"),
    ("=3", None, "KEY=VALUE"),
    ("optimizer..lr=3", "optimizer..lr", "empty part"),
    ("optimizer.lr=[1, 2", None, "invalid YAML"),
])
def test_paths_that_do_not_exist_say_which_part(text, key, words):
    err = user_error(load_config, seed(), [text])
    assert err.key == key
    assert words in str(err)


def test_override_values_are_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    err = user_error(load_config, seed(), [f"name=!!python/object/apply:os.system ['touch {marker}']"])
    assert "not allowed" in err.message and not marker.exists()


def test_values_are_still_validated():
    err = user_error(load_config, seed(), ["optimizer.lr=-1"])
    assert err.key == "optimizer.lr"


def test_schema_keys():
    assert "betas" in schema_keys(["optimizer"], SEED)
    assert "momentum" in schema_keys(["optimizer"], seed(optimizer={"type": "sgd"}))
    assert "out_features" in schema_keys(["model", "layers", "0"], SEED)
    assert schema_keys(["scheduler"], SEED) is None  # no type yet: any scheduler's keys
    assert "patience" in schema_keys(["training", "early_stopping"], SEED)
    assert schema_keys(["model", "layers", "0", "init"], SEED) is None


def test_apply_overrides_without_a_schema_allows_new_keys():
    assert apply_overrides({"a": {}}, ["a.b.c=1"]) == {"a": {"b": {"c": 1}}}
    with pytest.raises(UserError):
        apply_overrides({"a": 1}, ["a.b=1"])
