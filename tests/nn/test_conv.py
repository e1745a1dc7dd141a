"""Convolutions, F.pad and F.unfold/fold against PyTorch 2.13 (tests/references/conv/, made by
tools/references_conv.py): float64 values to 1e-7 and gradients to 1e-6, node names, module reprs, default
initialisation bit for bit, and PyTorch's messages for bad arguments and shapes."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F
from tests.nn import test_references_modules as module_references
from tests.reference_data import assert_close, load_reference

FUNCTIONAL = load_reference("conv", "functional")
MODULES = load_reference("conv", "modules")
INIT = load_reference("conv", "init")
ERRORS = load_reference("conv", "errors")


def _check_functional(case: dict[str, Any]) -> None:
    inputs = {k: trainer.tensor(case["inputs"][k], requires_grad=True) for k in case["order"]}
    out = getattr(F, case["fn"])(*inputs.values(), **case["kwargs"])
    assert out.dtype == np.float64
    assert_close(out, case["out"], what=f"{case['name']} value")
    assert out.grad_fn.name() == case["grad_fn"].removeprefix("torch::autograd::")
    out.backward(trainer.tensor(case["gout"]))
    for name, expected in case["grads"].items():
        assert_close(inputs[name].grad, expected, rtol=1e-6, atol=1e-9, what=f"{case['name']} d/d{name}")


@pytest.mark.parametrize("case", FUNCTIONAL, ids=[c["name"] for c in FUNCTIONAL])
def test_functional_matches_pytorch(case: dict[str, Any]) -> None:
    _check_functional(case)


def test_the_references_cover_every_argument() -> None:
    seen: dict[str, set] = {}
    for case in FUNCTIONAL:
        for key, value in case["kwargs"].items():
            seen.setdefault(f"{case['fn']}.{key}", set()).add(str(value))
        seen.setdefault(f"{case['fn']}.bias", set()).add("bias" in case["inputs"])
    assert {"same", "valid"} <= seen["conv2d.padding"] and {"same", "valid"} <= seen["conv1d.padding"]
    assert {"constant", "reflect", "replicate", "circular"} <= seen["pad.mode"]
    for fn in ("conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d"):
        assert seen[f"{fn}.bias"] == {True, False}, fn
        for arg in ("stride", "padding", "dilation", "groups"):
            assert f"{fn}.{arg}" in seen, (fn, arg)
    assert "conv_transpose2d.output_padding" in seen and "conv_transpose1d.output_padding" in seen
    modes = {c["kwargs"].get("padding_mode") for c in MODULES["cases"]}
    assert modes >= {"zeros", "reflect", "replicate", "circular"}


@pytest.mark.parametrize("case", MODULES["cases"], ids=[c["name"] for c in MODULES["cases"]])
def test_module_matches_pytorch(case: dict[str, Any]) -> None:
    module_references.test_module_matches_pytorch(case)


@pytest.mark.parametrize("case", MODULES["output_size"], ids=lambda c: str(c["output_size"]))
def test_conv_transpose_output_size(case: dict[str, Any]) -> None:
    layer = nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1).double()
    layer.load_state_dict(case["state"])
    out = layer(trainer.tensor(case["input"]), output_size=case["output_size"])
    assert_close(out, case["out"], what=f"output_size={case['output_size']}")


@pytest.mark.parametrize("case", MODULES["reprs"], ids=lambda c: repr(c["repr"]))
def test_repr_matches_pytorch(case: dict[str, Any]) -> None:
    assert repr(getattr(nn, case["ctor"])(**case["kwargs"])) == case["repr"]


LAYERS = {
    "conv2d_3_16_k3": lambda: nn.Conv2d(3, 16, 3),
    "conv2d_4_6_k3x2_g2": lambda: nn.Conv2d(4, 6, (3, 2), groups=2),
    "conv2d_1_6_k5_nobias": lambda: nn.Conv2d(1, 6, 5, bias=False),
    "conv1d_3_4_k2": lambda: nn.Conv1d(3, 4, 2),
    "conv_transpose2d_4_6_k3_g2": lambda: nn.ConvTranspose2d(4, 6, 3, groups=2),
    "conv_transpose1d_3_2_k4": lambda: nn.ConvTranspose1d(3, 2, 4),
    "conv2d_2_3_k3_float64": lambda: nn.Conv2d(2, 3, 3, dtype=trainer.float64),
}


@pytest.mark.parametrize("case", INIT, ids=lambda c: f"{c['layer']}-{c['seed']}")
def test_default_initialisation_is_pytorchs(case: dict[str, Any]) -> None:
    trainer.manual_seed(case["seed"])
    state = LAYERS[case["layer"]]().state_dict()
    assert sorted(state) == sorted(case["state"])
    for name, expected in case["state"].items():
        got = state[name].numpy()
        assert got.dtype == expected.dtype and got.shape == expected.shape, name
        if got.dtype == np.float64:  # drawn in float64 and scaled: PyTorch's rounding, to the last bits
            np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12, err_msg=f"{case['layer']}.{name}")
        else:
            assert np.array_equal(got, expected), f"{case['layer']}.{name}"


def _raise(case: dict[str, Any]) -> Any:
    z = trainer.zeros
    if case["fn" if "fn" in case else "ctor"] == "ConvTranspose2d" and "output_size" in case:
        return nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1)(z(*case["input"]), output_size=case["output_size"])
    if "ctor" in case:
        return getattr(nn, case["ctor"])(**case["kwargs"])
    if case["fn"] == "pad":
        kwargs = {"value": case["value"]} if "value" in case else {}
        return F.pad(z(*case["input"]), case["pad"], mode=case["mode"], **kwargs)
    weight = z(*case["weight"], dtype=getattr(trainer, case.get("weight_dtype", "float64")))
    bias = None if case["bias"] is None else z(*case["bias"])
    return getattr(F, case["fn"])(z(*case["input"]), weight, bias, **case["kwargs"])


def _sets_sorted(message: str) -> str:
    """PyTorch prints Python sets, whose order changes from run to run: compare their members."""
    return re.sub(r"\{([^}]*)\}", lambda m: "{" + ", ".join(sorted(m.group(1).split(", "))) + "}", message)


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
