"""What the trackers share: flat params, finite scalars, and the exit-2 message when an extra is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import trainer
from trainer.errors import MissingExtra
from trainer.training.trackers import final_metrics, flatten, require, scalars

from ..cli.helpers import SEED, invoke


def test_flatten_names_every_leaf_by_its_dotted_key() -> None:
    config = {"optimizer": {"type": "adam", "betas": [0.9, 0.999]}, "scheduler": None, "training": {"metrics": []},
              "model": {"layers": [{"type": "linear", "out_features": 3}]}}
    assert flatten(config) == {"optimizer.type": "adam", "optimizer.betas.0": 0.9, "optimizer.betas.1": 0.999,
                               "scheduler": "null", "training.metrics": "[]", "model.layers.0.type": "linear",
                               "model.layers.0.out_features": 3}


def test_scalars_and_final_metrics_keep_finite_numbers_only() -> None:
    row = {"epoch": 3, "train_loss": 0.5, "val_loss": float("inf"), "val_accuracy": None, "lr": 0.1, "note": "x"}
    assert scalars(row) == {"train_loss": 0.5, "lr": 0.1}
    summary = {"final_train_loss": 0.5, "final_val_loss": None, "final_lr": 0.1, "best_train_loss": 0.4,
               "final_val_accuracy": 1}
    assert final_metrics(summary) == {"final_train_loss": 0.5, "final_val_accuracy": 1.0}


@pytest.mark.parametrize(("logger", "module"), [("tensorboard", "tensorboardX"), ("mlflow", "mlflow")])
def test_a_missing_extra_names_its_pip_command(logger: str, module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    with pytest.raises(MissingExtra) as caught:
        require(logger)
    assert caught.value.key == "training.loggers" and f"pip install -e '.[{logger}]'" in caught.value.hint
    assert f"the {logger} logger needs the '{module}' package" in caught.value.message


@pytest.mark.parametrize(("logger", "module"), [("tensorboard", "tensorboardX"), ("mlflow", "mlflow")])
def test_commands_exit_2_before_training_without_the_extra(logger: str, module: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    for args in (("run", SEED, "--out", tmp_path / "run", "--logger", logger),
                 ("compare", SEED, "-O", "adam,sgd", "--out", tmp_path / "cmp", "--logger", logger),
                 ("sweep", SEED, "--grid", "optimizer.lr=0.1,0.2", "--out", tmp_path / "sweep", "--logger", logger)):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert f"pip install -e '.[{logger}]'" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "run").exists() and not (tmp_path / "cmp").exists()
    done = tmp_path / "done"
    trainer.run(SEED, out=done, overrides=["training.epochs=2"])
    result = invoke("export", logger, done)
    assert result.exit_code == 2 and f"pip install -e '.[{logger}]'" in result.stderr


def test_an_unknown_logger_is_a_config_error(tmp_path: Path) -> None:
    result = invoke("run", SEED, "--out", tmp_path / "run", "--logger", "wandb")
    assert result.exit_code == 2
    assert "training.loggers" in result.stderr and "tensorboard" in result.stderr


def test_csv_is_the_default_and_changes_nothing(tmp_path: Path) -> None:
    plain = trainer.run(SEED, out=tmp_path / "a", overrides=["training.epochs=3"])
    listed = trainer.run(SEED, out=tmp_path / "b", overrides=["training.epochs=3", "training.loggers=[csv, csv]"])
    assert plain.config["training"]["loggers"] == ["csv"] and listed.config["training"]["loggers"] == ["csv"]
    assert [r["train_loss"] for r in plain.history] == [r["train_loss"] for r in listed.history]
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted(p.name for p in (tmp_path / "a").iterdir())
