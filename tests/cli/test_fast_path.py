"""The fast path of `trainer run ... --quiet` (cli/fast.py) prints, exits and writes what the typer command does."""

from __future__ import annotations

import re

import numpy as np
import pytest

from trainer.cli import fast

from .helpers import FORCE_VARS, SEED, invoke, metrics_without_seconds

SHORT = ("--set", "training.epochs=3")


def _typer(argv: list[str]) -> tuple[int, str, str]:
    result = invoke(*argv)
    return result.exit_code, result.stdout, result.stderr


def _fast(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = fast.main(argv)
    assert code is not None, "the fast path declined an argv shape it serves"
    out, err = capsys.readouterr()
    return code, out, err


def _masked(text: str) -> str:
    text = re.sub(r"wall time \d+\.\d+s", "wall time Xs", text)
    return re.sub(r'"wall_time_seconds": [0-9.e-]+', '"wall_time_seconds": X', text).replace("/b", "/a")


@pytest.fixture(autouse=True)
def _plain(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for var in (*FORCE_VARS, "TRAINER_NO_FAST", "COLUMNS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("tail", [
    ["--quiet"],
    ["-q", "--json"],
    ["--json", "--quiet", "--set", "optimizer.lr=0.01", "-s", "training.log_every=1"],
    ["--quiet", "--set=optimizer.type=sgd", "--overwrite"],
])
def test_a_run_matches_the_typer_command(tail: list[str], tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    typer_result = _typer(["run", str(SEED), *SHORT, *tail, "--out", str(tmp_path / "a")])
    fast_result = _fast(["run", str(SEED), *SHORT, *tail, "-o", str(tmp_path / "b")], capsys)
    assert fast_result[0] == typer_result[0] == 0
    assert _masked(fast_result[1]) == _masked(typer_result[1]) and fast_result[2] == typer_result[2]
    assert metrics_without_seconds(tmp_path / "b") == metrics_without_seconds(tmp_path / "a")
    with np.load(tmp_path / "a" / "model.npz") as a, np.load(tmp_path / "b" / "model.npz") as b:
        assert sorted(a.files) == sorted(b.files) and all(np.array_equal(a[k], b[k]) for k in a.files)
    for name in ("config.yaml", "preprocessing.json"):
        assert (tmp_path / "b" / name).read_text() == (tmp_path / "a" / name).read_text().replace("/a", "/b")


@pytest.mark.parametrize("argv", [
    ["run", "missing.yaml", "--quiet"],
    ["run", str(SEED), "-q", "--set", "optimizer.lrr=1"],
    ["run", str(SEED), "-q", "--set", "nonsense"],
    ["run", str(SEED), "-q", "--set", "training.epochs=-1"],
])
def test_an_error_matches_the_typer_command(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    typer_result = _typer(argv)
    assert _fast(argv, capsys) == typer_result and typer_result[0] == 2


def test_an_occupied_out_directory_is_the_same_error(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["run", str(SEED), *SHORT, "--quiet", "--out", str(tmp_path / "a")]
    assert _typer(argv)[0] == 0
    typer_result = _typer(argv)
    assert _fast(argv, capsys) == typer_result and typer_result[0] == 2


@pytest.mark.parametrize("argv", [
    [], ["run"], ["run", "--help"], ["run", str(SEED)], ["run", str(SEED), "--json"], ["validate", str(SEED)],
    ["run", str(SEED), "-q", "--resume", "runs/x"], ["run", str(SEED), "-q", "--plugin", "p.py"],
    ["run", str(SEED), "-q", "--logger", "csv"], ["run", str(SEED), "-q", "--out"],
    ["run", str(SEED), "-q", "-o", "-q"], ["run", str(SEED), "-q", "--out", "a", "--out", "b"],
    ["run", str(SEED), str(SEED), "-q"], ["run", "-q"],
    ["run", str(SEED), "-q", "--quiet=1"], ["run", str(SEED), "-qo", "a"], ["run", str(SEED), "-q", "--"],
    ["run", str(SEED), "-q", "--bogus"], ["--version"],
])
def test_other_shapes_go_to_typer(argv: list[str]) -> None:
    assert fast.parse(argv) is None


def test_the_switch_turns_the_fast_path_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fast.parse(["run", "c.yaml", "-q"]) == fast.FastRun(config="c.yaml", quiet=True)
    monkeypatch.setenv("TRAINER_NO_FAST", "1")
    assert fast.parse(["run", "c.yaml", "-q"]) is None
