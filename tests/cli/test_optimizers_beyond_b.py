"""Lamb, AdEMAMix, MARS, SOAP, AdaBelief, Adan and Lookahead from YAML in `trainer run`, `compare` and `sweep`,
with an LR scheduler and gradient clipping; Lookahead's nested `optimizer:` block is validated like a top-level one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.cli.helpers import SEED, invoke, metrics_rows

NEW = ["lamb", "ademamix", "mars", "soap", "adabelief", "adan"]
SHORT = ["--set", "training.epochs=4", "--set", "training.grad_clip_norm=1.0",
         "--set", "scheduler={type: step, step_size: 2, gamma: 0.5}"]
LOOKAHEAD = "optimizer={type: lookahead, k: 2, alpha: 0.5, optimizer: {type: adam, lr: 0.02}}"


def _lrs(run_dir: Path) -> list[float]:
    return [float(row["lr"]) for row in metrics_rows(run_dir)]


@pytest.mark.parametrize("name", [*NEW, "lookahead"])
def test_run_trains_with_a_scheduler_and_clipping(name: str, tmp_path: Path) -> None:
    optimizer = LOOKAHEAD if name == "lookahead" else f"optimizer={{type: {name}, lr: 0.02}}"
    result = invoke("run", SEED, "--set", optimizer, *SHORT, "--set", "training.grad_clip_value=5", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    rows = metrics_rows(tmp_path)
    assert len(rows) == 4 and all(float(r["train_loss"]) == float(r["train_loss"]) for r in rows)  # finite, not NaN
    assert _lrs(tmp_path) == [0.02, 0.02, 0.01, 0.01]  # the scheduler moved the (inner) optimizer's lr


def test_compare_runs_every_new_optimizer(tmp_path: Path) -> None:
    variants = ",".join([*NEW, "lookahead", "lookahead:k=3:optimizer=sgd"])
    result = invoke("compare", SEED, "-O", variants, *SHORT, "--out", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {row["variant"] for row in rows} == {*NEW, "lookahead", "lookahead:k=3:optimizer=sgd"}
    assert all(row["status"] == "completed" for row in rows)


def test_a_lookahead_variant_wraps_the_configs_optimizer(tmp_path: Path) -> None:
    result = invoke("compare", SEED, "-O", "adam,lookahead:k=3,lookahead:optimizer=sgd", "--set", "training.epochs=2",
                    "--out", tmp_path)
    assert result.exit_code == 0, result.output
    runs = (tmp_path / "runs").iterdir()
    blocks = {d.name: yaml.safe_load((d / "config.yaml").read_text())["optimizer"] for d in runs}
    assert blocks["lookahead-k=3"]["optimizer"] == blocks["adam"]  # the config's own block, wrapped
    assert blocks["lookahead-optimizer=sgd"]["optimizer"]["type"] == "sgd"
    assert blocks["lookahead-optimizer=sgd"]["optimizer"]["lr"] == blocks["adam"]["lr"]  # inherits the config's lr


def test_alpha_0_pulls_back_to_the_start_every_step(tmp_path: Path) -> None:
    frozen = "optimizer={type: lookahead, k: 1, alpha: 0.0, optimizer: {type: adam, lr: 0.1}}"
    result = invoke("run", SEED, "--set", frozen, "--set", "training.epochs=3", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert len({row["train_loss"] for row in metrics_rows(tmp_path)}) == 1


def test_sweep_over_the_new_types_and_a_lookahead_grid(tmp_path: Path) -> None:
    result = invoke("sweep", SEED, "--grid", f"optimizer.type={','.join(NEW)}", *SHORT, "--out", tmp_path / "a")
    assert result.exit_code == 0, result.output
    rows = json.loads((tmp_path / "a" / "results.json").read_text())
    assert len(rows) == len(NEW) and all(row["status"] == "completed" for row in rows)
    result = invoke("sweep", SEED, "--set", LOOKAHEAD, "--grid", "optimizer.k=2,3",
                    "--grid", "optimizer.optimizer.lr=0.01,0.02", *SHORT, "--out", tmp_path / "b")
    assert result.exit_code == 0, result.output
    rows = json.loads((tmp_path / "b" / "results.json").read_text())
    assert len(rows) == 4 and all(row["status"] == "completed" for row in rows)


def test_set_reaches_the_wrapped_optimizer(tmp_path: Path) -> None:
    result = invoke("run", SEED, "--set", LOOKAHEAD, "--set", "optimizer.optimizer.lr=0.05", "--set",
                    "training.epochs=2", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert _lrs(tmp_path) == [0.05, 0.05]


@pytest.mark.parametrize("override, key, words", [
    ("optimizer.optimizer.lrr=0.1", "optimizer.optimizer.lrr", "did you mean 'lr'"),
    ("optimizer.optimizer.betas=[1.5, 0.9]", "optimizer.optimizer.betas", "[0, 1)"),
    ("optimizer.k=0", "optimizer.k", "k must be positive"),
    ("optimizer.optimizer={type: lookahead, optimizer: adam}", "optimizer.optimizer.type", "cannot wrap"),
    ("optimizer.optimizer={type: adamm}", "optimizer.optimizer.type", "did you mean 'adam'"),
])
def test_bad_nested_settings_exit_2_naming_the_key(override: str, key: str, words: str, tmp_path: Path) -> None:
    result = invoke("run", SEED, "--set", LOOKAHEAD, "--set", override, "--out", tmp_path)
    assert result.exit_code == 2, result.output
    assert key in result.stderr and words in result.stderr and "Traceback" not in result.output


def test_unknown_key_in_a_config_files_nested_block(tmp_path: Path) -> None:
    config = tmp_path / "la.yaml"
    config.write_text(SEED.read_text().replace(
        "optimizer: {type: adam, lr: 0.08}", "optimizer: {type: lookahead, optimizer: {type: adam, lrr: 0.08}}"))
    result = invoke("validate", config)
    assert result.exit_code == 2, result.output
    assert "la.yaml" in result.stderr and "optimizer.optimizer.lrr" in result.stderr and "'lr'" in result.stderr
