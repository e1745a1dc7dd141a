"""trainer.utils.checkpoint against PyTorch (tests/references/utils/checkpoint.json, made by
tools/references_checkpoint.py), and against trainer's own plain runs.

Each reference scenario is code written with PyTorch's names; it runs here with `trainer` as `torch`, and every
value it recorded (outputs, input and parameter gradients with and without checkpointing, reentrant or not, the
RNG's next draws, `grad_fn` names, warnings, exception classes and first message lines) must match: float32 to
1e-5 (trainer's float32 sums round differently from PyTorch's), names and messages exactly. A checkpointed run
recomputes the same ops in the same order, so its results and gradients equal trainer's plain run bit for bit.
"""

from __future__ import annotations

import gc
import warnings
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
from tests.reference_data import load_reference
from trainer.utils import checkpoint as cp

REF = load_reference("utils", "checkpoint")


def run(code: str) -> dict[str, Any]:
    ns: dict[str, Any] = {"torch": trainer, "nn": nn, "cp": cp, "R": {}}
    exec(REF["prelude"], ns)  # noqa: S102 - the committed reference's own scenario code
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(code, ns)  # noqa: S102
    return ns["R"]


def check(actual: Any, expected: Any, what: str) -> None:
    if isinstance(expected, np.ndarray):
        assert isinstance(actual, trainer.Tensor), f"{what}: {type(actual).__name__} is not a Tensor"
        a = actual.detach()._array
        assert a.dtype == expected.dtype and a.shape == expected.shape, f"{what}: {a.dtype}{a.shape}"
        np.testing.assert_allclose(a, expected, rtol=1e-5, atol=1e-6, err_msg=what)
    elif isinstance(expected, dict):
        assert sorted(actual) == sorted(expected), what
        for k in expected:
            check(actual[k], expected[k], f"{what}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list | tuple) and len(actual) == len(expected), f"{what}: {actual!r} != {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            check(a, e, f"{what}[{i}]")
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-5), what
    else:
        assert actual == expected, what


@pytest.mark.parametrize("name", sorted(REF["cases"]))
def test_scenario_matches_pytorch(name: str) -> None:
    case = REF["cases"][name]
    got = run(case["code"])
    assert sorted(got) == sorted(case["result"])
    for key, expected in case["result"].items():
        check(got[key], expected, f"{name}: {key}")


def _dropout_run(mode: str | bool) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    trainer.manual_seed(3)
    net = nn.Sequential(nn.Linear(6, 12), nn.GELU(), nn.Dropout(0.4), nn.Linear(12, 12), nn.Dropout(0.2),
                        nn.Linear(12, 2))
    x = trainer.randn(7, 6, requires_grad=True)
    y = net(x) if mode == "plain" else cp.checkpoint(net, x, use_reentrant=mode)
    (y.pow(3).sum()).backward()
    return y._array, [p.grad._array for p in net.parameters()], x.grad._array


@pytest.mark.parametrize("mode", [True, False])
def test_checkpointed_results_and_gradients_equal_the_plain_run_exactly(mode: bool) -> None:
    plain, ckpt = _dropout_run("plain"), _dropout_run(mode)
    assert np.array_equal(plain[0], ckpt[0])
    assert all(np.array_equal(a, b) for a, b in zip(plain[1], ckpt[1]))
    assert np.array_equal(plain[2], ckpt[2])


@pytest.mark.parametrize("mode", [True, False])
def test_forward_keeps_no_intermediate_graph(mode: bool) -> None:
    seen: list[int] = []

    class Probe(nn.Module):
        def forward(self, h: trainer.Tensor) -> trainer.Tensor:
            out = (h * 2).tanh()
            seen.append(id(out))
            return out * 3

    x = trainer.randn(3, 3, requires_grad=True)
    y = cp.checkpoint(nn.Sequential(nn.Linear(3, 3), Probe()), x, use_reentrant=mode)
    gc.collect()
    node, found = [y], set()
    while node:  # nothing recorded inside the block is reachable from the output
        t = node.pop()
        found.add(id(t))
        node.extend(t._parents)
    assert not found & set(seen[:1])
    y.sum().backward()
    assert len(seen) == 2  # the forward, then one recomputation in backward


def test_recomputation_restores_and_then_keeps_the_rng_stream() -> None:
    trainer.manual_seed(5)
    x = trainer.randn(50, requires_grad=True)
    y = cp.checkpoint(lambda a: nn.functional.dropout(a, 0.5), x, use_reentrant=False)
    after_forward = trainer.get_rng_state()
    y.sum().backward()
    assert np.array_equal(trainer.get_rng_state()._array, after_forward._array)
    assert np.array_equal(x.grad._array, (y._array != 0) * 2.0)


def test_non_reentrant_create_graph_matches_plain_second_derivatives() -> None:
    def f(a: trainer.Tensor) -> trainer.Tensor:
        return (a.sin() * a).sum()

    x = trainer.tensor([0.3, -1.2, 2.0], dtype=trainer.float64, requires_grad=True)
    (g1,) = trainer.autograd.grad(cp.checkpoint(f, x, use_reentrant=False), x, create_graph=True)
    (h1,) = trainer.autograd.grad(g1.sum(), x)
    (g2,) = trainer.autograd.grad(f(x), x, create_graph=True)
    (h2,) = trainer.autograd.grad(g2.sum(), x)
    np.testing.assert_allclose(g1._array, g2._array, rtol=1e-15)
    np.testing.assert_allclose(h1._array, h2._array, rtol=1e-15)


def test_debug_and_early_stop_switches_restore_their_values() -> None:
    with cp.set_checkpoint_debug_enabled(True), cp.set_checkpoint_early_stop(False):
        assert cp._checkpoint_debug_enabled is True and cp._enable_checkpoint_early_stop is False
        with pytest.raises(ValueError, match="debug=True is incompatible with non-default context_fn"):
            cp.checkpoint(lambda a: a, trainer.ones(1), use_reentrant=False, context_fn=cp.noop_context_fn.__call__)
    assert cp._checkpoint_debug_enabled is None and cp._enable_checkpoint_early_stop is None


@pytest.mark.parametrize("mode", [True, False])
def test_gradient_hooks_of_parameters_and_inputs_run_once(mode: bool) -> None:
    lin = nn.Linear(2, 2)
    calls: list[str] = []
    lin.weight.register_hook(lambda g: calls.append("weight") or g * 2)
    x = trainer.ones(1, 2, requires_grad=True)
    x.register_hook(lambda g: calls.append("x") or g * 3)
    cp.checkpoint(lin, x, use_reentrant=mode).sum().backward()
    assert sorted(calls) == ["weight", "x"]
    np.testing.assert_array_equal(lin.weight.grad._array, np.full((2, 2), 2.0, np.float32))
    np.testing.assert_allclose(x.grad._array, 3 * lin.weight._array.sum(0, keepdims=True), rtol=1e-6)
