"""The tight floor computes what the engine computes (no timing here: `make bench` does that)."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from benchmarks.engine import EngineRun
from benchmarks.floor import NumpyFloor
from benchmarks.workloads import DEEP, MLP, SEED, Workload


def _close(engine: EngineRun, floor: NumpyFloor) -> None:
    for p, q in zip(engine.model.parameters(), floor.params(), strict=True):
        np.testing.assert_allclose(p._array, q, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(("w", "steps"), [(SEED, 20), (DEEP, 10)], ids=["seed", "deep"])
def test_floor_trains_the_engines_weights(w: Workload, steps: int) -> None:
    engine, floor = EngineRun(w), NumpyFloor(w)
    losses = [(engine.step(), floor.step()) for _ in range(steps)]
    np.testing.assert_allclose(*zip(*losses), rtol=1e-5)
    _close(engine, floor)
    assert all(p.dtype == np.float32 for p in (floor.flat_p, floor.flat_g, floor.flat_m, floor.flat_v))


def test_floor_mlp_gradients_and_adam_match_the_engine() -> None:
    """Float32 Adam amplifies last-bit gradient differences (its first steps are ~lr * sign(g)), so the MLP
    is checked in two halves: the same gradients from the same weights, and the same Adam update of them."""
    engine, floor = EngineRun(MLP), NumpyFloor(MLP)
    for _ in range(3):
        floor.forward_backward()
        engine.opt.zero_grad()
        loss = trainer.nn.functional.cross_entropy(engine.model(engine.x), engine.y)
        loss.backward()
        for p, grad in zip(engine.model.parameters(), floor.grads(), strict=True):
            np.testing.assert_allclose(p.grad._array, grad, rtol=1e-5, atol=1e-6)
            p.grad._array[...] = grad  # the same gradients into both optimizers
        engine.opt.step()
        floor._update()
        _close(engine, floor)


@pytest.mark.parametrize("w", [SEED, DEEP], ids=["seed", "deep"])
def test_per_tensor_floor_is_the_flat_floor(w: Workload) -> None:
    flat, per_tensor = NumpyFloor(w), NumpyFloor(w, flat=False)
    for _ in range(5):
        assert flat.step() == per_tensor.step()
    assert np.array_equal(flat.flat_p, per_tensor.flat_p)


def test_floor_parameters_are_views_of_one_buffer() -> None:
    floor = NumpyFloor(MLP)
    assert all(np.shares_memory(p, floor.flat_p) for p in floor.params())
    assert all(np.shares_memory(g, floor.flat_g) for g in floor.grads())
    assert sum(p.size for p in floor.params()) == floor.flat_p.size
