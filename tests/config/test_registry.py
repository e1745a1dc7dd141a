"""The registry: every name and R torch alias maps to a real class or function, with introspected arguments."""

from __future__ import annotations

import inspect
import json

import pytest

from trainer.config import entries, json_schema, load_config, lookup, names
from trainer.config.describe import describe
from trainer.config.introspect import arguments
from trainer.config.registry import KINDS
from trainer.errors import UserError

ISSUE_NAMES = {
    "data": "linear polynomial sine blobs moons circles spirals xor csv npz dataset openml",  # issue 16
    "layer": "linear identity flatten dropout batchnorm1d layernorm embedding relu leaky_relu elu gelu silu sigmoid "
             "tanh softplus softmax log_softmax"
             " conv1d conv2d conv_transpose2d maxpool1d maxpool2d avgpool1d avgpool2d adaptive_avgpool1d"
             " adaptive_avgpool2d adaptive_maxpool1d adaptive_maxpool2d batchnorm2d groupnorm dropout1d dropout2d"
             " unflatten upsample"  # issue 16
             " rmsnorm instancenorm1d instancenorm2d localresponsenorm zeropad1d zeropad2d constantpad1d"
             " constantpad2d reflectionpad1d reflectionpad2d replicationpad1d replicationpad2d circularpad1d"
             " circularpad2d"
             " hardtanh relu6 threshold hardswish hardsigmoid mish selu celu prelu rrelu logsigmoid softsign"
             " softshrink hardshrink tanhshrink softmin glu"
             " lazylinear",
    "init": "uniform normal constant zeros ones xavier_uniform xavier_normal kaiming_uniform kaiming_normal",
    "loss": "mse l1 smooth_l1 huber bce bce_with_logits cross_entropy nll kl_div poisson_nll gaussian_nll "
            "hinge_embedding soft_margin",
    "optimizer": "sgd adam adamw rmsprop adagrad adadelta adamax nadam radam rprop asgd lbfgs adafactor muon "
                 "lion adamw_schedule_free sgd_schedule_free radam_schedule_free prodigy adopt"
                 " lamb ademamix mars soap adabelief adan lookahead",  # issue 14
    "scheduler": "step multistep exponential cosine cosine_warm_restarts cyclic polynomial constant linear onecycle "
                 "plateau sequential chained",
    "objective": "rosenbrock rastrigin beale booth himmelblau ackley styblinski_tang saddle quadratic",
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_name_of_the_issues_is_registered(kind):
    assert names(kind, aliases=False) == ISSUE_NAMES[kind].split()


@pytest.mark.parametrize("entry", [e for k in KINDS for e in entries(k)], ids=lambda e: f"{e.kind}:{e.name}")
def test_every_entry_loads_and_its_arguments_are_its_signature(entry):
    target = entry.load()
    assert callable(target)
    params = inspect.signature(target).parameters
    for arg in arguments(entry):
        assert arg.name in params
        if not arg.required and params[arg.name].default is not inspect.Parameter.empty:
            assert arg.default == params[arg.name].default or entry.optional
    info = describe(entry)
    json.dumps(info)
    assert info["name"] == entry.name and info["target"] == entry.target


@pytest.mark.parametrize("kind, alias, name", [
    ("layer", "nn_linear", "linear"), ("layer", "nn_relu", "relu"), ("layer", "nn_batch_norm1d", "batchnorm1d"),
    ("loss", "nn_mse_loss", "mse"), ("loss", "nnf_mse_loss", "mse"), ("loss", "nn_bce_loss", "bce"),
    ("loss", "nnf_binary_cross_entropy", "bce"), ("loss", "nn_cross_entropy_loss", "cross_entropy"),
    ("loss", "nnf_cross_entropy", "cross_entropy"), ("loss", "nn_kl_div_loss", "kl_div"),
    ("loss", "nnf_kl_div", "kl_div"), ("loss", "nn_bce_with_logits_loss", "bce_with_logits"),
    ("optimizer", "optim_adam", "adam"), ("optimizer", "optim_sgd", "sgd"), ("optimizer", "optim_rmsprop", "rmsprop"),
    ("scheduler", "lr_step", "step"), ("scheduler", "lr_one_cycle", "onecycle"),
    ("scheduler", "lr_reduce_on_plateau", "plateau"), ("init", "xavier_uniform_", "xavier_uniform"),
    ("init", "nn_init_kaiming_normal_", "kaiming_normal"),
])
def test_r_torch_and_pytorch_aliases(kind, alias, name):
    assert lookup(kind, alias).name == name
    assert alias in names(kind)


def test_aliases_are_unique_within_a_kind():
    for kind in KINDS:
        spelled = [n for e in entries(kind) for n in e.names]
        assert len(spelled) == len(set(spelled)), kind


def test_unknown_names_get_a_did_you_mean():
    with pytest.raises(UserError, match="did you mean 'adam'") as err:
        lookup("optimizer", "adma", key="optimizer.type")
    assert err.value.key == "optimizer.type" and "sgd" in err.value.hint
    with pytest.raises(UserError, match="unknown layer type 'Linear' \\(did you mean 'linear'"):
        lookup("layer", "Linear")
    with pytest.raises(ValueError):
        entries("widget")


def test_introspection_details():
    adam = {a.name: a for a in arguments(lookup("optimizer", "adam"))}
    assert adam["lr"].default == 1e-3 and adam["betas"].type_text() == "tuple[float, float]"
    assert "params" not in adam
    linear = {a.name for a in arguments(lookup("layer", "linear"))}
    assert linear == {"out_features", "bias"}
    weight = {a.name: a for a in arguments(lookup("loss", "cross_entropy"))}["weight"]
    assert weight.tensor and not weight.required
    assert "scale_fn" not in {a.name for a in arguments(lookup("scheduler", "cyclic"))}
    assert "generator" not in {a.name for a in arguments(lookup("init", "normal"))}
    cosine = {a.name: a for a in arguments(lookup("scheduler", "cosine"))}
    assert cosine["T_max"].default is None
    reduction = [a for a in describe(lookup("loss", "mse"))["arguments"] if a["name"] == "reduction"][0]
    assert reduction["type"] == "'mean' | 'sum' | 'none'"


def test_json_schema_lists_every_type_for_editors():
    schema = json_schema()
    text = json.dumps(schema, allow_nan=False)  # strict JSON: no Infinity default (Prodigy's growth_rate)
    assert schema["title"] and schema["type"] == "object"
    assert "optimizer" in schema["required"]
    assert schema["anyOf"] == [{"required": ["objective"]}, {"required": ["data", "model", "loss"]}]
    for kind in KINDS:
        for name in names(kind):
            assert f'"{name}"' in text, name


def test_describe_lists_the_config_only_keys():
    keys = {k["name"]: k for k in describe(lookup("data", "moons"))["config_keys"]}
    assert set(keys) == {"val_fraction", "shuffle", "standardize"} and keys["val_fraction"]["default"] == 0.0
    assert [k["name"] for k in describe(lookup("layer", "linear"))["config_keys"]] == ["init", "in_features"]
    muon = describe(lookup("optimizer", "muon"))["config_keys"]
    assert muon[0]["name"] == "adamw" and muon[0]["default"]["weight_decay"] == 0.01
    plateau = {k["name"] for k in describe(lookup("scheduler", "plateau"))["config_keys"]}
    assert plateau == {"interval", "monitor"}


def test_the_catalogue_imports_nothing_heavy() -> None:
    """Listing names needs only the catalogue: no schema, no engine, no numpy."""
    import subprocess
    import sys

    code = ("import sys; import trainer.config.registry as r; r.names('optimizer'); "
            "print(sorted(m for m in sys.modules if m.startswith('trainer')), 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['trainer', 'trainer.config', 'trainer.config.registry', 'trainer.errors'] False"


def test_an_infinite_default_validates_but_an_infinite_value_elsewhere_does_not():
    base = {"data": {"type": "linear"}, "model": {"layers": [{"type": "linear", "out_features": 1}]},
            "loss": "mse"}
    cfg = load_config({**base, "optimizer": {"type": "prodigy", "growth_rate": float("inf")}})
    assert cfg.optimizer.growth_rate == float("inf")
    with pytest.raises(UserError, match="finite"):
        load_config({**base, "optimizer": {"type": "prodigy", "d_coef": float("inf")}})
