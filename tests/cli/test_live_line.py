"""What the experiment's live line says, from the progress events alone: counts, the best so far, elapsed and left."""

from __future__ import annotations

import io

from rich.console import Console

from trainer.cli.live import LiveLine, Tally, clock
from trainer.experiments.jobs import Event
from trainer.experiments.records import RunRecord, RunSpec


def record(label: str, status: str = "completed", val: float | None = None, train: float = 1.0) -> RunRecord:
    summary = {"status": status, "final_train_loss": train}
    if val is not None:
        summary["final_val_loss"] = val
    return RunRecord(RunSpec(f"{label}-seed0", label, 0, {}), status, summary)


def test_counts_best_elapsed_and_left():
    tally = Tally(now=0.0)
    tally.update(Event("start", 1, 5), 0.0)
    tally.update(Event("reused", 1, 5, record("adam", val=0.5)), 0.0)
    tally.update(Event("submitted", 1, 5, running=2), 0.0)
    assert tally.text(3.0).plain == "done 1/5 · running 2 · 0:00:03 · best val_loss 0.5 (adam)"
    tally.update(Event("finished", 2, 5, record("sgd", val=0.25), running=2), 10.0)
    tally.update(Event("finished", 3, 5, record("rmsprop", "diverged"), running=1), 20.0)
    # two runs took 20 s here (the reused one does not count): two more to go, ~20 s
    assert tally.text(20.0).plain == ("done 3/5 · running 1 · diverged 1 · 0:00:20 · left ~0:00:20 · "
                                      "best val_loss 0.25 (sgd)")


def test_the_clock_stops_when_every_run_is_done():
    tally = Tally(now=0.0)
    tally.update(Event("start", 0, 1), 0.0)
    tally.update(Event("finished", 1, 1, record("adam"), running=0), 65.0)
    assert tally.text(500.0).plain == "done 1/1 · 0:01:05 · best train_loss 1 (adam)"


def test_phases_add_up_on_one_line():
    tally = Tally(now=0.0)
    tally.update(Event("start", 0, 2), 0.0)  # a tuned compare's trials...
    tally.update(Event("finished", 1, 2, record("adam-trial1", train=2.0)), 1.0)
    tally.update(Event("finished", 2, 2, record("adam-trial2", train=3.0)), 2.0)
    tally.update(Event("start", 1, 3), 2.0)  # ...then its finals, one of them the winning trial
    tally.update(Event("cancelled", 2, 3, record("adam", "cancelled")), 3.0)
    assert tally.text(3.0).plain == "done 4/5 · cancelled 1 · 0:00:03 · left ~0:00:01 · best train_loss 2 (adam-trial1)"


def test_clock_format():
    assert [clock(s) for s in (0, 59.9, 61, 3725)] == ["0:00:00", "0:00:59", "0:01:01", "1:02:05"]


def test_the_live_display_ends_with_the_final_state():
    out = io.StringIO()
    line = LiveLine(Console(file=out, force_terminal=True, width=120), "sweep")
    line.update(Event("start", 0, 1))
    line.update(Event("finished", 1, 1, record("lr=0.1", val=0.125)))
    line.close()
    line.close()
    text = out.getvalue()
    assert "sweep" in text and "done 1/1" in text and "best val_loss 0.125 (lr=0.1)" in text
