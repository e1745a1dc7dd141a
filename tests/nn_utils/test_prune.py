"""trainer.nn.utils.prune against PyTorch (tests/references/nn/prune.json, made by tools/references_prune.py).

Each reference scenario is code written with PyTorch's names; it runs here with `trainer` as `torch`, and every
value it recorded (masks drawn from the RNG or chosen among ties, pruned weights, outputs, gradients of
`<name>_orig`, parameter/buffer/state_dict names in order, the pre-hooks, exception classes and messages) must
match: float32 to 1e-6, float64 to 1e-12, names and messages exactly (object addresses aside).
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
from tests.reference_data import load_reference
from trainer.nn.utils import prune
from trainer.nn.utils._topk import topk_indices

REF = load_reference("nn", "prune")


def run(code: str) -> dict[str, Any]:
    ns: dict[str, Any] = {"torch": trainer, "nn": nn, "prune": prune, "R": {}}
    exec(REF["prelude"], ns)  # noqa: S102 - the committed reference's own scenario code
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(code, ns)  # noqa: S102
    return ns["R"]


def _text(value: str) -> str:
    return re.sub(r" at 0x[0-9a-f]+", "", value.replace("torch.nn.utils.prune", "trainer.nn.utils.prune"))


def check(actual: Any, expected: Any, what: str) -> None:
    if isinstance(expected, np.ndarray):
        assert isinstance(actual, trainer.Tensor), f"{what}: {type(actual).__name__} is not a Tensor"
        a = actual.detach()._array
        assert a.dtype == expected.dtype, f"{what}: dtype {a.dtype} != {expected.dtype}"
        assert a.shape == expected.shape, f"{what}: shape {a.shape} != {expected.shape}"
        tol = 1e-12 if expected.dtype == np.float64 else 1e-6
        np.testing.assert_allclose(a, expected, rtol=tol, atol=tol, err_msg=what)
    elif isinstance(expected, dict):
        assert sorted(actual) == sorted(expected), what
        for k in expected:
            check(actual[k], expected[k], f"{what}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list | tuple) and len(actual) == len(expected), f"{what}: {actual!r} != {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            check(a, e, f"{what}[{i}]")
    elif isinstance(expected, str):
        assert _text(actual) == _text(expected), what
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-6), what
    else:
        assert actual == expected, what


@pytest.mark.parametrize("name", sorted(REF["cases"]))
def test_scenario_matches_pytorch(name: str) -> None:
    case = REF["cases"][name]
    got = run(case["code"])
    assert sorted(got) == sorted(case["result"])
    for key, expected in case["result"].items():
        check(got[key], expected, f"{name}: {key}")


def test_pruned_gradient_is_the_mask_times_the_upstream_gradient() -> None:
    trainer.manual_seed(0)
    m = nn.Linear(5, 3)
    prune.random_unstructured(m, "weight", amount=0.4)
    x = trainer.randn(4, 5)
    m(x).sum().backward()
    expected = m.weight_mask._array * (np.ones((4, 3), np.float32).T @ x._array)
    np.testing.assert_allclose(m.weight_orig.grad._array, expected, rtol=1e-6)
    assert m.weight_mask.grad is None and not m.weight_mask.requires_grad


def test_masks_stay_applied_across_optimizer_steps() -> None:
    trainer.manual_seed(1)
    m = nn.Linear(6, 4)
    prune.l1_unstructured(m, "weight", amount=10)
    opt = trainer.optim.SGD(m.parameters(), lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        m(trainer.randn(2, 6)).pow(2).sum().backward()
        opt.step()
    m(trainer.randn(1, 6))
    assert int((m.weight == 0).sum()) == 10
    assert bool((m.weight_orig != 0).all())  # the original keeps training; only the product is pruned


def test_topk_without_ties_is_the_plain_selection() -> None:
    x = trainer.tensor(np.random.default_rng(0).permutation(1000).astype(np.float32))
    assert sorted(topk_indices(x, 10, largest=False).tolist()) == sorted(np.argsort(x._array)[:10].tolist())
    assert sorted(topk_indices(x, 990, largest=True).tolist()) == sorted(np.argsort(x._array)[10:].tolist())
    assert topk_indices(x, 0, largest=True).shape == (0,)
