"""The summary table written without rich is exactly what rich prints off a terminal, or is left to rich."""

import io
import math

import pytest
from rich.console import Console

from trainer.cli.plain_summary import plain_summary
from trainer.cli.render import summary_table

BASE = {"status": "completed", "final_train_loss": 30.72131, "best_train_loss": 30.72131, "best_train_loss_epoch": 200,
        "final_train_mae": 0.429199, "best_train_mae": 0.42343, "best_train_mae_epoch": 193, "final_lr": 0.08,
        "epochs_run": 200, "epochs": 200, "wall_time_seconds": 0.0834, "run_dir": "/tmp/run"}
CASES = [
    BASE,
    {**BASE, "status": "diverged", "final_train_loss": math.nan, "best_train_loss": None},
    {**BASE, "stop_reason": "early_stopping", "monitor": "val_loss", "best_epoch": 7, "run_dir": "/a/long/path" * 12},
    {"status": "interrupted", "final_lr": None, "epochs_run": 0, "epochs": 10},
    {**BASE, "final_val_balanced_accuracy": 0.5, "best_val_balanced_accuracy": 0.625, "final_lr": 1.5e-07,
     "status": "failed", "wall_time_seconds": 1234.5},
    {**BASE, "final_train_loss": -math.inf, "best_train_loss": 1e300, "best_train_loss_epoch": 10**12},
]


def rich_text(summary):
    buf = io.StringIO()
    Console(file=buf, highlight=False, soft_wrap=True).print(summary_table(summary))
    return buf.getvalue()


@pytest.mark.parametrize("summary", CASES)
def test_it_is_rich_s_output_byte_for_byte(summary, monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "JUPYTER_COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    text = plain_summary(summary, io.StringIO())
    assert text is not None and text == rich_text(summary)


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Latin1(io.StringIO):
    encoding = "latin-1"


def test_rich_draws_it_where_it_would_print_something_else(monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    assert plain_summary(BASE, Terminal()) is None  # colours and the terminal's width
    assert plain_summary(BASE, Latin1()) is None  # rich's ASCII look-alikes
    assert plain_summary({**BASE, "run_dir": "/tmp/実験"}, io.StringIO()) is None  # two-column characters
    wide = {**BASE, **{f"final_metric_{'x' * 60}": 1.0}}
    assert plain_summary(wide, io.StringIO()) is None  # wider than rich's 80 columns: it would shrink columns
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert plain_summary(BASE, io.StringIO()) is None
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("COLUMNS", "40")
    assert plain_summary(BASE, io.StringIO()) is None  # rich would fold the 50-column table
    monkeypatch.setenv("COLUMNS", "60")
    assert plain_summary(BASE, io.StringIO()) == rich_text(BASE)
