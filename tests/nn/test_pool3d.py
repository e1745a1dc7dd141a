"""The 3-d pooling family against PyTorch 2.13 (tests/references/pool/pool3d.json, made by
tools/references_conv3d.py): max (indices, ceil mode, dilation), average (count_include_pad, divisor_override),
adaptive average and max, unpooling, lp pooling, dropout3d and 5-d interpolation (trilinear, nearest,
nearest-exact); values, gradients, int64 indices, grad_fn names
(float64 to 1e-7 / 1e-6, float32 at its precision), second derivatives through create_graph, the modules' reprs,
Dropout3d's seeded channel mask, and PyTorch's messages for bad arguments, each check in PyTorch's order."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F
from tests.reference_data import assert_close, load_reference

REF = load_reference("pool", "pool3d")
FUNCTIONAL, CREATE_GRAPH, ERRORS, MODULES = (REF[k] for k in ("functional", "create_graph", "errors", "modules"))


@pytest.mark.parametrize("case", FUNCTIONAL, ids=[c["name"] for c in FUNCTIONAL])
def test_functional_matches_pytorch(case: dict[str, Any]) -> None:
    inputs = {k: trainer.tensor(case["inputs"][k], requires_grad=case["inputs"][k].dtype.kind == "f")
              for k in case["order"]}
    result = getattr(F, case["fn"])(**inputs, **case["kwargs"])
    out, indices = result if isinstance(result, tuple) else (result, None)
    dtype = case["inputs"]["input"].dtype
    tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-7, "atol": 1e-10}
    assert out.dtype == dtype
    assert_close(out, case["out"], what=f"{case['name']} value", **tol)
    assert out.grad_fn.name() == case["grad_fn"]
    if case["indices"] is not None:
        assert indices.dtype == np.int64
        np.testing.assert_array_equal(indices._array, case["indices"], err_msg=f"{case['name']} indices")
    out.backward(trainer.tensor(case["gout"]))
    for name, expected in case["grads"].items():
        if expected is None:
            assert inputs[name].grad is None
            continue
        grad_tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-6, "atol": 1e-10}
        assert_close(inputs[name].grad, expected, what=f"{case['name']} d/d{name}", **grad_tol)


def test_every_function_and_option_is_covered() -> None:
    seen: dict[str, set[str]] = {}
    for case in FUNCTIONAL:
        seen.setdefault(case["fn"], set()).update(case["kwargs"])
        seen.setdefault(f"{case['fn']}.dtype", set()).add(str(case["inputs"]["input"].dtype))
        seen.setdefault(f"{case['fn']}.rank", set()).add(str(case["inputs"]["input"].ndim))
    assert {"ceil_mode", "dilation", "padding", "stride", "return_indices"} <= seen["max_pool3d"]
    assert {"ceil_mode", "count_include_pad", "divisor_override", "padding", "stride"} <= seen["avg_pool3d"]
    assert {"output_size"} <= seen["max_unpool3d"] and {"ceil_mode", "stride"} <= seen["lp_pool3d"]
    for fn in ("max_pool3d", "avg_pool3d", "adaptive_avg_pool3d", "adaptive_max_pool3d", "lp_pool3d"):
        assert seen[f"{fn}.dtype"] == {"float32", "float64"}, fn
    for fn in ("max_pool3d", "avg_pool3d", "adaptive_avg_pool3d", "adaptive_max_pool3d", "max_unpool3d"):
        assert seen[f"{fn}.rank"] == {"4", "5"}, fn
    ceil = [c for c in FUNCTIONAL if c["kwargs"].get("ceil_mode")]
    assert {c["fn"] for c in ceil} >= {"max_pool3d", "avg_pool3d", "lp_pool3d"}
    modes = {c["kwargs"]["mode"] for c in FUNCTIONAL if c["fn"] == "interpolate"}
    assert modes == {"nearest", "nearest-exact", "trilinear"}
    assert {"align_corners", "recompute_scale_factor", "scale_factor", "size"} <= seen["interpolate"]
    assert {c["grad_fn"] for c in FUNCTIONAL} >= {"MaxPool3DWithIndicesBackward0", "AvgPool3DBackward0",
                                                  "AdaptiveAvgPool3DBackward0", "AdaptiveMaxPool3DBackward0",
                                                  "MaxUnpool3DBackward0", "MeanBackward1",
                                                  "UpsampleTrilinear3DBackward0", "UpsampleNearest3DBackward0"}


@pytest.mark.parametrize("case", CREATE_GRAPH, ids=[c["name"] for c in CREATE_GRAPH])
def test_second_derivatives_match_pytorch(case: dict[str, Any]) -> None:
    x = trainer.tensor(case["input"], requires_grad=True)
    (g,) = trainer.autograd.grad(getattr(F, case["fn"])(x, **case["kwargs"]).pow(2).sum(), x, create_graph=True)
    assert g.requires_grad
    assert_close(g, case["first"], what=f"{case['name']} first derivative")
    (g * g * x).sum().backward()
    assert_close(x.grad, case["grad"], rtol=1e-6, what=f"{case['name']} second derivative")


def _raise(case: dict[str, Any]) -> Any:
    kwargs = dict(case["kwargs"])
    if case["fn"] == "max_unpool3d":
        if isinstance(kwargs.get("output_size"), list) and case["name"] == "unpool_size_low":
            kwargs["output_size"] = tuple(kwargs["output_size"])  # the message shows it as passed: a tuple
        if case["name"] == "unpool_kernel_len":
            kwargs["kernel_size"] = tuple(kwargs["kernel_size"])
        return F.max_unpool3d(trainer.tensor(case["input"]), trainer.tensor(case["indices"]), **kwargs)
    for key in ("kernel_size", "stride", "padding", "dilation", "output_size", "size"):
        if isinstance(kwargs.get(key), list):
            kwargs[key] = tuple(kwargs[key])
    return getattr(F, case["fn"])(trainer.zeros(*case["input"]), **kwargs)


@pytest.mark.parametrize("case", ERRORS, ids=[c["name"] for c in ERRORS])
def test_errors_say_what_pytorch_says(case: dict[str, Any]) -> None:
    with pytest.raises(Exception) as info:  # noqa: PT011 - the type is checked below, by name
        _raise(case)
    assert type(info.value).__name__ == case["type"]
    assert str(info.value).split("\n")[0] == case["message"]


@pytest.mark.parametrize("case", MODULES["reprs"], ids=lambda c: repr(c["repr"]))
def test_repr_matches_pytorch(case: dict[str, Any]) -> None:
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in case["kwargs"].items()}
    assert repr(getattr(nn, case["ctor"])(**kwargs)) == case["repr"]


@pytest.mark.parametrize("case", MODULES["dropout3d"], ids=lambda c: f"seed{c['seed']}")
def test_dropout3d_draws_pytorchs_channel_mask(case: dict[str, Any]) -> None:
    trainer.manual_seed(case["seed"])
    x = trainer.ones(*case["shape"], dtype=trainer.float64, requires_grad=True)
    out = F.dropout3d(x, case["p"])
    assert_close(out, case["out"], what="mask")
    assert out.grad_fn.name() == case["grad_fn"]
    out.backward(trainer.ones_like(out))
    assert_close(x.grad, case["grad"], what="mask gradient")


def test_dropout3d_module_is_the_function_in_training_and_identity_in_eval() -> None:
    layer = nn.Dropout3d(0.5)
    x = trainer.ones(2, 4, 2, 2, 2)
    trainer.manual_seed(3)
    a = layer(x)
    trainer.manual_seed(3)
    assert np.array_equal(a.numpy(), F.dropout3d(x, 0.5).numpy())
    channels = a.numpy().reshape(2, 4, -1)
    assert set(np.unique(channels)) <= {0.0, 2.0} and (channels == channels[..., :1]).all()  # whole channels
    layer.eval()
    assert layer(x) is x


def test_dropout3d_warns_for_other_ranks_as_pytorch() -> None:
    with pytest.warns(UserWarning, match="dropout3d: Received a 3-D input to dropout3d, which is deprecated"):
        F.dropout3d(trainer.ones(3, 4, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.dropout3d(trainer.ones(3, 4, 4, 4))


def test_the_modules_call_their_functions() -> None:
    trainer.manual_seed(0)
    x = trainer.randn(2, 3, 6, 5, 7, dtype=trainer.float64)
    pairs = [
        (nn.MaxPool3d((2, 3, 2), stride=1, padding=1, dilation=(1, 1, 2), ceil_mode=True),
         lambda: F.max_pool3d(x, (2, 3, 2), 1, 1, (1, 1, 2), ceil_mode=True)),
        (nn.AvgPool3d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False, divisor_override=4),
         lambda: F.avg_pool3d(x, 3, 2, 1, True, False, 4)),
        (nn.AdaptiveAvgPool3d((2, None, 3)), lambda: F.adaptive_avg_pool3d(x, (2, None, 3))),
        (nn.AdaptiveMaxPool3d(2), lambda: F.adaptive_max_pool3d(x, 2)),
        (nn.LPPool3d(2, 2, stride=1), lambda: F.lp_pool3d(x, 2, 2, 1)),
    ]
    for layer, call in pairs:
        assert np.array_equal(layer(x).detach().numpy(), call().detach().numpy()), layer
    out, idx = nn.MaxPool3d(2, return_indices=True)(x)
    assert nn.AdaptiveMaxPool3d(1, return_indices=True)(x)[1].dtype == np.int64
    back = nn.MaxUnpool3d(2)(out, idx, output_size=x.shape)
    assert back.shape == x.shape
    placed = np.take_along_axis(back.detach().numpy().reshape(2, 3, -1), idx.numpy().reshape(2, 3, -1), -1)
    assert np.array_equal(placed.reshape(out.shape), out.detach().numpy())
    assert np.count_nonzero(back.detach().numpy()) == out.numel()


def test_an_all_minus_inf_window_keeps_its_first_position_inside_the_input() -> None:
    """PyTorch starts each window's index at its first position inside the input, and only a larger value moves it:
    a window of -inf (and padding) points there."""
    x = trainer.full((1, 1, 2, 2, 2), float("-inf"), dtype=trainer.float64)
    out, idx = F.max_pool3d(x, 2, stride=1, padding=1, return_indices=True)
    assert (out.numpy() == -np.inf).all()
    assert idx.numpy().reshape(-1).tolist() == [0, 0, 1, 0, 0, 1, 2, 2, 3, 0, 0, 1, 0, 0, 1, 2, 2, 3, 4, 4, 5, 4, 4, 5,
                                                6, 6, 7]  # PyTorch 2.13's indices


def test_the_two_dimensional_pools_are_unchanged_by_the_generalisation() -> None:
    """The N-d engine gives the 2-d ops the same numbers as a direct 2-d computation."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2, 3, 7, 6))
    x = trainer.tensor(a, requires_grad=True)
    out, idx = F.max_pool2d(x, 3, 2, 1, return_indices=True)
    padded = np.pad(a, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    expect = np.array([[[[padded[n, c, 2 * i:2 * i + 3, 2 * j:2 * j + 3].max() for j in range(3)] for i in range(4)]
                        for c in range(3)] for n in range(2)])
    assert np.array_equal(out.detach().numpy(), expect)
    flat = np.take_along_axis(a.reshape(2, 3, -1), idx.numpy().reshape(2, 3, -1), -1).reshape(out.shape)
    assert np.array_equal(flat, expect)
    assert out.grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    assert F.avg_pool2d(x, 2).grad_fn.name() == "AvgPool2DBackward0"
    assert F.adaptive_avg_pool2d(x, 3).grad_fn.name() == "AdaptiveAvgPool2DBackward0"
    assert F.adaptive_max_pool2d(x, 3).grad_fn.name() == "AdaptiveMaxPool2DBackward0"
