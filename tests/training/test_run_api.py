"""The Python API: `trainer.run(config, out=..., quiet=True)` and what it returns or raises."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

import trainer
from trainer.errors import DivergedError, UserError

from ..cli.helpers import SEED


def seed_dict(**training) -> dict:
    raw = yaml.safe_load(SEED.read_text())
    raw["training"].update(training)
    return raw


def test_run_from_a_path_is_silent_and_returns_everything(tmp_path, capsys):
    result = trainer.run(SEED, out=tmp_path / "run", overrides=["training.epochs=12"])
    assert capsys.readouterr() == ("", "")
    assert isinstance(result, trainer.RunResult)
    assert len(result.history) == 12 and result.history[0]["epoch"] == 1
    assert result.summary["status"] == "completed" and result.run_dir == tmp_path / "run"
    assert result.config["training"]["epochs"] == 12
    with np.load(result.run_dir / "model.npz", allow_pickle=False) as npz:
        for name, value in result.model.state_dict().items():
            assert npz[name].tobytes() == value.numpy().tobytes()


def test_run_from_a_dict_and_from_a_loaded_config_agree(tmp_path):
    a = trainer.run(seed_dict(epochs=5), out=tmp_path / "a")
    b = trainer.run(trainer.load_config(SEED, overrides=["training.epochs=5"]), out=tmp_path / "b")
    strip = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]
    assert strip(a.history) == strip(b.history)


def test_quiet_false_renders_the_log(tmp_path, capsys):
    trainer.run(SEED, out=tmp_path / "run", overrides=["training.epochs=3"], quiet=False)
    out = capsys.readouterr().out
    assert "epoch 1/3" in out and "epoch 3/3" in out


def test_divergence_raises_with_the_result(tmp_path):
    with pytest.raises(DivergedError) as info:
        trainer.run(SEED, out=tmp_path / "run", overrides=["optimizer.type=sgd", "optimizer.lr=1e6"])
    result = info.value.result
    assert result.summary["status"] == "diverged" and info.value.epoch == len(result.history)
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["status"] == "diverged"
    assert all(np.isfinite(v.numpy()).all() for v in result.model.state_dict().values())


def test_bad_input_raises_user_error(tmp_path):
    with pytest.raises(UserError, match="optimizer.lr"):
        trainer.run(SEED, out=tmp_path / "run", overrides=["optimizer.lr=-1"])
    with pytest.raises(UserError, match="not both"):
        trainer.run(SEED, resume=tmp_path)
