"""Every sweep point and compare variant is checked by the schema before the first run: exit 2, the key, a hint."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .helpers import SEED, invoke

FAST = ["--set", "training.epochs=2"]


@pytest.mark.parametrize(("args", "key", "words"), [
    (["--grid", "model.layers.1.type=relu,rellu"], "--grid model.layers.1.type", "did you mean 'relu'"),
    (["--grid", "optimizer.lr="], "--grid optimizer.lr", "expected a number"),
    (["--grid", "optimizer.lr=0.1,fast"], "--grid optimizer.lr", "optimizer.lr=fast"),
    (["--grid", "optimizer.momentum=0.9"], "--grid optimizer.momentum", "not a key of optimizer"),
    (["--random", 2, "--range", "model.layers.0.out_features=0:8"], "--range model.layers.0.out_features", ">= 1"),
    (["--random", 2, "--range", "model.layers.0.out_features=2.0:8.5:float"], "--range model.layers.0.out_features",
     "expected an integer"),
])
def test_a_bad_sweep_point_exits_2_before_any_run(tmp_path: Path, args: list[object], key: str, words: str) -> None:
    result = invoke("sweep", SEED, *args, *FAST, "--out", tmp_path / "sw")
    assert result.exit_code == 2, result.output
    assert key in result.stderr and words in result.stderr
    assert not (tmp_path / "sw" / "runs").exists()


def test_a_combination_that_changes_the_type_is_checked_as_a_whole(tmp_path: Path) -> None:
    result = invoke("sweep", SEED, "--grid", "optimizer.type=sgd", "--grid", "optimizer.momentum=0.9",
                    "--set", "optimizer.lr=0.001", *FAST, "--out", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    result = invoke("sweep", SEED, "--grid", "optimizer.type=sgd,adam", "--grid", "optimizer.momentum=0.9",
                    *FAST, "--out", tmp_path / "b")
    assert result.exit_code == 2 and "--grid optimizer.momentum" in result.stderr, result.output


@pytest.mark.parametrize(("spec", "words"), [
    ("adam,adamm", "did you mean 'adam'"),
    ("adam:lr=fast", "expected a number"),
    ("sgd:momentun=0.9", "did you mean 'momentum'"),
])
def test_a_bad_compare_variant_exits_2(tmp_path: Path, spec: str, words: str) -> None:
    result = invoke("compare", SEED, "--optimizers", spec, *FAST, "--out", tmp_path / "cmp")
    assert result.exit_code == 2, result.output
    assert words in result.stderr and "optimizer variant" in result.stderr
    assert not (tmp_path / "cmp" / "runs").exists()


def _with_block(tmp_path: Path, **blocks: object) -> Path:
    raw = yaml.safe_load(SEED.read_text())
    raw.update(blocks)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.mark.parametrize(("block", "key", "words"), [
    ({"grid": {"optimizer.lr": [0.1, "fast"]}}, "sweep.grid.optimizer.lr.1", "expected a number"),
    ({"grid": {"model.layers.1.type": ["relu", "rellu"]}}, "sweep.grid.model.layers.1.type.1", "did you mean"),
    ({"random": 2, "ranges": {"optimizer.lr": "-1:1"}}, "sweep.ranges.optimizer.lr", ">= 0"),
])
def test_validate_checks_every_point_of_a_sweep_block(tmp_path: Path, block: dict, key: str, words: str) -> None:
    result = invoke("validate", _with_block(tmp_path, sweep=block))
    assert result.exit_code == 2, result.output
    assert key in result.stderr and words in result.stderr
    result = invoke("sweep", _with_block(tmp_path, sweep=block), *FAST, "--out", tmp_path / "sw")
    assert result.exit_code == 2 and key in result.stderr, result.output


def test_validate_accepts_a_good_sweep_block(tmp_path: Path) -> None:
    good = {"grid": {"optimizer.lr": [0.1, 0.01], "optimizer.type": ["adam", "sgd"]}}
    assert invoke("validate", _with_block(tmp_path, sweep=good)).exit_code == 0
