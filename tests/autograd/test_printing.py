"""Tensor printing against PyTorch 2.13's (tests/references/printing, made by tools/references_printing.py)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import trainer
from tests.reference_data import load_reference
from trainer import nn
from trainer.autograd.printing import printoptions

REFERENCE = load_reference("printing", "cases")
CASES = REFERENCE["cases"]


@pytest.fixture(autouse=True)
def _default_options() -> Iterator[None]:
    yield
    trainer.set_printoptions(profile="default")
    trainer.set_default_dtype(trainer.float32)


def _build(case: dict[str, Any]) -> trainer.Tensor:
    """The case's tensor, built from its stored values as tools/references_printing.py builds it in PyTorch."""
    t = trainer.tensor(np.array(case["data"], dtype=case["dtype"]).reshape(case["shape"]))
    if case["parameter"]:
        return nn.Parameter(t, requires_grad=case["requires_grad"])
    t.requires_grad_(case["requires_grad"])
    for name, *args in case["ops"]:
        t = getattr(t, name)(*args)
    return t


@pytest.mark.parametrize("name", sorted(CASES))
def test_repr_matches_pytorch(name: str) -> None:
    case = CASES[name]
    trainer.set_default_dtype(case["default_dtype"] or "float32")
    trainer.set_printoptions(**case["before"])
    trainer.set_printoptions(**case["options"])
    t = _build(case)
    assert repr(t) == case["pytorch"]
    assert str(t) == case["pytorch"]


@pytest.mark.parametrize("when", sorted(REFERENCE["options"]))
def test_get_printoptions_matches_pytorch(when: str) -> None:
    steps = {
        "initial": [],
        "short": [{"profile": "short"}],
        "full": [{"profile": "short"}, {"profile": "full"}],
        "default": [{"profile": "full"}, {"profile": "default"}],
        "short_linewidth_50_sci": [{"profile": "short", "linewidth": 50, "sci_mode": True}],
        "then_precision_7": [{"profile": "short", "linewidth": 50, "sci_mode": True}, {"precision": 7}],
    }
    for kwargs in steps[when]:
        trainer.set_printoptions(**kwargs)
    assert trainer.get_printoptions() == REFERENCE["options"][when]


def test_full_profile_threshold_is_infinite() -> None:
    trainer.set_printoptions(profile="full")
    assert math.isinf(trainer.get_printoptions()["threshold"])
    assert "..." not in repr(trainer.arange(5000))


def test_printoptions_context_restores_the_previous_options() -> None:
    trainer.set_printoptions(precision=2)
    with printoptions(precision=6, sci_mode=True):
        assert repr(trainer.tensor([0.5])) == "tensor([5.000000e-01])"
    assert repr(trainer.tensor([0.5])) == "tensor([0.50])"


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown print profile 'long'"):
        trainer.set_printoptions(profile="long")


def test_exported_from_both_facades() -> None:
    assert trainer.set_printoptions is trainer.autograd.set_printoptions
    assert trainer.get_printoptions is trainer.autograd.get_printoptions


def test_format_of_a_vector_is_its_repr() -> None:
    t = trainer.tensor([1.0, 2.5])
    assert f"{t}" == repr(t) == "tensor([1.0000, 2.5000])"
