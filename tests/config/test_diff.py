"""A config's differences from the schema's defaults, key by key, nested blocks against their own defaults."""

from __future__ import annotations

from trainer.config import load_config
from trainer.config.diff import changed_keys


def test_only_keys_that_differ_from_their_defaults_are_listed() -> None:
    cfg = load_config({"name": "x", "data": {"type": "linear", "n": 50, "d_in": 2},
                       "model": {"layers": [{"type": "linear", "out_features": 1}]}, "loss": {"type": "mse"},
                       "optimizer": {"type": "adam", "lr": 0.001, "weight_decay": 0.1},
                       "training": {"epochs": 7, "loggers": ["tensorboard"]}})
    diff = {row["key"]: (row["value"], row["default"]) for row in changed_keys(cfg)}
    assert diff["optimizer.weight_decay"] == (0.1, 0.0)
    assert "optimizer.lr" not in diff  # adam's own default, written out
    assert diff["training.epochs"] == (7, 100) and diff["training.loggers"] == (["tensorboard"], ["csv"])
    assert diff["optimizer.type"] == ("adam", "(required)")
    assert diff["model.layers.0.out_features"] == (1, "(required)")
    assert diff["data.n"] == (50, 100)
    assert "training.batch_size" not in diff and "seed" not in diff
