"""`trainer validate`, `schema`, `list`, `--version` and the help texts."""

from __future__ import annotations

import json

from trainer import __version__

from .helpers import CONFIGS, SEED, invoke


def test_validate_accepts_the_seed_and_describes_it():
    result = invoke("validate", SEED)
    assert result.exit_code == 0
    assert "is valid" in result.stdout and "161 parameters" in result.stdout


def test_every_example_config_validates():
    for config in sorted(CONFIGS.glob("*.yaml")):
        result = invoke("validate", config)
        assert result.exit_code == 0, (config.name, result.output)


def test_validate_reports_shape_problems_before_training():
    result = invoke("validate", SEED, "--set", "model.layers.2.out_features=3")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "model.layers.2" in result.stderr


def test_schema_is_json_schema():
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"data", "model", "loss", "optimizer", "training"} <= set(schema["properties"])


def test_list_shows_every_kind_with_aliases_and_defaults():
    result = invoke("list")
    assert result.exit_code == 0
    out = result.stdout
    for word in ("optimizers", "schedulers", "losses", "layers", "metrics", "data types",
                 "adamw", "optim_adam", "nn_linear", "cross_entropy", "onecycle", "accuracy", "spirals", "lr=0.001"):
        assert word in out, word


def test_list_one_kind_and_unknown_kind():
    result = invoke("list", "metric")
    assert result.exit_code == 0 and "r2" in result.stdout and "optim_adam" not in result.stdout
    bad = invoke("list", "optimiser")
    assert bad.exit_code == 2 and "optimizer" in bad.stderr


def test_version_and_help():
    assert invoke("--version").stdout.strip() == f"trainer {__version__}"
    top = invoke("--help")
    assert top.exit_code == 0 and "trainer run configs/seed.yaml" in top.stdout
    for command in ("run", "validate", "schema", "list"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Example" in result.stdout, command
    assert "--resume" in invoke("run", "--help").stdout


def test_list_takes_a_kind_singular_or_plural():
    plural = invoke("list", "optimizers")
    assert plural.exit_code == 0 and "optimizers (optimizer.type)" in plural.stdout
    assert "adamw" in plural.stdout and "losses (loss.type)" not in plural.stdout
    assert invoke("list", "optimizer").stdout == plural.stdout == invoke("list", "Optimizers").stdout
    for word, title in (("losses", "losses (loss.type)"), ("layers", "layers (model.layers[].type)"),
                        ("schedulers", "schedulers"), ("metrics", "metrics (training.metrics)"),
                        ("inits", "initialisers"), ("objectives", "objectives (objective.type)"),
                        ("data", "data types (data.type)")):
        result = invoke("list", word)
        assert result.exit_code == 0 and title in result.stdout, word
        assert "optimizers (optimizer.type)" not in result.stdout, word


def test_list_a_mistyped_kind_guesses_and_exits_2():
    bad = invoke("list", "optimzers")
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert "unknown kind 'optimzers' (did you mean 'optimizers'?)" in bad.stderr
    assert "losses" in bad.stderr and "optimizers" in bad.stderr  # the hint lists every kind
    assert "did you mean 'loss" in invoke("list", "loses").stderr
