"""YAML merge keys (`<<: *anchor`) load as PyYAML loads them; a key written twice by hand stays an error."""

from __future__ import annotations

import pytest

import trainer
from trainer.config import load_config
from trainer.config.yaml_io import parse_yaml
from trainer.errors import UserError

from .helpers import write

MERGED = """\
name: merged
seed: 0
data: {type: linear, n: 40, d_in: 3}
model:
  layers:
    - &lin {type: linear, out_features: 8, bias: true}
    - {type: relu}
    - {<<: *lin, out_features: 1}
loss: {type: mse}
optimizer: {type: adam, lr: 0.01}
training: {epochs: 3, log_every: 1}
"""


def test_a_config_with_anchors_and_merge_keys_trains(tmp_path):
    cfg = load_config(write(tmp_path, MERGED))
    assert [layer.out_features for layer in (cfg.model.layers[0], cfg.model.layers[2])] == [8, 1]
    result = trainer.run(cfg, out=tmp_path / "run", quiet=True)
    assert result.summary["status"] == "completed" and len(result.history) == 3


def test_merged_keys_may_be_overridden_and_lists_of_aliases_merge():
    data = parse_yaml("a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc: {<<: [*a, *b], z: 5}\nd: {<<: *a, x: 9}\n")
    assert data["c"] == {"x": 1, "y": 2, "z": 5}  # the first alias in the list wins, then the explicit key
    assert data["d"] == {"x": 9, "y": 2}


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",
    "base: &b {x: 1}\nc: {<<: *b, y: 1, y: 2}\n",
    "c: {<<: {x: 1, x: 2}}\n",
])
def test_a_key_written_twice_is_still_an_error(text):
    with pytest.raises(UserError, match="duplicate key"):
        parse_yaml(text)
