"""The seed article's network written with raw tensor ops and a hand-written gradient-descent loop."""

from __future__ import annotations

import trainer


def train_seed_by_hand(epochs: int = 200, lr: float = 1e-4, log_every: int = 10) -> list[tuple[int, float]]:
    """3 -> 32 -> ReLU -> 1 on y = 0.2 x1 - 1.3 x2 - 0.5 x3 + noise, plain gradient descent on summed MSE."""
    trainer.manual_seed(0)
    x = trainer.randn(100, 3)
    y = x[:, 0:1] * 0.2 - x[:, 1:2] * 1.3 - x[:, 2:3] * 0.5 + trainer.randn(100, 1)
    w1 = trainer.randn(3, 32, requires_grad=True)
    b1 = trainer.zeros(1, 32, requires_grad=True)
    w2 = trainer.randn(32, 1, requires_grad=True)
    b2 = trainer.zeros(1, 1, requires_grad=True)
    logged = []
    for t in range(1, epochs + 1):
        y_pred = (x @ w1 + b1).relu() @ w2 + b2
        loss = ((y_pred - y) ** 2).sum()
        if t % log_every == 0:
            logged.append((t, loss.item()))
        loss.backward()
        with trainer.no_grad():
            for p in (w1, b1, w2, b2):
                p.sub_(p.grad, alpha=lr)
                p.grad = None
    return logged


def test_loss_goes_down() -> None:
    logged = train_seed_by_hand(epochs=200, log_every=10)
    assert [epoch for epoch, _ in logged] == list(range(10, 201, 10))
    losses = [loss for _, loss in logged]
    assert losses[-1] < 0.5 * losses[0]
    assert all(b <= a * 1.001 for a, b in zip(losses, losses[1:]))


def test_is_deterministic() -> None:
    assert train_seed_by_hand(epochs=20) == train_seed_by_hand(epochs=20)
