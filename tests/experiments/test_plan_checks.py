"""The Python API checks every sweep point and compare variant before running: a UserError with the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

import trainer
from trainer.config import load_config
from trainer.errors import UserError
from trainer.experiments.sweep import plan_sweep

SEED = Path(__file__).resolve().parents[2] / "configs" / "seed.yaml"


def test_a_bad_grid_value_is_named_by_its_index(tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        trainer.sweep(str(SEED), {"optimizer.lr": [0.1, "fast"]}, out=tmp_path)
    assert info.value.key == "grid.optimizer.lr.1" and "fast" in info.value.message
    assert not (tmp_path / "runs").exists()


def test_a_bad_range_bound_is_found_before_drawing(tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        trainer.sweep(str(SEED), random=3, ranges={"model.layers.0.out_features": "0:64"}, out=tmp_path)
    assert info.value.key == "ranges.model.layers.0.out_features" and ">= 1" in info.value.message


def test_identical_points_are_checked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer.experiments import check_points

    calls = []
    real = check_points.load_config
    monkeypatch.setattr(check_points, "load_config", lambda *a: calls.append(a) or real(*a))
    planned = plan_sweep(load_config(SEED), {"optimizer.lr": [0.1, 0.1, 0.01]}, seeds=3)
    assert len(planned) == 9 and len(calls) == 2


def test_a_bad_compare_variant_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="did you mean 'adam'"):
        trainer.compare(str(SEED), ["adam", "adamm"], out=tmp_path)
    with pytest.raises(UserError, match="expected a number"):
        trainer.compare(str(SEED), "adam:lr=fast", out=tmp_path)
