"""The run's progress bar on a terminal: the epoch being trained, and the batch inside it once an epoch runs long
(on a clock the test moves by hand)."""

from __future__ import annotations

import io
from types import SimpleNamespace

from rich.console import Console

from trainer.cli import render
from trainer.cli.render import LONG_EPOCH, MANY_BATCHES, ConsoleRenderer
from trainer.training.callbacks import CallbackList, EpochEvent


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now


def started(monkeypatch, epochs: int = 20) -> tuple[ConsoleRenderer, Clock, SimpleNamespace]:
    clock = Clock()
    monkeypatch.setattr(render, "time", clock)
    console = Console(file=io.StringIO(), force_terminal=True, width=100)
    renderer = ConsoleRenderer(console, lines=False)
    state = SimpleNamespace(settings=SimpleNamespace(epochs=epochs), epoch=0)
    renderer.on_run_start(state)
    return renderer, clock, state


def shown(renderer: ConsoleRenderer) -> tuple[str, str]:
    task = renderer._progress.tasks[0]
    return task.fields["epoch"], task.description


def end_epoch(renderer, state, epoch: int, loss: float) -> None:
    renderer.on_epoch_end(state, EpochEvent(epoch, 20, {"train_loss": loss}, False, 0.0))


def test_a_short_epoch_shows_no_batches(monkeypatch):
    renderer, clock, state = started(monkeypatch)
    try:
        assert shown(renderer) == ("epoch  1/20", "")
        for batch in range(1, 470):
            clock.now += 0.0005  # 469 batches in a quarter of a second
            renderer.on_batch_end(state, batch, 469)
        end_epoch(renderer, state, 1, 0.5)
        assert shown(renderer) == ("epoch  2/20", "train_loss 0.5")
    finally:
        renderer.finalize(state, {})


def test_a_long_epoch_shows_the_batch_and_keeps_showing_it(monkeypatch):
    renderer, clock, state = started(monkeypatch)
    try:
        end_epoch(renderer, state, 1, 0.5)
        end_epoch(renderer, state, 2, 0.25)
        start = clock.now
        for batch in range(1, 100):
            clock.now = start + batch * LONG_EPOCH / 200  # not long yet
            renderer.on_batch_end(state, batch, 469)
        assert shown(renderer) == ("epoch  3/20", "train_loss 0.25")
        clock.now = start + 2 * LONG_EPOCH
        renderer.on_batch_end(state, 120, 469)
        assert shown(renderer) == ("epoch  3/20", "batch 120/469  train_loss 0.25")
        clock.now += 0.01
        renderer.on_batch_end(state, 121, 469)  # within the refresh interval: not redrawn
        assert shown(renderer)[1].startswith("batch 120/469")
        clock.now += 1.0
        renderer.on_batch_end(state, 469, 469)
        end_epoch(renderer, state, 3, 0.125)
        clock.now += 0.2  # the next epoch: batches show from its start, not only after LONG_EPOCH
        renderer.on_batch_end(state, 50, 469)
        assert shown(renderer) == ("epoch  4/20", "batch  50/469  train_loss 0.125")
    finally:
        renderer.finalize(state, {})


def test_an_epoch_of_many_batches_shows_them_from_the_start(monkeypatch):
    renderer, clock, state = started(monkeypatch)
    try:
        clock.now += 0.001
        renderer.on_batch_end(state, 1, MANY_BATCHES)
        assert shown(renderer) == ("epoch  1/20", f"batch   1/{MANY_BATCHES}")
    finally:
        renderer.finalize(state, {})


def test_off_a_terminal_nothing_listens_per_batch():
    piped = ConsoleRenderer(Console(file=io.StringIO(), force_terminal=False), lines=False)
    quiet = ConsoleRenderer(Console(file=io.StringIO(), force_terminal=True), progress=False)
    on_a_terminal = ConsoleRenderer(Console(file=io.StringIO(), force_terminal=True))
    assert CallbackList([piped, quiet, on_a_terminal]).batch_listeners == [on_a_terminal]
