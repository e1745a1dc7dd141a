"""Every optimizer, layer, initialiser and scheduler of the registry builds from a config and runs."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer.build import build_experiment
from trainer.build.memory import layer_footprint
from trainer.config import load_config, names
from trainer.config.resolve import default_interval
from trainer.config.schema import WRAPPERS
from trainer.errors import UserError

from ..config.helpers import moons, seed


def one_step(exp, steps: int = 8):
    x, y = trainer.from_numpy(exp.data.x_train), trainer.from_numpy(exp.data.y_train)

    def closure():
        exp.optimizer.zero_grad()
        loss = exp.loss_fn(exp.model(x), y)
        loss.backward()
        return loss

    exp.optimizer.train()  # as the loop does (schedule-free optimizers refuse to step in eval mode)
    before = [p.detach().numpy().copy() for p in exp.model.parameters()]
    for _ in range(steps):  # ADOPT's first step only initializes a moment, RAdamScheduleFree's first ones are silent
        exp.optimizer.step(closure)
        if any(not np.array_equal(b, p.detach().numpy()) for b, p in zip(before, exp.model.parameters())):
            return True
    return False


@pytest.mark.parametrize("name", names("optimizer", aliases=False))
def test_every_optimizer_builds_and_steps(name):
    block = {"type": name, "lr": 0.01}
    if name in WRAPPERS:  # lookahead: the optimizer it wraps has the lr
        block = {"type": name, "optimizer": {"type": "adam", "lr": 0.01}}
    exp = build_experiment(load_config(seed(optimizer=block)))
    assert exp.optimizer.param_groups[0]["lr"] == 0.01
    if name == "soap":  # its first step only gathers the preconditioner's statistics, as the reference's does
        assert not one_step(exp, steps=1)
    assert one_step(exp)


LAYERS = {
    "rmsnorm": {"type": "rmsnorm", "eps": 1e-6},
    "identity": "identity", "flatten": "flatten", "dropout": {"type": "dropout", "p": 0.2},
    "batchnorm1d": "batchnorm1d", "layernorm": "layernorm", "relu": "relu",
    "leaky_relu": {"type": "leaky_relu", "negative_slope": 0.2}, "elu": "elu",
    "gelu": {"type": "gelu", "approximate": "tanh"}, "silu": "silu", "sigmoid": "sigmoid", "tanh": "tanh",
    "softplus": {"type": "softplus", "beta": 2.0}, "softmax": {"type": "softmax", "dim": 1},
    "log_softmax": {"type": "log_softmax", "dim": 1},
    "hardtanh": {"type": "hardtanh", "min_val": -0.5, "max_val": 2.0}, "relu6": "relu6",
    "threshold": {"type": "threshold", "threshold": 0.1, "value": 0.0}, "hardswish": "hardswish",
    "hardsigmoid": "hardsigmoid", "mish": "mish", "selu": "selu", "celu": {"type": "celu", "alpha": 0.5},
    "prelu": {"type": "prelu", "num_parameters": 6}, "rrelu": "rrelu", "logsigmoid": "logsigmoid",
    "softsign": "softsign", "softshrink": {"type": "softshrink", "lambd": 0.1}, "hardshrink": "hardshrink",
    "tanhshrink": "tanhshrink", "softmin": {"type": "softmin", "dim": 1}, "glu": "glu",
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_every_layer_builds_between_two_linears(name):
    layers = [{"type": "linear", "out_features": 6}, LAYERS[name], {"type": "linear", "out_features": 1}]
    exp = build_experiment(load_config(seed(model={"layers": layers})))
    assert type(exp.model[1]).__name__.lower().replace("_", "") == \
        {"leaky_relu": "leakyrelu", "log_softmax": "logsoftmax"}.get(name, name).replace("_", "")
    assert exp.model[2].in_features == (3 if name == "glu" else 6)  # GLU halves its input
    assert one_step(exp)


# image and sequence layers (issue 16), each built on (n, 2, 8, 8) or (n, 2, 8) data from YAML, channels inferred
IMAGE_LAYERS = {
    "instancenorm2d": {"type": "instancenorm2d", "affine": True}, "zeropad2d": {"type": "zeropad2d", "padding": 1},
    "constantpad2d": {"type": "constantpad2d", "padding": [1, 0, 2, 1], "value": 0.5},
    "reflectionpad2d": {"type": "reflectionpad2d", "padding": [2, 1, 0, 1]},
    "replicationpad2d": {"type": "replicationpad2d", "padding": 2},
    "circularpad2d": {"type": "circularpad2d", "padding": 1},
    "conv2d": {"type": "conv2d", "out_channels": 3, "kernel_size": 3, "padding": 1},
    "conv_transpose2d": {"type": "conv_transpose2d", "out_channels": 3, "kernel_size": 2, "stride": 2},
    "maxpool2d": {"type": "maxpool2d", "kernel_size": 2}, "avgpool2d": {"type": "avgpool2d", "kernel_size": [2, 2]},
    "adaptive_avgpool2d": {"type": "adaptive_avgpool2d", "output_size": 3},
    "adaptive_maxpool2d": {"type": "adaptive_maxpool2d", "output_size": [2, 3]},
    "batchnorm2d": "batchnorm2d", "groupnorm": {"type": "groupnorm", "num_groups": 2}, "dropout2d": "dropout2d",
    "upsample": {"type": "upsample", "scale_factor": 2}, "unflatten": {"type": "unflatten", "dim": 2,
                                                                      "unflattened_size": [4, 2]},
}
SEQUENCE_LAYERS = {
    "instancenorm1d": "instancenorm1d", "localresponsenorm": {"type": "localresponsenorm", "size": 2},
    "zeropad1d": {"type": "zeropad1d", "padding": [1, 2]},
    "constantpad1d": {"type": "constantpad1d", "padding": 1, "value": -1},
    "reflectionpad1d": {"type": "reflectionpad1d", "padding": 3},
    "replicationpad1d": {"type": "replicationpad1d", "padding": [0, 4]},
    "circularpad1d": {"type": "circularpad1d", "padding": [2, 1]},
    "conv1d": {"type": "conv1d", "out_channels": 3, "kernel_size": 3}, "maxpool1d": {"type": "maxpool1d",
                                                                                    "kernel_size": 2},
    "avgpool1d": {"type": "avgpool1d", "kernel_size": 2}, "adaptive_avgpool1d": {"type": "adaptive_avgpool1d",
                                                                                 "output_size": 2},
    "adaptive_maxpool1d": {"type": "adaptive_maxpool1d", "output_size": 2}, "dropout1d": "dropout1d",
}


@pytest.mark.parametrize("name", sorted({**IMAGE_LAYERS, **SEQUENCE_LAYERS}))
def test_every_image_layer_builds_on_images_from_yaml(name, tmp_path):
    shape = (8, 2, 8, 8) if name in IMAGE_LAYERS else (8, 2, 8)
    np.savez(tmp_path / "x.npz", x=np.random.default_rng(0).normal(size=shape), y=np.arange(8) % 2)
    layer = {**IMAGE_LAYERS, **SEQUENCE_LAYERS}[name]
    cfg = {"data": {"type": "npz", "path": str(tmp_path / "x.npz")}, "loss": "cross_entropy",
           "model": {"layers": [layer, "flatten", {"type": "linear", "out_features": 2}]},
           "optimizer": {"type": "sgd", "lr": 0.1}, "training": {"epochs": 1}}
    exp = build_experiment(load_config(cfg))
    inferred = {"conv2d": "in_channels", "conv_transpose2d": "in_channels", "conv1d": "in_channels",
                "batchnorm2d": "num_features", "groupnorm": "num_channels", "instancenorm1d": "num_features",
                "instancenorm2d": "num_features"}.get(name)
    if inferred:
        assert getattr(exp.model[0], inferred) == 2
    assert exp.model[2].in_features == int(np.prod(exp.layers[1].output_shape[1:]))
    params, _, estimated, _ = layer_footprint(exp.config.model.layers[0], shape[1:])  # the memory check's estimate
    assert estimated == exp.layers[0].output_shape[1:] and params == exp.layers[0].params
    assert one_step(exp)


def test_every_layer_type_is_covered():
    # lazylinear: tests/nn/test_lazy.py trains the seed config with it (the same losses as linear)
    covered = set(LAYERS) | set(IMAGE_LAYERS) | set(SEQUENCE_LAYERS) | {"linear", "embedding", "lazylinear"}
    assert covered == set(names("layer", aliases=False))


def test_inferred_widths_for_norm_layers():
    layers = [{"type": "linear", "out_features": 5}, "batchnorm1d", "layernorm", {"type": "linear", "out_features": 1}]
    exp = build_experiment(load_config(seed(model={"layers": layers})))
    assert exp.model[1].num_features == 5 and tuple(exp.model[2].normalized_shape) == (5,)
    assert exp.resolved["model"]["layers"][1]["num_features"] == 5


INITS = {"uniform": {"a": -0.1, "b": 0.1}, "normal": {"std": 0.01}, "constant": {"val": 0.5}, "zeros": {},
         "ones": {}, "xavier_uniform": {"gain": 2.0}, "xavier_normal": {}, "kaiming_uniform": {"nonlinearity": "relu"},
         "kaiming_normal": {"mode": "fan_out"}}


@pytest.mark.parametrize("name", sorted(INITS))
def test_every_initialiser(name):
    init = {"weight": {"type": name, **INITS[name]}, "bias": "zeros"}
    layers = [{"type": "linear", "out_features": 50, "init": init}, "relu", {"type": "linear", "out_features": 1}]
    exp = build_experiment(load_config(seed(model={"layers": layers})))
    w = exp.model[0].weight.detach().numpy()
    assert np.all(exp.model[0].bias.detach().numpy() == 0)
    if name == "constant":
        assert np.all(w == 0.5)
    elif name in ("zeros", "ones"):
        assert np.all(w == (name == "ones"))
    elif name == "uniform":
        assert w.min() >= -0.1 and w.max() <= 0.1
    assert set(INITS) == set(names("init", aliases=False))


def test_init_draws_in_layer_order_from_the_seeded_generator():
    layers = [{"type": "linear", "out_features": 4, "init": "xavier_normal"}, {"type": "linear", "out_features": 1}]
    a = build_experiment(load_config(seed(model={"layers": layers})))
    b = build_experiment(load_config(seed(model={"layers": layers})))
    assert np.array_equal(a.model[1].weight.detach().numpy(), b.model[1].weight.detach().numpy())


SCHEDULERS = {
    "step": {"step_size": 2}, "multistep": {"milestones": [2, 4]}, "exponential": {"gamma": 0.9}, "cosine": {},
    "cosine_warm_restarts": {"T_0": 3}, "cyclic": {"base_lr": 0.001, "max_lr": 0.01}, "polynomial": {},
    "constant": {}, "linear": {}, "onecycle": {}, "plateau": {"patience": 1},
    "sequential": {"schedulers": [{"type": "linear", "total_iters": 2}, "cosine"], "milestones": [2]},
    "chained": {"schedulers": [{"type": "constant", "total_iters": 2}, {"type": "exponential", "gamma": 0.9}]},
}


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_every_scheduler_builds_with_its_expected_interval(name):
    cfg = load_config(moons(scheduler={"type": name, **SCHEDULERS[name]}), ["optimizer.momentum=0.9"])
    exp = build_experiment(cfg)
    expected = "batch" if name in ("cyclic", "onecycle") else "epoch"
    assert exp.scheduler_interval == expected == default_interval(cfg.scheduler)
    assert exp.resolved["scheduler"]["interval"] == expected
    assert set(SCHEDULERS) == set(names("scheduler", aliases=False))
    steps = 5 * (3 if expected == "batch" else 1)  # 48 training rows in batches of 16
    for _ in range(steps):
        one_step(exp)
        if name == "plateau":
            exp.scheduler.step(1.0)
        else:
            exp.scheduler.step()
    assert np.isfinite(exp.optimizer.param_groups[0]["lr"])


def test_builder_fills_the_schedule_length_and_onecycle_max_lr():
    exp = build_experiment(load_config(moons(scheduler="onecycle")))
    assert exp.scheduler.total_steps == 5 * 3
    assert exp.resolved["scheduler"]["total_steps"] == 15 and exp.resolved["scheduler"]["max_lr"] == 0.1
    cosine = build_experiment(load_config(moons(scheduler="cosine")))
    assert cosine.scheduler.T_max == 5 and cosine.resolved["scheduler"]["T_max"] == 5
    per_batch = build_experiment(load_config(moons(scheduler={"type": "cosine", "interval": "batch"})))
    assert per_batch.scheduler.T_max == 15
    given = build_experiment(load_config(moons(scheduler={"type": "onecycle", "epochs": 5, "steps_per_epoch": 3})))
    assert given.scheduler.total_steps == 15 and given.resolved["scheduler"]["total_steps"] is None
    too_short = load_config(moons(scheduler={"type": "onecycle", "epochs": 2, "steps_per_epoch": 4}))
    with pytest.raises(UserError, match="onecycle is 8 steps long but this schedule steps it 15 times"):
        build_experiment(too_short)


def test_sequential_children_get_the_length_of_their_segment():
    sched = {"type": "sequential", "schedulers": ["linear", "cosine"], "milestones": [2]}
    exp = build_experiment(load_config(moons(scheduler=sched), ["training.epochs=10"]))
    assert exp.scheduler._schedulers[1].T_max == 8
    assert exp.resolved["scheduler"]["schedulers"][1]["T_max"] == 8
    assert exp.resolved["scheduler"]["schedulers"][0]["type"] == "linear"


def test_plateau_monitor_reaches_the_experiment():
    exp = build_experiment(load_config(moons(scheduler={"type": "plateau", "monitor": "val_accuracy",
                                                        "mode": "max"})))
    assert exp.scheduler_monitor == "val_accuracy"


def test_param_groups_per_layer():
    groups = [{"layers": [2], "lr": 0.001, "weight_decay": 0.1}]
    exp = build_experiment(load_config(seed(optimizer={"type": "adamw", "lr": 0.01, "param_groups": groups})))
    first, second = exp.optimizer.param_groups
    assert len(first["params"]) == 2 and first["lr"] == 0.01 and first["weight_decay"] == 0.01
    assert second["params"][0] is exp.model[2].weight and second["lr"] == 0.001 and second["weight_decay"] == 0.1
    named = build_experiment(load_config(seed(optimizer={"type": "sgd", "param_groups": [
        {"params": ["0.bias", "2.bias"], "lr": 0.5}]})))
    assert [len(g["params"]) for g in named.optimizer.param_groups] == [2, 2]
