"""Pooling, interpolation, group norm and the image layers against PyTorch 2.13 float64 references:
values (1e-7), gradients (1e-6), indices, grad_fn names, running statistics, reprs, seeded channel masks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F
from tests.nn import test_references_modules as module_checks
from tests.reference_data import assert_close, load_reference

FUNCTIONAL = load_reference("pool", "functional")
MODULES = load_reference("pool", "modules")
DROPOUT = load_reference("pool", "dropout")


def _kwargs(case: dict[str, Any]) -> dict[str, Any]:
    """JSON turned tuples into lists; PyTorch takes either, and so do we."""
    return dict(case["kwargs"])


@pytest.mark.parametrize("case", FUNCTIONAL, ids=[c["name"] for c in FUNCTIONAL])
def test_functional_matches_pytorch(case: dict[str, Any]) -> None:
    inputs = {k: trainer.tensor(case["inputs"][k], requires_grad=True) for k in case["order"]}
    result = getattr(F, case["fn"])(**inputs, **_kwargs(case))
    out, indices = result if isinstance(result, tuple) else (result, None)
    assert out.dtype == np.float64
    assert_close(out, case["out"], what=f"{case['name']} value")
    assert type(out.grad_fn).__name__ == case["grad_fn"]
    if case["indices"] is not None:
        assert indices.dtype == np.int64
        np.testing.assert_array_equal(indices._array, case["indices"], err_msg=f"{case['name']} indices")
    out.backward(trainer.tensor(case["gout"]))
    for name, expected in case["grads"].items():
        assert_close(inputs[name].grad, expected, rtol=1e-6, what=f"{case['name']} d/d{name}")


def test_every_function_and_option_is_covered() -> None:
    seen: dict[str, set[str]] = {}
    for case in FUNCTIONAL:
        seen.setdefault(case["fn"], set()).update(case["kwargs"])
    assert {"ceil_mode", "dilation", "padding", "stride"} <= seen["max_pool2d"]
    assert {"ceil_mode", "count_include_pad", "divisor_override", "padding"} <= seen["avg_pool2d"]
    assert {"align_corners", "recompute_scale_factor", "scale_factor", "size"} <= seen["interpolate"]
    modes = {c["kwargs"]["mode"] for c in FUNCTIONAL if c["fn"] == "interpolate"}
    assert modes == {"nearest", "nearest-exact", "linear", "bilinear"}
    assert {"max_pool1d", "avg_pool1d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d",
            "adaptive_max_pool2d", "group_norm"} <= set(seen)
    assert sum(c["fn"] == "max_pool2d" for c in FUNCTIONAL) >= 30


@pytest.mark.parametrize("case", MODULES["cases"], ids=[c["name"] for c in MODULES["cases"]])
def test_module_matches_pytorch(case: dict[str, Any]) -> None:
    module_checks.test_module_matches_pytorch(case)


@pytest.mark.parametrize("key", sorted(MODULES["reprs"]))
def test_repr_matches_pytorch(key: str) -> None:
    ref = MODULES["reprs"][key]
    assert repr(getattr(nn, ref["ctor"])(**ref["kwargs"])) == ref["repr"]


@pytest.mark.parametrize("case", DROPOUT, ids=[f"{c['ctor']}-{c['shape']}-{c['dtype']}-{c['seed']}" for c in DROPOUT])
def test_seeded_channel_dropout_matches_pytorch(case: dict[str, Any]) -> None:
    dtype = getattr(trainer, case["dtype"])
    x = trainer.tensor(case["x"], dtype=dtype)
    trainer.manual_seed(case["seed"])
    layer = getattr(nn, case["ctor"])(case["p"]).train()
    if case["ctor"] == "Dropout2d" and x.ndim == 3:
        with pytest.warns(UserWarning, match="interpreted as shape \\(N, C, L\\)"):
            out = layer(x)
    else:
        out = layer(x)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out._array, case["out"].astype(out._array.dtype))
    np.testing.assert_array_equal(trainer.rand(2)._array, case["rand_after"].astype(np.float32))
