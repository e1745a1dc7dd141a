"""SOAP's merge_dims: shapes whose dimensions all merge into one are refused when the group is added
(pytorch_optimizer's SOAP fails on them at its first step); the merge itself is the reference's."""

from __future__ import annotations

import pytest

import trainer
from trainer.optim import SOAP
from trainer.optim.soap import merge_small_dims


def test_merge_small_dims_is_the_references() -> None:
    assert merge_small_dims((1, 2, 512, 1, 2048, 1, 3, 4), 1024) == [1024, 2048, 12]
    assert merge_small_dims((1, 2, 768, 1, 2048), 1024) == [2, 768, 2048]
    assert merge_small_dims((2, 3), 10) == [1]


def test_a_parameter_that_would_merge_into_one_dimension_is_refused() -> None:
    w, b = trainer.zeros(2, 3, requires_grad=True), trainer.zeros(3, requires_grad=True)
    with pytest.raises(ValueError, match=r"merge every dimension of a \(2, 3\) parameter"):
        SOAP([w], merge_dims=True)
    with pytest.raises(ValueError, match=r"\(3,\) parameter"):
        SOAP([{"params": [w], "max_precondition_dim": 2}, {"params": [b]}], merge_dims=True)
    SOAP([w, b], merge_dims=True, max_precondition_dim=2)  # (2, 3) stays (2, 3); (3,) becomes (1, 3)
    SOAP([{"params": [w], "max_precondition_dim": 2}, {"params": [b], "merge_dims": False}], merge_dims=True)
