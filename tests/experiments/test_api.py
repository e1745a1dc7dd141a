"""The Python API examples of the experiments issue, run as written (in a scratch working directory)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import trainer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "configs").mkdir()
    shutil.copy(ROOT / "configs" / "seed.yaml", tmp_path / "configs" / "seed.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_issues_script_runs(workdir: Path) -> None:
    cfg = trainer.load_config("configs/seed.yaml", overrides=["optimizer.lr=0.01"])
    result = trainer.run(cfg, out="runs/x", quiet=True)
    assert len(result.history) == 200 and result.summary["status"] == "completed"
    assert Path(result.run_dir).resolve() == (workdir / "runs" / "x").resolve()

    table = trainer.compare(cfg, optimizers=["adam", "sgd"], seeds=3, out="runs/cmp")
    assert sorted(row["variant"] for row in table) == ["adam", "sgd"]
    assert all(row["runs"] == 3 and row["seeds"] == [0, 1, 2] for row in table)
    assert (workdir / "runs" / "cmp" / "loss_curves.png").is_file()

    rows = trainer.sweep(cfg, grid={"optimizer.lr": [0.01, 0.1]}, jobs=2, out="runs/sw")
    assert len(rows) == 2 and sorted(row["optimizer.lr"] for row in rows) == [0.01, 0.1]
    assert all(row["status"] == "completed" for row in rows)
    adam = next(r for r in trainer.compare(cfg, optimizers=["adam"], out="runs/one"))
    assert adam["final_train_loss"] == result.summary["final_train_loss"]  # same config, same numbers


def test_the_api_prints_nothing(workdir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    trainer.sweep("configs/seed.yaml", grid={"optimizer.lr": [0.01]}, jobs=1, out="runs/quiet",
                  overrides=["training.epochs=3"])
    trainer.compare("configs/seed.yaml", optimizers="adam", jobs=1, out="runs/quiet-cmp",
                    overrides=["training.epochs=3"])
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_default_directories_are_stable_so_the_same_call_resumes(workdir: Path) -> None:
    first = trainer.sweep("configs/seed.yaml", grid={"optimizer.lr": [0.01]}, jobs=1, overrides=["training.epochs=3"])
    again = trainer.sweep("configs/seed.yaml", grid={"optimizer.lr": [0.01]}, jobs=1, overrides=["training.epochs=3"])
    assert first[0]["run_dir"] == again[0]["run_dir"] and again[0]["reused"] is True
    assert Path(first[0]["run_dir"]).parent.parent.parent == Path("runs") / "seed-regression"
