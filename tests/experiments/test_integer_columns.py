"""Counts are written as integers (an epoch as 199, not 199.0) in results.csv/.json and the other tables, and the
plots' epoch axes tick at whole epochs only."""

from __future__ import annotations

import csv
import io
import json

from trainer.experiments import plot
from trainer.experiments.records import RunRecord, RunSpec, time_to
from trainer.experiments.tables import run_row, variant_rows
from trainer.experiments.whole import all_counts, whole
from trainer.experiments.writers import csv_text, json_text


def record(seed: int, best_epoch: int, epochs: int = 199) -> RunRecord:
    history = [{"epoch": e, "train_loss": 1.0 / e, "seconds": 0.01} for e in range(1, epochs + 1)]
    summary = {"status": "completed", "epochs": epochs, "epochs_run": epochs, "final_train_loss": 1.0 / epochs,
               "best_train_loss": 0.5, "best_train_loss_epoch": best_epoch, "wall_time_seconds": 1.5}
    return RunRecord(RunSpec(f"adam-seed{seed}", "adam", seed, {}, group="adam"), "completed", summary, history)


def cells(rows: list[dict]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text(rows))))


def test_a_compare_row_keeps_whole_means_of_counts_as_integers():
    one, = variant_rows([record(0, 150)], threshold=0.01)
    three, = variant_rows([record(0, 150), record(1, 152), record(2, 151)], threshold=0.01)
    for row, best in ((one, "150"), (three, "151")):
        cell = cells([row])[0]
        assert cell["epochs_run"] == "199" and cell["best_train_loss_epoch"] == best
        assert cell["epochs_to_target"] == "100"  # 1/e reaches 0.01 at epoch 100
        assert cell["wall_time"] == "1.5" and cell["final_train_loss"] == repr(1.0 / 199)
    assert cells([three])[0]["best_train_loss_epoch_median"] == "151"
    assert cells([three])[0]["epochs_run_std"] == "0.0"  # a spread stays a real number
    assert json.loads(json_text([three]))[0]["epochs_run"] == 199


def test_a_mean_with_a_fraction_stays_a_float():
    row, = variant_rows([record(0, 150), record(1, 151)])
    assert cells([row])[0]["best_train_loss_epoch"] == "150.5"


def test_a_sweep_row_and_time_to_target_count_epochs_in_integers():
    row = run_row(record(0, 150), threshold=0.01)
    assert cells([row])[0]["epochs_to_target"] == "100" and cells([row])[0]["epochs_run"] == "199"
    epochs, seconds = time_to(record(0, 1).history, "train_loss", 0.5)
    assert epochs == 2 and isinstance(epochs, int) and seconds == 0.02


def test_whole_and_all_counts():
    assert whole(199.0) == 199 and isinstance(whole(199.0), int)
    assert whole(1.5) == 1.5 and whole(float("inf")) == float("inf") and whole("x") == "x"
    assert all_counts([3, None, float("inf"), 4]) and not all_counts([3, 4.0]) and not all_counts([True])
    assert not all_counts([None])


def captured_axes(monkeypatch) -> list:
    figures: list = []
    monkeypatch.setattr(plot, "_png", lambda fig: figures.append(fig) or b"")
    return figures


def test_the_loss_curves_tick_whole_epochs(monkeypatch):
    figures = captured_axes(monkeypatch)
    history = [{"epoch": e, "train_loss": 1.0 / e, "val_loss": 2.0 / e} for e in (1, 2)]
    plot.plot_bytes({"adam": [history]})
    for ax in figures[0].axes:
        ticks = [t for t in ax.get_xticks() if 1 <= t <= 2]
        assert ticks and all(float(t).is_integer() for t in ticks), ticks


def test_an_integer_tuned_argument_ticks_whole_values(monkeypatch):
    figures = captured_axes(monkeypatch)
    series = [{"variant": "lookahead", "argument": "k", "value": k, "log": False, "loss": 1.0 / k, "chosen": False}
              for k in (2, 3)]
    plot.sensitivity_bytes(series)
    ticks = [t for t in figures[0].axes[0].get_xticks() if 2 <= t <= 3]
    assert ticks and all(float(t).is_integer() for t in ticks), ticks
