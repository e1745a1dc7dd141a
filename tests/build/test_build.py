"""Builders: the seed experiment, the seeding contract, targets per loss, every type built for real."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer import nn
from trainer.build import build_experiment, validate_experiment
from trainer.config import load_config
from trainer.data import make_dataset

from ..config.helpers import SEED_YAML, moons, seed, user_error, write


def params(model):
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}


def test_the_seed_experiment(tmp_path):
    exp = validate_experiment(write(tmp_path, SEED_YAML))
    layers = list(exp.model)
    assert [type(m).__name__ for m in layers] == ["Linear", "ReLU", "Linear"]
    assert (layers[0].in_features, layers[0].out_features, layers[2].in_features) == (3, 32, 32)
    data = make_dataset("linear", {"n": 100, "d_in": 3, "weights": [0.2, -1.3, -0.5], "bias": 0.0, "noise": 1.0})
    assert np.array_equal(exp.data.x_train, data.x_train) and np.array_equal(exp.data.y_train, data.y_train)
    assert type(exp.optimizer).__name__ == "Adam" and exp.optimizer.param_groups[0]["lr"] == 0.08
    assert exp.scheduler is None and exp.scheduler_interval == "epoch" and exp.metrics == ("mae", "r2")
    assert exp.task == "regression" and exp.dtype == np.float32 and exp.logits and exp.predict is None
    x, y = trainer.from_numpy(exp.data.x_train), trainer.from_numpy(exp.data.y_train)
    pred = exp.model(x)
    expected = float(((pred.detach().numpy() - exp.data.y_train) ** 2).sum())
    assert np.isclose(exp.loss_fn(pred, y).item(), expected, rtol=1e-5)
    assert exp.resolved["model"]["layers"][2]["in_features"] == 32
    assert exp.resolved["training"]["metrics"] == ["mae", "r2"]


def test_model_init_is_manual_seed_then_the_layers_in_order():
    exp = build_experiment(load_config(seed()))
    trainer.manual_seed(0)
    direct = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))
    for (k, a), b in zip(params(exp.model).items(), params(direct).values()):
        assert np.array_equal(a, b), k


def test_same_data_and_initial_weights_for_every_optimizer():
    trainer.manual_seed(123)
    a = build_experiment(load_config(seed()))
    trainer.randn(10)
    b = build_experiment(load_config(seed(optimizer={"type": "sgd", "lr": 0.01, "momentum": 0.9})))
    assert np.array_equal(a.data.x_train, b.data.x_train)
    for (k, pa), pb in zip(params(a.model).items(), params(b.model).values()):
        assert np.array_equal(pa, pb), k


def test_float64_everywhere_and_the_default_dtype_restored():
    exp = build_experiment(load_config(seed(), ["training.dtype=float64"]))
    assert exp.data.x_train.dtype == np.float64 and exp.data.y_train.dtype == np.float64
    assert all(p.dtype == np.float64 for p in exp.model.parameters())
    assert trainer.get_default_dtype() == np.float32


def test_builder_errors_carry_the_config_file(tmp_path):
    err = user_error(validate_experiment, write(tmp_path, SEED_YAML), ["model.layers.2.out_features=3"])
    assert err.file == str((tmp_path / "config.yaml").resolve())


# ----- targets per loss --------------------------------------------------------------------------


def test_cross_entropy_uses_class_indices():
    exp = build_experiment(load_config(moons()))
    assert exp.data.y_train.dtype == np.int64 and exp.data.y_train.ndim == 1
    assert exp.task == "binary" and exp.target_kind == "index" and exp.metrics == ("accuracy",)
    assert exp.data.n_val == 16


def test_bce_with_logits_uses_float_zero_one_columns():
    exp = build_experiment(load_config(moons(loss="bce_with_logits"), ["model.layers.2.out_features=1"]))
    raw = make_dataset("moons", {"n": 64}, seed=1, val_fraction=0.25)
    assert exp.data.y_train.shape == (48, 1) and exp.data.y_train.dtype == np.float32
    assert np.array_equal(exp.data.y_train[:, 0], raw.y_train) and exp.logits


def test_bce_needs_a_sigmoid_and_thresholds_probabilities():
    layers = [{"type": "linear", "out_features": 4}, "relu", {"type": "linear", "out_features": 1}, "sigmoid"]
    exp = build_experiment(load_config(moons(loss="bce", model={"layers": layers})))
    assert not exp.logits and exp.target_kind == "binary"
    err = user_error(build_experiment, load_config(moons(loss="bce", model={"layers": layers[:3]})))
    assert err.key == "model.layers.2" and "sigmoid" in err.message


@pytest.mark.parametrize("loss", ["soft_margin", "hinge_embedding"])
def test_sign_losses_use_minus_one_and_one(loss):
    exp = build_experiment(load_config(moons(loss=loss), ["model.layers.2.out_features=1"]))
    assert set(np.unique(exp.data.y_train)) == {-1.0, 1.0} and exp.data.y_train.shape[1] == 1
    out = np.array([[0.0], [2.0]])
    expected = out if loss == "soft_margin" else 0.5 - out
    assert np.array_equal(exp.predictions(out), expected)


def test_kl_div_gets_one_hot_targets_and_needs_log_softmax():
    layers = [{"type": "linear", "out_features": 3}, {"type": "log_softmax", "dim": 1}]
    cfg = moons(data={"type": "blobs", "n": 30}, loss={"type": "kl_div", "reduction": "batchmean"},
                model={"layers": layers})
    exp = build_experiment(load_config(cfg))
    assert exp.data.y_train.shape == (30, 3) and np.array_equal(exp.data.y_train.sum(1), np.ones(30))
    err = user_error(build_experiment, load_config({**cfg, "model": {"layers": layers[:1]}}))
    assert "log_softmax" in err.message


def test_gaussian_nll_reads_mean_and_log_variance_columns():
    exp = build_experiment(load_config(seed(loss="gaussian_nll"), ["model.layers.2.out_features=2"]))
    out = np.array([[1.0, 0.0], [2.0, 0.5]])
    assert np.array_equal(exp.predictions(out), [[1.0], [2.0]])
    x, y = trainer.from_numpy(exp.data.x_train), trainer.from_numpy(exp.data.y_train)
    assert np.isfinite(exp.loss_fn(exp.model(x), y).item())
    err = user_error(build_experiment, load_config(seed(loss="gaussian_nll")))
    assert err.key == "model.layers.2.out_features" and "log-variance" in err.message


def test_poisson_nll_predicts_the_rate():
    exp = build_experiment(load_config(seed(loss="poisson_nll")))
    assert np.allclose(exp.predictions(np.zeros((1, 1))), 1.0)


def test_class_weights_become_tensors():
    exp = build_experiment(load_config(moons(loss={"type": "cross_entropy", "weight": [1.0, 3.0]})))
    x, y = trainer.from_numpy(exp.data.x_train), trainer.from_numpy(exp.data.y_train)
    assert np.isfinite(exp.loss_fn(exp.model(x), y).item())


# ----- validation before training ----------------------------------------------------------------

BAD_EXPERIMENTS = [
    (seed(), ["model.layers.2.out_features=3"], "model.layers.2.out_features", ["model.layers.2", "(n, 3)", "(n, 1)"]),
    (seed(), ["loss.type=cross_entropy"], "loss.type", ["classification loss", "regression"]),
    (moons(), ["loss.type=mse"], "loss.type", ["regression loss", "class labels"]),
    (moons(), ["model.layers.2.out_features=3"], "model.layers.2.out_features", ["(n, 3)", "2 classes"]),
    (moons(data={"type": "spirals", "n": 30}), ["loss.type=bce_with_logits"], "loss.type", ["two classes"]),
    (seed(), ["training.metrics=[accuracy]"], "training.metrics.0", ["classification"]),
    (moons(), ["training.metrics=[r2]"], "training.metrics.0", ["regression"]),
    (seed(), ["training.early_stopping={monitor: val_loss}"], "training.early_stopping.monitor", ["val_loss"]),
    (moons(), ["training.early_stopping={monitor: val_accuracy}"], None, []),
    (moons(), ["training.early_stopping={monitor: accuracy}"], None, []),
    (seed(), ["scheduler={type: plateau, monitor: val_r2}"], "scheduler.monitor", ["train_r2"]),
    (seed(), ["loss.reduction=none"], "loss.reduction", ["one number"]),
    (seed(), ["model.layers.0.in_features=4"], "model.layers.0.in_features", ["4", "3 features"]),
    (seed(), ["model.layers.1.init=zeros"], "model.layers.1.init.weight", ["no parameter"]),
    (seed(), ["model.layers.0.init={weigth: zeros}"], "model.layers.0.init.weigth", ["did you mean 'weight'"]),
    (seed(), ["model.layers.0.init={bias: xavier_uniform}"], "model.layers.0.init.bias", ["xavier_uniform"]),
    (seed(), ["model.layers=[relu]"], "model.layers.0", ["(n, 3)", "(n, 1)"]),
    (seed(), ["model.layers=[relu, {type: linear, out_features: 1}]", "optimizer.param_groups=[{layers: [0]}]"],
     "optimizer.param_groups.0.layers", ["no parameters"]),
    (seed(), ["model.layers.1={type: embedding, num_embeddings: 4, embedding_dim: 2}"], "model.layers.1",
     ["embedding"]),
    (seed(), ["model.layers.1={type: softmax, dim: 3}"], "model.layers.1", ["softmax"]),
    (seed(), ["optimizer.param_groups=[{layers: [5], lr: 0.1}]"], "optimizer.param_groups.0.layers", ["no layer 5"]),
    (seed(), ["optimizer.param_groups=[{lr: 0.1}]"], "optimizer.param_groups.0", ["layers"]),
    (seed(), ["optimizer.param_groups=[{layers: [0]}, {params: [0.bias]}]"], "optimizer.param_groups.1",
     ["already in param_groups.0"]),
    (seed(), ["optimizer={type: lbfgs, param_groups: [{layers: [0], lr: 0.1}]}"], "optimizer.param_groups",
     ["per-parameter"]),
    (seed(), ["model.layers=[relu]", "loss.type=mse"], "model.layers.0", []),
    (seed(), ["scheduler={type: plateau, interval: batch}"], "scheduler.interval", ["per epoch"]),
    (seed(), ["scheduler={type: sequential, schedulers: [{type: linear}], milestones: [3]}"],
     "scheduler.milestones", ["milestone"]),
    (seed(), ["scheduler={type: constant, factor: 2.0}"], "scheduler.factor", ["constant"]),
    (seed(), ["data={type: csv, path: missing.csv, target: y}"], "data.path", ["not found"]),
]


@pytest.mark.parametrize("raw, overrides, key, words", BAD_EXPERIMENTS,
                         ids=[f"{i}:{case[1][-1][:30]}" for i, case in enumerate(BAD_EXPERIMENTS)])
def test_problems_found_before_training(raw, overrides, key, words):
    if key is None:
        validate_experiment(raw, overrides)
        return
    err = user_error(validate_experiment, raw, overrides)
    assert err.key == key
    for word in words:
        assert word in str(err)


def test_csv_data_relative_to_the_config_file(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "table.csv").write_text("a,b,label\n" + "".join(
        f"{i % 5},{(i * 7) % 3},{'yes' if i % 2 else 'no'}\n" for i in range(20)))
    text = SEED_YAML.replace("type: linear ", "type: csv\n  path: data/table.csv\n  target: label #").replace(
        "  n: 100\n  d_in: 3\n  weights: [0.2, -1.3, -0.5]\n  bias: 0.0\n  noise: 1.0\n", "").replace(
        "loss: {type: mse, reduction: sum}", "loss: cross_entropy").replace("out_features: 1}", "out_features: 2}")
    exp = validate_experiment(write(tmp_path, text))
    assert exp.data.class_names == ("no", "yes") and exp.data.in_features == 2 and exp.task == "binary"
