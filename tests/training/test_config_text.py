"""config.yaml's text is yaml.safe_dump's, whichever emitter writes it."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest
import yaml

from trainer.config import load_config
from trainer.config.resolve import resolved
from trainer.training.rundir import config_text

CONFIGS = sorted(str(p) for p in (Path(__file__).resolve().parents[2] / "configs").glob("*.yaml"))


def _safe_dump(value):
    return yaml.safe_dump(value, sort_keys=False, default_flow_style=None)


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: Path(p).name)
def test_every_example_config_gets_safe_dumps_text(path):
    config = resolved(load_config(path))
    assert config_text(config) == _safe_dump(config)


def _tree(rng: random.Random, alphabet: str):
    text = lambda n: "".join(rng.choice(alphabet) for _ in range(rng.randint(0, n)))
    leaves = [lambda: text(150), lambda: [text(30)] * rng.randint(0, 4), lambda: rng.random(), lambda: None,
              lambda: rng.randint(-10**12, 10**12), lambda: {text(12) or "k": text(90)}, lambda: [[1.5, True], []]]
    return {f"k{i}": rng.choice(leaves)() for i in range(6)}


@pytest.mark.parametrize("alphabet", [string.ascii_letters + string.digits + " :-#'\"{}[],&*!|>%@`_./\\?=~$",
                                      "ab é\n\t日😀:\x07\"'"])
def test_awkward_strings_get_safe_dumps_text(alphabet):
    rng = random.Random(0)
    for _ in range(300):
        tree = _tree(rng, alphabet)
        assert config_text(tree) == _safe_dump(tree)
