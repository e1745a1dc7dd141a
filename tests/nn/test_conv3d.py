"""The 3-d convolutions against PyTorch 2.13 (tests/references/conv/conv3d.json, made by
tools/references_conv3d.py): F.conv3d / conv_transpose3d values and input, weight and bias gradients (float64 to
1e-7 / 1e-6, float32 at its precision), grad_fn names, Conv3d in every padding mode, ConvTranspose3d's output_size,
reprs, default initialisation bit for bit (the lazy layers too), second derivatives through create_graph and
PyTorch's messages for bad arguments."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F
from tests.nn import test_references_modules as module_references
from tests.nn.test_conv import _sets_sorted
from tests.reference_data import assert_close, load_reference

REF = load_reference("conv", "conv3d")
FUNCTIONAL, MODULES, INIT, ERRORS, CREATE_GRAPH = (REF[k] for k in ("functional", "modules", "init", "errors",
                                                                     "create_graph"))


def _tolerances(dtype: np.dtype) -> tuple[dict[str, float], dict[str, float]]:
    """(value, gradient) tolerances: float64 to PyTorch's last digits, float32 to a few of its ulps."""
    if dtype == np.float32:
        return {"rtol": 2e-5, "atol": 2e-5}, {"rtol": 5e-5, "atol": 5e-5}
    return {"rtol": 1e-7, "atol": 1e-10}, {"rtol": 1e-6, "atol": 1e-9}


@pytest.mark.parametrize("case", FUNCTIONAL, ids=[c["name"] for c in FUNCTIONAL])
def test_functional_matches_pytorch(case: dict[str, Any]) -> None:
    inputs = {k: trainer.tensor(case["inputs"][k], requires_grad=True) for k in case["order"]}
    out = getattr(F, case["fn"])(*inputs.values(), **case["kwargs"])
    dtype = case["inputs"]["input"].dtype
    value_tol, grad_tol = _tolerances(dtype)
    assert out.dtype == dtype
    assert_close(out, case["out"], what=f"{case['name']} value", **value_tol)
    assert out.grad_fn.name() == case["grad_fn"]
    out.backward(trainer.tensor(case["gout"]))
    assert set(case["grads"]) == set(case["order"])
    for name, expected in case["grads"].items():
        assert inputs[name].grad.dtype == dtype
        assert_close(inputs[name].grad, expected, what=f"{case['name']} d/d{name}", **grad_tol)


def test_the_references_cover_every_argument() -> None:
    seen: dict[str, set] = {}
    for case in FUNCTIONAL:
        for key, value in case["kwargs"].items():
            seen.setdefault(f"{case['fn']}.{key}", set()).add(str(value))
        seen.setdefault(f"{case['fn']}.bias", set()).add("bias" in case["inputs"])
        seen.setdefault(f"{case['fn']}.dtype", set()).add(str(case["inputs"]["input"].dtype))
        seen.setdefault(f"{case['fn']}.rank", set()).add(case["inputs"]["input"].ndim)
    assert {"same", "valid"} <= seen["conv3d.padding"]
    for fn in ("conv3d", "conv_transpose3d"):
        assert seen[f"{fn}.bias"] == {True, False}, fn
        assert seen[f"{fn}.dtype"] == {"float32", "float64"}, fn
        assert seen[f"{fn}.rank"] == {4, 5}, fn
        for arg in ("stride", "padding", "dilation", "groups"):
            assert f"{fn}.{arg}" in seen, (fn, arg)
    assert "conv_transpose3d.output_padding" in seen
    modes = {c["kwargs"].get("padding_mode") for c in MODULES["cases"]}
    assert modes >= {"zeros", "reflect", "replicate", "circular"}


@pytest.mark.parametrize("case", MODULES["cases"], ids=[c["name"] for c in MODULES["cases"]])
def test_module_matches_pytorch(case: dict[str, Any]) -> None:
    module_references.test_module_matches_pytorch(case)


@pytest.mark.parametrize("case", MODULES["output_size"], ids=lambda c: str(c["output_size"]))
def test_conv_transpose_output_size(case: dict[str, Any]) -> None:
    layer = nn.ConvTranspose3d(4, 2, 3, stride=2, padding=1).double()
    layer.load_state_dict(case["state"])
    out = layer(trainer.tensor(case["input"]), output_size=case["output_size"])
    assert_close(out, case["out"], what=f"output_size={case['output_size']}")


@pytest.mark.parametrize("case", MODULES["reprs"], ids=lambda c: repr(c["repr"]))
def test_repr_matches_pytorch(case: dict[str, Any]) -> None:
    assert repr(getattr(nn, case["ctor"])(**case["kwargs"])) == case["repr"]


LAYERS = {
    "conv3d_3_8_k3": lambda: nn.Conv3d(3, 8, 3),
    "conv3d_4_6_k3x2x1_g2": lambda: nn.Conv3d(4, 6, (3, 2, 1), groups=2),
    "conv3d_1_4_k2_nobias": lambda: nn.Conv3d(1, 4, 2, bias=False),
    "conv_transpose3d_4_6_k3_g2": lambda: nn.ConvTranspose3d(4, 6, 3, groups=2),
    "conv_transpose3d_3_2_k2x3x2": lambda: nn.ConvTranspose3d(3, 2, (2, 3, 2)),
    "conv3d_2_3_k3_float64": lambda: nn.Conv3d(2, 3, 3, dtype=trainer.float64),
    "lazy_conv3d_4_k3": lambda: nn.LazyConv3d(4, 3),
    "lazy_conv_transpose3d_4_k2": lambda: nn.LazyConvTranspose3d(4, 2, stride=2),
}


@pytest.mark.parametrize("case", INIT, ids=lambda c: f"{c['layer']}-{c['seed']}")
def test_default_initialisation_is_pytorchs(case: dict[str, Any]) -> None:
    trainer.manual_seed(case["seed"])
    layer = LAYERS[case["layer"]]()
    if case["layer"].startswith("lazy"):
        layer(trainer.zeros(2, 3, 4, 4, 4))
        assert repr(layer) == case["repr"]
        assert type(layer) is (nn.Conv3d if "transpose" not in case["layer"] else nn.ConvTranspose3d)
    state = layer.state_dict()
    assert sorted(state) == sorted(case["state"])
    for name, expected in case["state"].items():
        got = state[name].numpy()
        assert got.dtype == expected.dtype and got.shape == expected.shape, name
        if got.dtype == np.float64:  # drawn in float64 and scaled: PyTorch's rounding, to the last bits
            np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12, err_msg=f"{case['layer']}.{name}")
        else:
            assert np.array_equal(got, expected), f"{case['layer']}.{name}"


@pytest.mark.parametrize("case", CREATE_GRAPH, ids=[c["name"] for c in CREATE_GRAPH])
def test_second_derivatives_match_pytorch(case: dict[str, Any]) -> None:
    """A gradient penalty: the input gradient as a graph, then differentiated in input, weight and bias."""
    t = {k: trainer.tensor(case["inputs"][k], requires_grad=True) for k in ("input", "weight", "bias")}
    (g,) = trainer.autograd.grad(getattr(F, case["fn"])(*t.values(), **case["kwargs"]).pow(2).sum(), t["input"],
                                 create_graph=True)
    assert g.requires_grad
    assert_close(g, case["first"], what=f"{case['name']} first derivative")
    ((g * g).sum() + (g * t["input"]).sum()).backward()
    for name, expected in case["grads"].items():
        assert_close(t[name].grad, expected, rtol=1e-6, atol=1e-9, what=f"{case['name']} d/d{name}")


def _raise(case: dict[str, Any]) -> Any:
    z = trainer.zeros
    if case.get("ctor") == "ConvTranspose3d" and "output_size" in case:
        return nn.ConvTranspose3d(4, 2, 3, stride=2, padding=1)(z(*case["input"]), output_size=case["output_size"])
    if case.get("module") == "reflect6":
        return nn.Conv3d(3, 4, 3, padding=6, padding_mode="reflect")(z(*case["input"]))
    if "ctor" in case:
        return getattr(nn, case["ctor"])(**case["kwargs"])
    weight = z(*case["weight"], dtype=getattr(trainer, case.get("weight_dtype", "float64")))
    bias = None if case["bias"] is None else z(*case["bias"])
    return getattr(F, case["fn"])(z(*case["input"]), weight, bias, **case["kwargs"])


@pytest.mark.parametrize("case", ERRORS, ids=[c["name"] for c in ERRORS])
def test_errors_say_what_pytorch_says(case: dict[str, Any]) -> None:
    trainer.set_default_dtype(trainer.float64)
    try:
        with pytest.raises(Exception) as info:  # noqa: PT011 - the type is checked below, by name
            _raise(case)
    finally:
        trainer.set_default_dtype(trainer.float32)
    assert type(info.value).__name__ == case["type"]
    message = str(info.value).split("\n")[0].replace("trainer.Size", "torch.Size")
    assert _sets_sorted(message) == _sets_sorted(case["message"])


def test_top_level_names_are_the_functional_ones() -> None:
    x, w = trainer.randn(1, 2, 4, 4, 4), trainer.randn(3, 2, 2, 2, 2)
    assert np.array_equal(trainer.conv3d(x, w, padding=1).numpy(), F.conv3d(x, w, padding=1).numpy())
    wt = trainer.randn(2, 3, 2, 2, 2)
    assert np.array_equal(trainer.conv_transpose3d(x, wt, stride=2).numpy(),
                          F.conv_transpose3d(x, wt, stride=2).numpy())
    assert trainer.max_pool3d is F.max_pool3d


def test_a_conv3d_result_feeds_the_next_layer_channels_last() -> None:
    """The result is a (N, C, D, H, W) view of channels-last memory; reshapes and a second convolution read it as
    the values it holds, the same as from a C-ordered copy."""
    trainer.manual_seed(0)
    x = trainer.randn(2, 3, 5, 5, 5, dtype=trainer.float64)
    a, b = nn.Conv3d(3, 4, 3, padding=1).double(), nn.Conv3d(4, 2, 2).double()
    y = a(x)
    copy = trainer.tensor(np.ascontiguousarray(y.detach().numpy()))
    assert np.array_equal(b(y).detach().numpy(), b(copy).detach().numpy())
    assert np.array_equal(y.flatten(1).detach().numpy(), copy.flatten(1).numpy())


def test_a_lazy_conv3d_rejects_a_wrong_rank() -> None:
    with pytest.raises(RuntimeError, match="Expected 4D \\(unbatched\\) or 5D \\(batched\\) input to LazyConv3d"):
        nn.LazyConv3d(4, 3)(trainer.zeros(3, 4, 4))
