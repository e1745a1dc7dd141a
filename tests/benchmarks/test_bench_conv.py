"""The CNN workload of the bench: the engine and the numpy im2col floor compute the same training."""

from __future__ import annotations

import numpy as np

from benchmarks.engine import EngineConvRun
from benchmarks.floor_conv import NumpyConvFloor
from benchmarks.workloads import CONV


def test_engine_and_floor_train_the_cnn_identically() -> None:
    engine, floor = EngineConvRun(CONV), NumpyConvFloor(CONV)
    losses = [(engine.step(), floor.step()) for _ in range(4)]
    np.testing.assert_allclose(*zip(*losses), rtol=1e-5)
    assert losses[-1][0] < losses[0][0]
    for p in engine.model.parameters():
        assert p._array.dtype == np.float32 and p.grad._array.dtype == np.float32


def test_the_cnn_workload_has_the_issues_shapes() -> None:
    assert CONV.shapes() == [(1, 8, 8), (16, 8, 8), (32, 4, 4)]
    x, y = CONV.data()
    assert x.shape == (64, 1, 8, 8) and x.dtype == np.float32 and y.dtype == np.int64
    assert len(set(y.tolist())) > 5  # the labels use most of the 10 classes
    (w1, b1), (w2, b2), (w3, b3) = CONV.init()
    assert w1.shape == (16, 1, 3, 3) and w2.shape == (32, 16, 3, 3) and w3.shape == (10, 512)
