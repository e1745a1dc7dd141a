"""capture() reuses a generator's state only while it has not moved: its snapshots equal fresh copies."""

from __future__ import annotations

import numpy as np

import trainer
from trainer.autograd import random as trainer_random
from trainer.training.loop import Trainer
from trainer.training.settings import LoopSettings
from trainer.training.state import capture, copy_tree

from .helpers import experiment


def _fresh_rng() -> np.ndarray:
    return copy_tree(trainer_random.get_rng_state()).numpy()


def _state(**settings):
    trainer_ = Trainer(experiment(dropout=True), LoopSettings(epochs=3, **settings))
    return trainer_.state


def test_the_rng_in_a_snapshot_is_the_generator_state_after_every_kind_of_draw():
    state = _state()
    g = trainer_random.default_generator
    moves = [lambda: None, lambda: trainer.rand(3), lambda: None, lambda: trainer.randn(1),  # caches a normal
             lambda: trainer.randn(1), lambda: trainer.randn(20), lambda: trainer.manual_seed(5),
             lambda: g.set_state(g.get_state()), lambda: trainer.randperm(7), lambda: trainer.manual_seed(5)]
    seen = []
    for move in moves:
        move()
        snap = capture(state, 0.0)
        assert np.array_equal(snap.rng.numpy(), _fresh_rng())
        seen.append(snap.rng)
    assert seen[1] is seen[2]  # nothing drawn in between: shared, not copied
    assert seen[2] is not seen[3]


def test_the_shuffle_generator_in_a_snapshot_follows_its_draws():
    state = _state(shuffle=True, batch_size=8)
    first = capture(state, 0.0).shuffle_rng
    assert capture(state, 0.0).shuffle_rng is first
    state.shuffle_rng.permutation(10)
    moved = capture(state, 0.0).shuffle_rng
    assert moved == state.shuffle_rng.bit_generator.state and moved != first


def test_a_trained_run_snapshots_what_fresh_copies_hold(tmp_path):
    trainer_ = Trainer(experiment(dropout=True), LoopSettings(epochs=4, shuffle=True, batch_size=16))
    state = trainer_.fit()
    assert np.array_equal(state.snapshot.rng.numpy(), _fresh_rng())
    assert state.snapshot.shuffle_rng == state.shuffle_rng.bit_generator.state
