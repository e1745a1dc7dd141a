"""StopWhen: a callback asking a handed-in function ends the run after that epoch, `pruned`, files kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import trainer
from trainer.training.stop_when import StopWhen

ROOT = Path(__file__).resolve().parents[2]


def test_a_run_told_to_stop_ends_pruned_after_that_epoch_with_its_files(tmp_path: Path) -> None:
    asked: list[int] = []

    def should_stop(epoch: int, record: dict) -> bool:
        asked.append(epoch)
        assert "train_loss" in record
        return epoch == 4

    result = trainer.run(str(ROOT / "configs" / "seed.yaml"), out=tmp_path / "run", overrides=["training.epochs=10"],
                         callbacks=[StopWhen(should_stop, every=2)])
    assert asked == [2, 4]
    assert result.summary["status"] == "pruned" and result.summary["stop_reason"] == "pruned"
    assert result.summary["epochs_run"] == 4
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["status"] == "pruned"
    assert len((tmp_path / "run" / "metrics.csv").read_text().splitlines()) == 1 + 4
    assert (tmp_path / "run" / "model.npz").is_file()


def test_it_is_never_asked_after_the_last_epoch(tmp_path: Path) -> None:
    asked: list[int] = []
    result = trainer.run(str(ROOT / "configs" / "seed.yaml"), out=tmp_path / "run", overrides=["training.epochs=3"],
                         callbacks=[StopWhen(lambda e, r: asked.append(e) or True, every=3)])
    assert asked == [] and result.summary["status"] == "completed"


def test_every_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        StopWhen(lambda e, r: False, every=0)
