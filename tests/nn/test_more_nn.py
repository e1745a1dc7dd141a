"""AlphaDropout / FeatureAlphaDropout, LPPool1d/2d, MaxUnpool1d, UpsamplingNearest2d / UpsamplingBilinear2d,
ChannelShuffle, EmbeddingBag and their `F` functions, and `F.gumbel_softmax`, against PyTorch
(tests/references/nn/more_nn.json, made by tools/references_more_nn.py): float64 outputs, gradients, grad_fn
names and warnings (the random ones after the same seed: PyTorch's Bernoulli and exponential draws), reprs, and the
exception class and message of bad calls."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F
from tests.nn.helpers import check_outcome
from tests.reference_data import assert_close, load_reference

REF = load_reference("nn", "more_nn")


def _tensor(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return trainer.tensor(value, requires_grad=value.dtype.kind == "f")
    return value


def _check_run(call: Any, inputs: list[Any], case: dict[str, Any], what: str) -> None:
    tensors = [_tensor(x) for x in inputs]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if case["seed"] is not None:
            trainer.manual_seed(case["seed"])
        out = call(*tensors)
    assert [str(w.message) for w in caught] == case["warnings"], what
    assert out.dtype == trainer.tensor(case["out"]).dtype, what
    rtol = 1e-6 if case["out"].dtype == np.float32 else 1e-7
    assert_close(out, case["out"], rtol=rtol, what=f"{what} output")
    assert (type(out.grad_fn).__name__ if out.grad_fn is not None else None) == case["grad_fn"], what
    if "gout" not in case:
        assert not out.requires_grad or case.get("forward_only"), what
        return
    out.backward(trainer.tensor(case["gout"]))
    for i, (t, expected) in enumerate(zip(tensors, case["grads"], strict=True)):
        if expected is None:
            assert not isinstance(t, trainer.Tensor) or t.grad is None, f"{what} input {i}"
        else:
            single = expected.dtype == np.float32
            assert_close(t.grad, expected, rtol=1e-5 if single else 1e-7, atol=1e-7 if single else 1e-10,
                         what=f"{what} grad of input {i}")


@pytest.mark.parametrize("case", REF["functional"], ids=[c["name"] for c in REF["functional"]])
def test_function_matches_pytorch(case: dict[str, Any]) -> None:
    options = {k: v for k, v in case["kwargs"].items() if not isinstance(v, np.ndarray)}
    positional = len(case["order"]) - sum(isinstance(v, np.ndarray) for v in case["kwargs"].values())

    def call(*ts: Any) -> Any:
        named = dict(zip(case["order"][positional:], ts[positional:]))
        return getattr(F, case["fn"])(*ts[:positional], **options, **named)

    _check_run(call, case["inputs"], case, case["name"])


@pytest.mark.parametrize("case", REF["modules"], ids=[f"{c['ctor']}-{c['train']}" for c in REF["modules"]])
def test_module_matches_pytorch(case: dict[str, Any]) -> None:
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in case["kwargs"].items()}  # JSON made tuples lists
    module = getattr(nn, case["ctor"])(**kwargs)
    assert repr(module) == case["repr"]
    assert list(module.state_dict()) == []
    module.train(case["train"])
    _check_run(module, case["inputs"], case, case["ctor"])


@pytest.mark.parametrize("case", REF["embedding_bag"], ids=[str(c["kwargs"]) for c in REF["embedding_bag"]])
def test_embedding_bag_module_matches_pytorch(case: dict[str, Any]) -> None:
    trainer.manual_seed(case["seed"])
    module = nn.EmbeddingBag(**case["kwargs"])
    np.testing.assert_array_equal(module.weight._array, case["init"])  # PyTorch's N(0, 1) draws, bit for bit
    assert repr(module) == case["repr"] and list(module.state_dict()) == case["keys"]
    module.double()
    out = module(trainer.tensor(case["input"]), trainer.tensor(case["offsets"]))
    assert_close(out, case["out"], rtol=1e-6, what="output")
    out.backward(trainer.tensor(case["gout"]))
    assert_close(module.weight.grad, case["grad"], rtol=1e-6, what="weight grad")
    assert_close(module.weight, case["weight_after"], rtol=1e-6, what="weight after max_norm")


def _call(case: dict[str, Any]) -> Any:
    if case["kind"] == "F":
        args = [_tensor(a) if isinstance(a, np.ndarray) else a for a in case["args"]]
        return getattr(F, case["fn"])(*args, **{k: _tensor(v) for k, v in case["kwargs"].items()})
    module = getattr(nn, case["ctor"])(**case["kwargs"]).double()
    return module(*[trainer.tensor(a) for a in case["args"]]) if case["args"] else trainer.zeros(0)


@pytest.mark.parametrize("case", REF["errors"],
                         ids=[f"{c.get('fn') or c['ctor']}-{i}" for i, c in enumerate(REF["errors"])])
def test_errors_and_warnings_match_pytorch(case: dict[str, Any]) -> None:
    check_outcome(lambda: _call(case), case)


def test_every_new_function_and_layer_is_covered() -> None:
    fns = {c["fn"] for c in REF["functional"]}
    assert fns == {"alpha_dropout", "feature_alpha_dropout", "lp_pool1d", "lp_pool2d", "max_unpool1d",
                   "channel_shuffle", "upsample_nearest", "upsample_bilinear", "gumbel_softmax", "embedding_bag"}
    assert {c["ctor"] for c in REF["modules"]} == {"AlphaDropout", "FeatureAlphaDropout", "LPPool1d", "LPPool2d",
                                                   "UpsamplingNearest2d", "UpsamplingBilinear2d", "ChannelShuffle",
                                                   "MaxUnpool1d"}


def test_embedding_bag_scales_gradients_by_frequency() -> None:
    """Each row's gradient divided by its count in the batch, as documented (PyTorch 2.13's CPU kernel gives other
    factors for some rows, e.g. 0.5 for a row used once, so this is not compared with it)."""
    weight = trainer.zeros(10, 1, requires_grad=True)
    flat = trainer.tensor([1, 2, 4, 5, 4, 3, 2, 9, 0, 6])
    F.embedding_bag(flat, weight, trainer.tensor([0, 2, 2, 5]), mode="sum", scale_grad_by_freq=True).sum().backward()
    assert weight.grad.flatten().tolist() == [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0]


def test_alpha_dropout_keeps_selu_statistics() -> None:
    trainer.manual_seed(0)
    x = trainer.randn(200_000, dtype=trainer.float64)
    out = F.alpha_dropout(x, 0.3, training=True)
    assert abs(out.mean().item()) < 0.01 and abs(out.std().item() - 1.0) < 0.01
    assert F.alpha_dropout(x, 0.3) is x  # training defaults to False, as in PyTorch
