"""Anomaly mode names the first op that made NaN/inf, forward or backward, and costs nothing outside it."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer.autograd import AnomalyError, detect_anomaly, is_anomaly_enabled


def test_forward_names_the_first_op_with_finite_inputs() -> None:
    x = trainer.tensor([0.0, 1.0], requires_grad=True)
    with np.errstate(all="ignore"), detect_anomaly(), pytest.raises(AnomalyError, match="Log produced inf") as info:
        (x * 2).log().exp()
    assert info.value.op == "Log" and info.value.phase == "forward"


def test_backward_names_the_op_whose_gradient_is_not_finite() -> None:
    x = trainer.tensor([0.0, 4.0], requires_grad=True)
    with np.errstate(all="ignore"), detect_anomaly():
        y = x.sqrt().sum()
        with pytest.raises(AnomalyError, match="SqrtBackward returned inf") as info:
            y.backward()
    assert info.value.phase == "backward"


def test_mode_is_scoped_and_nests() -> None:
    plain = trainer.Tensor._make
    with detect_anomaly():
        with detect_anomaly():
            assert is_anomaly_enabled()
        assert is_anomaly_enabled()
    assert not is_anomaly_enabled() and trainer.Tensor._make is plain
    with np.errstate(all="ignore"):
        assert np.isinf(trainer.tensor([0.0]).log()._array).all()  # outside the block: no check
