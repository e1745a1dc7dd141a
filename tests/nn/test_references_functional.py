"""trainer.nn.functional against PyTorch float64 references: values and gradients of every activation and loss."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn.functional as F
from tests.reference_data import assert_close, load_reference

ACTIVATIONS = load_reference("nn", "activations")
LOSSES = load_reference("nn", "losses")


def _tensor(value: Any, requires_grad: bool = False) -> Any:
    if isinstance(value, np.ndarray):
        return trainer.tensor(value, requires_grad=requires_grad)
    return value


def _check_case(case: dict[str, Any]) -> None:
    grads = case["grads"]
    inputs = {k: _tensor(case["inputs"][k], k in grads) for k in case["order"]}
    kwargs = {k: _tensor(v) for k, v in case["kwargs"].items()}
    out = getattr(F, case["fn"])(*inputs.values(), **kwargs)
    assert out.dtype == np.float64
    assert_close(out, case["out"], what=f"{case['name']} value")
    if grads:
        out.backward(trainer.tensor(case["gout"]))
        for name, expected in grads.items():
            assert inputs[name].grad is not None, f"{case['name']}: no gradient for {name}"
            assert_close(inputs[name].grad, expected, what=f"{case['name']} d/d{name}")


@pytest.mark.parametrize("case", ACTIVATIONS, ids=[c["name"] for c in ACTIVATIONS])
def test_activation_and_layer_functions_match_pytorch(case: dict[str, Any]) -> None:
    _check_case(case)


@pytest.mark.parametrize("case", LOSSES, ids=[c["name"] for c in LOSSES])
def test_losses_match_pytorch(case: dict[str, Any]) -> None:
    _check_case(case)


def test_every_loss_and_reduction_is_covered() -> None:
    more = load_reference("nn", "layers")["losses"]  # the multi-class, multi-label and triplet margin losses
    covered = {(c["fn"], c["kwargs"]["reduction"]) for c in LOSSES + more}
    losses = [n for n in F.__all__ if n.endswith("_loss") or n in ("cross_entropy", "kl_div", "binary_cross_entropy",
                                                                    "binary_cross_entropy_with_logits")]
    assert len(losses) == 20
    for fn in losses:
        for reduction in ("none", "mean", "sum"):
            assert (fn, reduction) in covered, f"{fn} with reduction={reduction} has no reference"
    assert ("kl_div", "batchmean") in covered


def test_every_activation_is_covered() -> None:
    covered = {c["fn"] for c in ACTIVATIONS}
    for fn in ("relu", "leaky_relu", "elu", "gelu", "silu", "sigmoid", "tanh", "softplus", "softmax", "log_softmax",
               "linear"):
        assert fn in covered
