"""Random mutations of valid configs: validation either builds the experiment or raises UserError, nothing else."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.build import validate_experiment
from trainer.config import load_config
from trainer.errors import UserError

from .helpers import MOONS, SEED

SCHEDULED = {**copy.deepcopy(MOONS), "scheduler": {"type": "onecycle"},
             "training": {"epochs": 3, "early_stopping": {"patience": 2}, "metrics": ["accuracy"]},
             "optimizer": {"type": "muon", "adamw": {"lr": 0.01}}}
BASES = [SEED, MOONS, SCHEDULED]

NAMES = ["type", "lr", "n", "p", "layers", "linear", "relu", "adam", "sgd", "mse", "cross_entropy", "moons", "csv",
         "out_features", "epochs", "batch_size", "init", "weight", "val_fraction", "schedulers", "step", "interval",
         "param_groups", "monitor", "target", "path", "d_in", "weights", "reduction", "dim", "adamw", "betas"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 300), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(NAMES), st.text(max_size=8),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(NAMES), st.integers(0, 3)), inner,
                                                 max_size=4)), max_leaves=8)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: Any) -> dict[str, Any]:
    raw = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(raw)))
        op = draw(st.sampled_from(["replace", "delete", "add"]))
        if not path:
            if op == "add":
                raw[draw(st.sampled_from(NAMES))] = draw(values)
            continue
        parent = raw
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if op == "delete":
            del parent[last]
        elif op == "replace":
            parent[last] = draw(values)
        elif isinstance(parent[last], dict):
            parent[last][draw(st.sampled_from(NAMES))] = draw(values)
        elif isinstance(parent[last], list):
            parent[last].append(draw(values))
    return raw


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_configs_raise_only_user_errors(raw):
    try:
        validate_experiment(raw)
    except UserError as err:
        assert err.message and "Traceback" not in str(err)


yaml_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(["a:", " b", "- ", "[", "]", "{", "}", ":", "&x", "*x", "!!", "? ", "\n", "  ",
                              "name: x", "seed: 1", "'", '"', "#", ",", "|", ">", "%YAML 1.2", "---", "..."]),
             max_size=30).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(yaml_text)
def test_random_yaml_text_raises_only_user_errors(tmp_path, text):
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(text.encode("utf-8", errors="replace"))
    try:
        load_config(path)
    except UserError:
        pass
