"""The seed article's network written with raw tensor ops and a hand-written gradient-descent loop."""

from __future__ import annotations

from trainer.demo import train_seed_by_hand


def test_loss_goes_down() -> None:
    logged = train_seed_by_hand(epochs=200, log_every=10)
    assert [epoch for epoch, _ in logged] == list(range(10, 201, 10))
    losses = [loss for _, loss in logged]
    assert losses[-1] < 0.5 * losses[0]
    assert all(b <= a * 1.001 for a, b in zip(losses, losses[1:]))


def test_is_deterministic() -> None:
    assert train_seed_by_hand(epochs=20) == train_seed_by_hand(epochs=20)
