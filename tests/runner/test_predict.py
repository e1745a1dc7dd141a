"""`trainer.load_run`: the trained model in eval mode, its preprocessing and classes, predict and evaluate."""

from __future__ import annotations

import csv

import numpy as np
import pytest
import yaml

import trainer
from trainer.build import build_experiment
from trainer.config import RunConfig, load_config
from trainer.data import spirals
from trainer.errors import UserError

from ..cli.helpers import CONFIGS


@pytest.fixture(scope="module")
def spiral_run(tmp_path_factory):
    run = tmp_path_factory.mktemp("spirals") / "run"
    trainer.run(CONFIGS / "spirals.yaml", out=run)
    return run


@pytest.fixture(scope="module")
def plants_run(tmp_path_factory):
    run = tmp_path_factory.mktemp("plants") / "run"
    trainer.run(CONFIGS / "csv_regression.yaml", out=run, overrides=["training.epochs=30"])
    return run


def last_row(run):
    with open(run / "metrics.csv", newline="") as f:
        return list(csv.DictReader(f))[-1]


def test_load_run_gives_the_model_in_eval_mode_its_config_classes_and_task(spiral_run):
    run = trainer.load_run(spiral_run)
    assert isinstance(run, trainer.LoadedRun) and isinstance(run.config, RunConfig)
    assert run.model.training is False and all(not m.training for m in run.model.modules())
    assert run.task == "multiclass" and run.classes == ("0", "1", "2") and run.features == ("x0", "x1")
    assert run.config.name == "spirals-classifier" and run.summary["status"] == "completed"


def test_predict_and_predict_proba_agree_and_score_new_rows(spiral_run):
    run = trainer.load_run(spiral_run)
    new = spirals(np.random.default_rng(11), n=90)
    labels = run.predict(new.x)
    assert labels.shape == (90,) and set(labels) <= {"0", "1", "2"}
    assert np.mean(labels == new.y.astype(str)) > 0.8
    proba = run.predict_proba(new.x)
    assert proba.shape == (90, 3) and np.allclose(proba.sum(1), 1, atol=1e-6)
    assert np.array_equal(np.asarray(run.classes)[proba.argmax(1)], labels)
    by_name = run.predict({"x1": new.x[:, 1], "x0": new.x[:, 0]})
    assert np.array_equal(by_name, labels)
    with pytest.raises(UserError, match="no column 'x1'"):
        run.predict({"x0": new.x[:, 0]})


def test_evaluate_reproduces_the_final_validation_metrics_exactly(spiral_run):
    values, row = trainer.load_run(spiral_run).evaluate(), last_row(spiral_run)
    assert values["data"] == "validation" and values["rows"] == 60 and values["model_epoch"] == 150
    assert repr(values["val_loss"]) == row["val_loss"] and repr(values["val_accuracy"]) == row["val_accuracy"]


def test_loading_and_evaluating_leave_the_global_generator_alone(spiral_run):
    trainer.manual_seed(5)
    before = trainer.get_rng_state().numpy().copy()
    trainer.load_run(spiral_run).evaluate()
    assert np.array_equal(trainer.get_rng_state().numpy(), before)


def test_raw_rows_go_through_the_training_standardization(plants_run):
    run = trainer.load_run(plants_run)
    assert run.preprocessing.mean is not None and run.features[0] == "sunlight_h" and run.classes is None
    exp = build_experiment(load_config(plants_run / "config.yaml"))
    raw = build_experiment(load_config(plants_run / "config.yaml", ["data.standardize=false",
                                                                               "training.dtype=float64"])).data
    assert np.array_equal(run.preprocessing.transform(raw.x_val), exp.data.x_val)
    with trainer.no_grad():
        expected = run.model(trainer.from_numpy(exp.data.x_val)).numpy()
    assert np.array_equal(run.predict(raw.x_val), expected)
    assert repr(run.evaluate()["val_mae"]) == last_row(plants_run)["val_mae"]
    with pytest.raises(UserError, match="no class probabilities"):
        run.predict_proba(raw.x_val)


def test_gaussian_nll_predicts_the_mean_columns(tmp_path):
    cfg = {"data": {"type": "sine", "n": 40}, "loss": {"type": "gaussian_nll"}, "optimizer": {"type": "adam"},
           "model": {"layers": [{"type": "linear", "out_features": 8}, {"type": "tanh"},
                                {"type": "linear", "out_features": 2}]}, "training": {"epochs": 3}}
    trainer.run(cfg, out=tmp_path / "r")
    run = trainer.load_run(tmp_path / "r")
    x = np.linspace(-1, 1, 5)
    assert run.predict(x).shape == (5, 1) and np.array_equal(run.predict(x), run.output(x)[:, :1])


def test_a_run_directory_that_cannot_be_used_is_refused(spiral_run, tmp_path):
    with pytest.raises(UserError, match="not a run directory"):
        trainer.load_run(tmp_path)
    objective = {"objective": {"type": "booth"}, "optimizer": {"type": "adam"}, "training": {"epochs": 2}}
    trainer.run(objective, out=tmp_path / "obj")
    with pytest.raises(UserError, match="no model to predict with"):
        trainer.load_run(tmp_path / "obj")
    broken = tmp_path / "broken"
    broken.mkdir()
    config = yaml.safe_load((spiral_run / "config.yaml").read_text())
    config["model"]["layers"][0]["out_features"] = 8
    config["model"]["layers"][2]["in_features"] = 8
    (broken / "config.yaml").write_text(yaml.safe_dump(config))
    for name in ("model.npz", "preprocessing.json"):
        (broken / name).write_bytes((spiral_run / name).read_bytes())
    with pytest.raises(UserError, match="the weights do not fit the model of config.yaml"):
        trainer.load_run(broken)
    (broken / "preprocessing.json").unlink()
    with pytest.raises(UserError, match="no preprocessing.json"):
        trainer.load_run(broken)


@pytest.mark.parametrize(("config", "overrides"), [
    ("moons_binary.yaml", ["training.epochs=10"]),  # one logit, bce_with_logits
    ("blobs_onecycle.yaml", ["training.epochs=6"]),  # dropout, a per-batch scheduler
    ("moons_binary.yaml", ["training.epochs=6", "optimizer={type: adamw_schedule_free, lr: 0.01}",
                           "training.dtype=float64"]),  # evaluated at another point than it trains at
])
def test_evaluate_is_exact_for_other_losses_layers_and_optimizers(tmp_path, config, overrides):
    trainer.run(CONFIGS / config, out=tmp_path / "r", overrides=overrides)
    values, row = trainer.load_run(tmp_path / "r").evaluate(), last_row(tmp_path / "r")
    columns = [c for c in row if c.startswith("val_")]
    assert columns and {c: repr(values[c]) for c in columns} == {c: row[c] for c in columns}
