"""The activations beyond ReLU's family, distances and pixel shuffles: what the PyTorch reference cases
(tests/autograd/*_activation.py, tests/references/nn/modules.json) cannot express — signs of zero gradients, the
config layer types, a PReLU run's round trip, and which modules the references cover."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
import trainer.nn.functional as F
from tests.reference_data import load_reference
from trainer import nn
from trainer.build import build_experiment
from trainer.build.memory import layer_footprint
from trainer.config import load_config
from trainer.errors import UserError

from ..build.test_build_types import one_step
from ..config.helpers import seed

# cut-off activations and inputs they cut off (as a list) and pass (as a list)
CUT_OFF = {
    "hardtanh": (lambda x: F.hardtanh(x, -0.5, 0.7), [-1.0, -0.5, 0.7, 2.0, -np.inf, np.nan], [0.0, 0.6]),
    "relu6": (F.relu6, [-1.0, 0.0, 6.0, 7.0, np.nan], [0.5, 5.5]),
    "threshold": (lambda x: F.threshold(x, 0.5, 20.0), [-1.0, 0.5, -np.inf], [0.6, 3.0, np.nan]),
    "threshold_": (lambda x: F.threshold_(x * 1, 0.5, 20.0), [-1.0, 0.5, -np.inf], [0.6, 3.0, np.nan]),
    "hardshrink": (F.hardshrink, [-0.5, 0.0, 0.5, 0.25, np.nan], [-0.6, 0.7]),
    "softshrink": (F.softshrink, [-0.5, 0.0, 0.5, np.nan], [-0.6, 0.7]),
    "hardsigmoid": (F.hardsigmoid, [-3.0, 3.0, -4.0, 5.0, np.nan], [0.0, 2.9]),
    "hardswish": (F.hardswish, [-3.0, -4.0, -np.inf], [0.0, 3.0, 4.0]),
    "hardtanh_": (lambda x: F.hardtanh_(x * 1), [-1.0, 1.0, 2.0, np.nan], [0.0, 0.5]),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(CUT_OFF))
def test_cut_off_inputs_get_plus_zero_whatever_the_upstream_gradient(name: str, dtype: str) -> None:
    fn, cut, passed = CUT_OFF[name]
    for g in (-1.0, -np.inf, np.inf, np.nan):
        x = trainer.tensor(np.array(cut + passed, dtype=dtype), requires_grad=True)
        with np.errstate(all="raise"):  # no inf * 0 on the way to the masked entries
            fn(x).backward(trainer.full((len(cut) + len(passed),), g, dtype=getattr(trainer, dtype)))
        grad = x.grad.numpy()
        assert grad.dtype == dtype
        zeros = grad[: len(cut)]
        assert np.all(zeros == 0) and not np.any(np.signbit(zeros)), (name, g, zeros)
        assert np.all(grad[len(cut):] != 0) or np.isnan(g), (name, g, grad)


def test_inplace_variants_overwrite_and_refuse_leaves() -> None:
    for fn in (F.hardtanh_, F.elu_, F.selu_, F.celu_, F.rrelu_, lambda t: F.threshold_(t, 0.0, 1.0),
               lambda t: F.relu6(t, inplace=True), lambda t: F.mish(t, inplace=True)):
        x = trainer.tensor([-2.0, 0.5])
        assert fn(x) is x
        with pytest.raises(RuntimeError, match="leaf Variable"):
            fn(trainer.ones(2, requires_grad=True))


def test_mish_and_hardswish_inplace_keep_the_input_their_backward_reads() -> None:
    for name in ("mish", "hardswish", "hardsigmoid"):
        w = trainer.tensor([0.5, -1.0, 2.5], dtype=trainer.float64, requires_grad=True)
        expected = trainer.autograd.grad(getattr(F, name)(w * 2).sum(), w)[0].numpy()
        h = w * 2
        getattr(F, name)(h, inplace=True).sum().backward()
        np.testing.assert_array_equal(w.grad.numpy(), expected)


def test_rrelu_training_draws_only_for_non_positive_inputs_from_the_default_generator() -> None:
    x = trainer.tensor([1.0, -1.0, 2.0, -2.0, 0.0], dtype=trainer.float64)
    trainer.manual_seed(5)
    out = F.rrelu(x, 0.1, 0.3, training=True).numpy()
    slopes = out[[1, 3]] / x.numpy()[[1, 3]]
    assert np.all((slopes >= 0.1) & (slopes <= 0.3)) and out[0] == 1.0 and out[2] == 2.0
    after = trainer.rand(1).item()
    trainer.manual_seed(5)
    trainer.rand(6)  # two 32-bit draws per double slope, three slopes (x <= 0 includes 0)
    assert trainer.rand(1).item() == after


def test_rrelu_eval_draws_nothing() -> None:
    trainer.manual_seed(7)
    expected = trainer.rand(2).tolist()
    trainer.manual_seed(7)
    nn.RReLU().eval()(trainer.tensor([-1.0, 2.0]))
    assert trainer.rand(2).tolist() == expected


def test_prelu_is_a_layer_with_a_weight_parameter() -> None:
    layer = nn.PReLU(3, init=0.1, dtype=trainer.float64)
    assert isinstance(layer.weight, nn.Parameter) and layer.weight.tolist() == [0.1, 0.1, 0.1]
    assert list(layer.state_dict()) == ["weight"] and layer.weight.dtype == trainer.float64
    with trainer.no_grad():
        layer.weight.fill_(2.0)
    layer.reset_parameters()
    assert layer.weight.tolist() == [0.1, 0.1, 0.1]
    x = trainer.tensor([[[-1.0], [-2.0], [3.0]]], dtype=trainer.float64, requires_grad=True)
    layer(x).sum().backward()
    assert layer.weight.grad.tolist() == [-1.0, -2.0, 0.0]


def test_hardtanh_bounds_are_checked_in_the_module_and_the_function() -> None:
    with pytest.raises(AssertionError):
        nn.Hardtanh(1.0, 1.0)
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        F.hardtanh(trainer.ones(1), 1.0, 0.0)


def test_the_module_references_cover_every_new_module() -> None:
    covered = {c["ctor"] for c in load_reference("nn", "modules")["cases"]}
    for name in ("Hardtanh", "ReLU6", "Threshold", "Hardswish", "Hardsigmoid", "Mish", "SELU", "CELU", "PReLU",
                 "RReLU", "LogSigmoid", "Softsign", "Softshrink", "Hardshrink", "Tanhshrink", "Softmin", "Softmax2d",
                 "GLU", "PixelShuffle", "PixelUnshuffle"):
        assert name in covered, name


def test_cosine_similarity_and_pairwise_distance_modules_call_the_functions() -> None:
    a = trainer.tensor([[1.0, 2.0], [3.0, 0.0]], dtype=trainer.float64)
    b = trainer.tensor([[2.0, 1.0], [0.0, 3.0]], dtype=trainer.float64)
    assert nn.CosineSimilarity(0, 1e-6)(a, b).tolist() == F.cosine_similarity(a, b, 0, 1e-6).tolist()
    assert nn.PairwiseDistance(1.0, 0.0, True)(a, b).tolist() == [[2.0], [6.0]]


# ----- config layer types ---------------------------------------------------------------------------------------

def test_the_memory_estimate_counts_prelu_slopes_and_glu_halving() -> None:
    layers = [{"type": "linear", "out_features": 6}, {"type": "prelu", "num_parameters": 6}, {"type": "glu"},
              {"type": "linear", "out_features": 1}]
    cfg = load_config(seed(model={"layers": layers}))
    exp = build_experiment(cfg)
    footprints = [layer_footprint(spec, shape.input_shape[1:]) for spec, shape in zip(cfg.model.layers, exp.layers)]
    assert [f[0] for f in footprints] == [p.params for p in exp.layers]
    assert [f[2] for f in footprints] == [p.output_shape[1:] for p in exp.layers]
    assert exp.model[3].in_features == 3 and one_step(exp)


def test_aliases_and_r_torch_names() -> None:
    cfg = load_config(seed(model={"layers": [{"type": "linear", "out_features": 4}, "nn_log_sigmoid", "log_sigmoid",
                                             "nn_relu6", {"type": "linear", "out_features": 1}]}))
    assert [layer.type for layer in cfg.model.layers][1:4] == ["logsigmoid", "logsigmoid", "relu6"]


@pytest.mark.parametrize(("layer", "key"), [({"type": "softshrink", "lambd": -0.5}, "lambd"),
                                            ({"type": "rrelu", "lower": -0.1}, "lower"),
                                            ({"type": "prelu", "num_parameters": 0}, "num_parameters")])
def test_out_of_range_arguments_are_user_errors_with_their_key(layer: dict, key: str) -> None:
    with pytest.raises(UserError) as info:
        load_config(seed(model={"layers": [{"type": "linear", "out_features": 4}, layer]}))
    assert f"model.layers.1.{key}" in str(info.value)


def test_hardtanh_bounds_in_the_wrong_order_are_a_user_error() -> None:
    layers = [{"type": "linear", "out_features": 4}, {"type": "hardtanh", "min_val": 1.0, "max_val": -1.0}]
    with pytest.raises(UserError, match="max_val"):
        build_experiment(load_config(seed(model={"layers": layers})))


def test_a_prelu_run_trains_saves_and_loads_its_slopes(tmp_path) -> None:
    layers = [{"type": "linear", "out_features": 8}, {"type": "prelu", "num_parameters": 8},
              {"type": "linear", "out_features": 4}, {"type": "prelu", "init": {"type": "constant", "val": 0.1}},
              {"type": "linear", "out_features": 1}]
    cfg = seed(model={"layers": layers}, training={"epochs": 20, "batch_size": None, "log_every": 10})
    exp = build_experiment(load_config(cfg))
    assert exp.model[3].weight.tolist() == pytest.approx([0.1])
    trainer.run(cfg, out=tmp_path / "run")
    loaded = trainer.load_run(tmp_path / "run")
    slopes = loaded.model[1].weight.detach().numpy()
    assert slopes.shape == (8,) and not np.allclose(slopes, 0.25)  # trained away from the initial slope
    x = np.random.default_rng(0).standard_normal((5, 3))
    again = trainer.load_run(tmp_path / "run")
    np.testing.assert_array_equal(loaded.predict(x), again.predict(x))
    assert repr(loaded.model[1]) == "PReLU(num_parameters=8)"
