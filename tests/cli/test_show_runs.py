"""`trainer show` (a run, a compare) and `trainer runs` (ordering, --json, --limit, an empty directory)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

import trainer
from trainer.cli.app import app
from trainer.cli.sparkline import BARS

from .helpers import SEED, invoke


def files_state(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(root.rglob("*"))}


def test_show_a_run_prints_its_summary_and_diff_and_writes_curves(tmp_path: Path) -> None:
    out = tmp_path / "run"
    trainer.run(SEED, out=out, overrides=["training.epochs=5", "optimizer.lr=0.05"])
    result = invoke("show", out)
    assert result.exit_code == 0, result.output
    assert "run completed" in result.stdout and "optimizer.lr" in result.stdout and "0.05" in result.stdout
    assert "training.epochs" in result.stdout and "curves:" in result.stdout
    assert not any(bar in result.stdout for bar in BARS)  # not a terminal: no sparklines
    assert (out / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shown = json.loads(invoke("show", out, "--json").stdout)
    assert shown["kind"] == "run" and shown["summary"]["epochs_run"] == 5
    assert {"key": "optimizer.lr", "value": 0.05, "default": 0.001} in shown["config_diff"]
    assert len(shown["curves"]["train_loss"]) == 5


def test_show_in_a_terminal_draws_a_sparkline_per_metric(tmp_path: Path) -> None:
    out = tmp_path / "run"
    trainer.run(SEED, out=out, overrides=["training.epochs=8"])
    result = CliRunner().invoke(app, ["show", str(out), "--no-plot"], env={"TTY_COMPATIBLE": "1", "COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith(("train_loss ", "lr "))]
    assert len(lines) == 2 and all(any(bar in line for bar in BARS) for line in lines)
    assert "→" in lines[0] and not (out / "curves.png").exists()


def test_show_a_compare_prints_its_table(tmp_path: Path) -> None:
    cmp = tmp_path / "cmp"
    assert invoke("compare", SEED, "-O", "adam,sgd:lr=0.001", "--set", "training.epochs=3", "--out", cmp,
                  "-j", 1, "--quiet").exit_code == 0
    result = invoke("show", cmp)
    assert result.exit_code == 0, result.output
    assert "compare:" in result.stdout and "adam" in result.stdout and "sgd:lr=0.001" in result.stdout
    shown = json.loads(invoke("show", cmp, "--json").stdout)
    assert shown["kind"] == "compare" and shown["rows"] == json.loads((cmp / "results.json").read_text())


def test_show_something_else_is_exit_2(tmp_path: Path) -> None:
    result = invoke("show", tmp_path)
    assert result.exit_code == 2 and "holds neither a run nor an experiment" in result.stderr


def test_runs_lists_newest_first_and_never_writes(tmp_path: Path) -> None:
    root = tmp_path / "runs"
    for name in ["old", "new", "middle"]:
        out = root / "seed-regression" / name
        trainer.run(SEED, out=out, overrides=["training.epochs=2"])
        stamp = 1_700_000_000 + {"old": 0, "middle": 100, "new": 200}[name]
        os.utime(out / "summary.json", (stamp, stamp))
    before = files_state(root)
    result = invoke("runs", root, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [Path(r["path"]).name for r in rows] == ["new", "middle", "old"]
    summary = json.loads((root / "seed-regression" / "new" / "summary.json").read_text())
    assert rows[0]["name"] == "seed-regression" and rows[0]["status"] == "completed"
    assert rows[0]["loss_column"] == "train_loss" and rows[0]["loss"] == summary["final_train_loss"]
    assert rows[0]["metric_column"] == "train_mae" and rows[0]["metric"] == summary["final_train_mae"]
    assert [Path(r["path"]).name for r in json.loads(invoke("runs", root, "--json", "--limit", 1).stdout)] == ["new"]
    table = invoke("runs", root)
    assert table.exit_code == 0 and table.stdout.index("new") < table.stdout.index("old")
    assert files_state(root) == before


def test_runs_counts_an_experiment_once(tmp_path: Path) -> None:
    root = tmp_path / "runs"
    assert invoke("compare", SEED, "-O", "adam,sgd:lr=0.001", "--set", "training.epochs=2", "--out",
                  root / "cmp", "-j", 1, "--quiet").exit_code == 0
    rows = json.loads(invoke("runs", root, "--json").stdout)
    assert [(r["kind"], r["name"], r["status"]) for r in rows] == [("compare", "seed-regression", "completed")]


def test_runs_of_an_empty_or_missing_directory(tmp_path: Path) -> None:
    assert json.loads(invoke("runs", tmp_path, "--json").stdout) == []
    result = invoke("runs", tmp_path / "nothing")
    assert result.exit_code == 0 and "no runs under" in result.stdout
