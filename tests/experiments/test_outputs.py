"""results.csv / results.json writers and the loss-curve plot."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np

from trainer.experiments.plot import curves, plot_bytes, use_log_scale, write_plot
from trainer.experiments.writers import csv_text, json_text, write_results

ROWS = [
    {"variant": "adam", "final_train_loss": 1.5, "seeds": [0, 1], "error": None},
    {"variant": "sgd", "final_train_loss": float("nan"), "extra": "x", "error": "diverged"},
]


def test_csv_and_json_hold_the_same_rows(tmp_path: Path) -> None:
    csv_path, json_path = write_results(tmp_path, ROWS)
    with open(csv_path, newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["variant"] for r in table] == ["adam", "sgd"]
    assert table[0]["final_train_loss"] == "1.5" and table[1]["final_train_loss"] == ""
    assert table[0]["seeds"] == "[0, 1]" and table[0]["extra"] == ""
    rows = json.loads(json_path.read_text())
    assert rows[0] == ROWS[0] and rows[1]["final_train_loss"] is None
    assert not list(tmp_path.glob(".*tmp"))


def test_text_forms_are_strict() -> None:
    assert "NaN" not in json_text(ROWS)
    assert csv_text([]) == "\n"


def history(scale: float, epochs: int = 20) -> list[dict[str, float]]:
    return [{"epoch": e, "train_loss": scale * math.exp(-e / 3)} for e in range(1, epochs + 1)]


def test_curves_align_epochs_and_drop_non_finite_values() -> None:
    epochs, values = curves([history(1.0, 3), [{"epoch": 1, "train_loss": float("nan")}]], "train_loss")
    assert epochs.tolist() == [1, 2, 3]
    assert np.isnan(values[1]).all() and np.isfinite(values[0]).all()


def test_log_scale_only_for_wide_positive_ranges() -> None:
    assert use_log_scale([np.array([1000.0, 1.0])])
    assert not use_log_scale([np.array([10.0, 1.0])])
    assert not use_log_scale([np.array([1000.0, -1.0])])
    assert not use_log_scale([])


def test_plot_is_a_png_matplotlib_reads_back(tmp_path: Path) -> None:
    import matplotlib.image

    path = write_plot(tmp_path / "loss_curves.png", {"adam": [history(100), history(120)], "sgd": [history(80)]})
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100


def test_plot_copes_with_runs_that_have_no_finite_loss() -> None:
    assert plot_bytes({"bad": [[{"epoch": 1, "train_loss": None}]]})[:4] == b"\x89PNG"
