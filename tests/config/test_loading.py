"""Loading configs: the seed file, aliases and shorthands, and a clear error for every kind of mistake."""

from __future__ import annotations

import pytest
import yaml

from trainer.config import RunConfig, load_config, resolved
from trainer.errors import UserError

from .helpers import SEED_YAML, seed, user_error, write


def test_the_seed_config_loads_with_pytorch_names_and_defaults(tmp_path):
    cfg = load_config(write(tmp_path, SEED_YAML))
    assert isinstance(cfg, RunConfig) and cfg.name == "seed-regression" and cfg.seed == 0
    assert cfg.data.type == "linear" and cfg.data.weights == [0.2, -1.3, -0.5] and cfg.data.val_fraction == 0
    assert [layer.type for layer in cfg.model.layers] == ["linear", "relu", "linear"]
    assert cfg.model.layers[0].out_features == 32 and cfg.model.layers[0].in_features is None
    assert cfg.loss.type == "mse" and cfg.loss.reduction == "sum"
    assert cfg.optimizer.lr == 0.08 and cfg.optimizer.betas == (0.9, 0.999)
    assert cfg.training.epochs == 200 and cfg.training.batch_size is None and cfg.training.dtype == "float32"
    assert cfg.source == (tmp_path / "config.yaml").resolve() and cfg.base_dir == tmp_path.resolve()


def test_dict_and_config_sources(tmp_path):
    cfg = load_config(seed())
    assert cfg.source is None
    assert load_config(cfg) is cfg
    again = load_config(cfg, ["optimizer.lr=0.5"])
    assert again.optimizer.lr == 0.5 and cfg.optimizer.lr == 0.08
    switched = load_config(cfg, ["optimizer.type=sgd"])
    assert switched.optimizer.type == "sgd" and switched.optimizer.lr == 0.08 and cfg.resolved() == resolved(cfg)
    with pytest.raises(TypeError):
        load_config(42)


def test_r_torch_aliases_and_bare_names_become_canonical():
    cfg = load_config(seed(model={"layers": [{"type": "nn_linear", "out_features": 4}, "nn_relu", "leakyrelu",
                                             {"type": "nn_linear", "out_features": 1, "init": "nn_init_zeros_"}]},
                           loss="nnf_mse_loss", optimizer={"type": "optim_adam"},
                           scheduler={"type": "lr_step", "step_size": 5}))
    assert [layer.type for layer in cfg.model.layers] == ["linear", "relu", "leaky_relu", "linear"]
    assert cfg.model.layers[3].init["weight"].type == "zeros"
    assert (cfg.loss.type, cfg.optimizer.type, cfg.scheduler.type) == ("mse", "adam", "step")
    assert load_config(seed(loss={"type": "nn_mse_loss"})).loss.type == "mse"
    assert load_config(seed(loss={"type": "mse_loss"})).loss.type == "mse"


def test_resolved_dict_round_trips_and_fills_defaults(tmp_path):
    cfg = load_config(seed(scheduler={"type": "onecycle"}))
    out = resolved(cfg)
    assert out["training"]["metrics"] == ["mae", "r2"] and out["scheduler"]["interval"] == "batch"
    assert out["optimizer"]["betas"] == [0.9, 0.999] and "compare" not in out
    text = yaml.safe_dump(out, sort_keys=False)
    again = load_config(yaml.safe_load(text))
    assert resolved(again) == out
    assert again.optimizer == cfg.optimizer and again.model == cfg.model and again.data == cfg.data


def test_resolved_data_path_is_absolute(tmp_path):
    cfg = load_config(write(tmp_path, SEED_YAML.replace("type: linear ", "type: csv\n  path: d.csv\n  target: y #")
                            .replace("  n: 100\n  d_in: 3\n  weights: [0.2, -1.3, -0.5]\n  bias: 0.0\n  noise: 1.0\n",
                                     "")))
    assert resolved(cfg)["data"]["path"] == str((tmp_path / "d.csv").resolve())


# ----- YAML problems -----------------------------------------------------------------------------


def test_yaml_syntax_error_names_file_line_and_column(tmp_path):
    path = write(tmp_path, "name: x\nmodel:\n  layers: [\n    {type: linear\n")
    err = user_error(load_config, path)
    assert err.file.startswith(f"{path}:") and err.file.count(":") >= 2
    assert "invalid YAML" in err.message
    path = write(tmp_path, "name: x\n  seed: 1\n")
    err = user_error(load_config, path)
    assert err.file == f"{path}:2:7"


def test_empty_file_and_non_mapping_top_level(tmp_path):
    assert "empty" in user_error(load_config, write(tmp_path, "# nothing\n")).message
    err = user_error(load_config, write(tmp_path, "- a\n- b\n"))
    assert "mapping" in err.message and "list" in err.message
    assert "string" in user_error(load_config, write(tmp_path, "hello\n")).message


def test_missing_config_file(tmp_path):
    assert "not found" in user_error(load_config, tmp_path / "nope.yaml").message
    assert "not a file" in user_error(load_config, tmp_path).message


def test_duplicate_keys_are_errors(tmp_path):
    err = user_error(load_config, write(tmp_path, "seed: 1\nseed: 2\n"))
    assert "duplicate key 'seed'" in err.message and err.file.endswith(":2:1")


def test_python_tags_are_rejected_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"name: x\nseed: !!python/object/apply:os.system ['touch {marker}']\n"
    err = user_error(load_config, write(tmp_path, text))
    assert "python/object/apply:os.system" in err.message and "not allowed" in err.message
    assert not marker.exists()
    err = user_error(load_config, write(tmp_path, "x: !!python/name:os.system\n"))
    assert "not allowed" in err.message


def test_non_utf8_file(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"name: \xff\xfe\n")
    assert "UTF-8" in user_error(load_config, path).message


# ----- schema problems ---------------------------------------------------------------------------

BAD = [
    (seed(optimzer={"type": "adam"}), "optimzer", "did you mean 'optimizer'"),
    (seed(optimizer={"type": "adam", "betass": [0.9, 0.99]}), "optimizer.betass", "did you mean 'betas'"),
    (seed(optimizer={"type": "adamm"}), "optimizer.type", "unknown optimizer type 'adamm' (did you mean 'adam'"),
    (seed(optimizer={"type": "adam", "lr": -0.1}), "optimizer.lr", ">= 0"),
    (seed(optimizer={"type": "adam", "lr": "fast"}), "optimizer.lr", "expected a number, got 'fast'"),
    (seed(optimizer={"type": "adam", "betas": [0.9, 1.0]}), "optimizer.betas", "in [0, 1)"),
    (seed(optimizer={"lr": 0.1}), "optimizer", "missing 'type'"),
    (seed(loss={"type": "mse", "reduction": "avg"}), "loss.reduction", "'mean', 'sum' or 'none'"),
    (seed(loss={"type": "crossentropy"}), "loss.type", "did you mean 'cross_entropy'"),
    (seed(data={"type": "moon"}), "data.type", "unknown data type 'moon' (did you mean 'moons'"),
    (seed(data={"type": "linear", "val_fraction": 1.0}), "data.val_fraction", "in [0, 1)"),
    (seed(data={"type": "linear", "n": 0}), "data.n", ">= 1"),
    (seed(data={"type": "moons", "n_classes": 3}), "data.n_classes", "unknown key"),
    (seed(data={"type": "csv", "target": "y"}), "data.path", "missing required key 'path'"),
    (seed(model={"layers": []}), "model.layers", "at least 1"),
    (seed(model={"layers": [{"type": "linear", "out_features": 4}, {"type": "dropout", "p": 1.0}]}),
     "model.layers.1.p", "in [0, 1)"),
    (seed(model={"layers": [{"type": "lineer", "out_features": 4}]}), "model.layers.0.type",
     "unknown layer type 'lineer' (did you mean 'linear'"),
    (seed(model={"layers": [{"type": "linear"}]}), "model.layers.0.out_features", "missing required key"),
    (seed(model={"layers": [{"type": "linear", "out_features": 2.5}]}), "model.layers.0.out_features",
     "expected an integer, got 2.5"),
    (seed(model={"layers": [{"type": "linear", "out_features": True}]}), "model.layers.0.out_features",
     "expected an integer, got True"),
    (seed(optimizer={"type": "adam", "lr": "0.1"}), "optimizer.lr", "expected a number, got '0.1'"),
    (seed(optimizer={"type": "sgd", "nesterov": "yes"}), "optimizer.nesterov", "expected true or false"),
    (seed(seed="1"), "seed", "expected an integer"),
    (seed(optimizer={"type": "adam", "lr": float("inf")}), "optimizer.lr", "finite"),
    (seed(training={"grad_clip_norm": float("nan")}), "training.grad_clip_norm", "finite"),
    (seed(model={"layers": [{"type": "leaky_relu", "negative_slop": 0.1}]}), "model.layers.0.negative_slop",
     "did you mean 'negative_slope'"),
    (seed(model={"layers": [{"type": "linear", "out_features": 1, "init": {"type": "xavier"}}]}),
     "model.layers.0.init.type", "unknown init type 'xavier'"),
    (seed(model=[1, 2]), "model", "expected a mapping"),
    (seed(training={"epochs": 0}), "training.epochs", ">= 1"),
    (seed(training={"epochs": "many"}), "training.epochs", "expected an integer"),
    (seed(training={"batch_size": -4}), "training.batch_size", ">= 1"),
    (seed(training={"dtype": "float16"}), "training.dtype", "'float32' or 'float64'"),
    (seed(training={"metrics": ["acc"]}), "training.metrics", "unknown metric 'acc'"),
    (seed(training={"early_stopping": {"patience": 0}}), "training.early_stopping.patience", ">= 1"),
    (seed(scheduler={"type": "step"}), "scheduler.step_size", "missing required key"),
    (seed(scheduler={"type": "cosine", "interval": "minute"}), "scheduler.interval", "'epoch' or 'batch'"),
    (seed(scheduler={"type": "sequential", "schedulers": [{"type": "plateau"}], "milestones": []}),
     "scheduler.schedulers.0.type", "unknown scheduler type 'plateau'"),
    (seed(name="../escape"), "name", "letters, digits"),
    (seed(seed=-1), "seed", ">= 0"),
]


@pytest.mark.parametrize("raw, key, words", BAD, ids=[case[1] + ":" + case[2][:20] for case in BAD])
def test_bad_configs_name_the_key(raw, key, words):
    err = user_error(load_config, raw)
    assert err.key == key
    assert words in str(err)


def test_errors_carry_the_file_and_list_further_problems(tmp_path):
    text = SEED_YAML.replace("lr: 0.08", "lr: -1, eps: -2")
    err = user_error(load_config, write(tmp_path, text))
    assert err.file == str(tmp_path / "config.yaml") and err.key == "optimizer.lr"
    assert "also optimizer.eps" in err.message


def test_unknown_key_hint_lists_the_allowed_keys():
    err = user_error(load_config, seed(training={"epoch": 3}))
    assert "did you mean 'epochs'" in err.message and "batch_size" in err.hint


def test_scalar_union_alternatives_are_merged():
    err = user_error(load_config, seed(data={"type": "linear", "bias": "high"}))
    assert err.key == "data.bias" and "expected a number or a list, got 'high'" in err.message


def test_user_error_is_what_every_problem_raises():
    for raw, *_ in BAD:
        with pytest.raises(UserError):
            load_config(raw)


def test_exponent_floats_are_numbers_as_in_yaml_1_2(tmp_path):
    cfg = load_config(write(tmp_path, SEED_YAML.replace("lr: 0.08", "lr: 1e-3, eps: 1E-8")))
    assert cfg.optimizer.lr == 0.001 and cfg.optimizer.eps == 1e-8
    assert load_config(seed(), ["optimizer.lr=5e-4"]).optimizer.lr == 5e-4
    assert load_config(seed(optimizer={"type": "adam", "lr": 1})).optimizer.lr == 1.0


@pytest.mark.parametrize("text, words", [
    ("[" * 5000 + "]" * 5000, "nested too deeply"),
    ("a: \x00", "not allowed"),
    ("a: *nope", "undefined alias"),
    ("? [1, 2]\n: 3", "plain value"),
])
def test_odd_yaml_is_a_user_error(tmp_path, text, words):
    err = user_error(load_config, write(tmp_path, text))
    assert words in err.message
