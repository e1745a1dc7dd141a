"""`compare(..., tune=..., budget=...)`: trials per optimizer, the winner on every seed, the files, reruns."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

import trainer
from trainer.errors import UserError
from trainer.experiments.compare import run_compare

ROOT = Path(__file__).resolve().parents[2]
SPIRALS = ROOT / "configs" / "spirals.yaml"
FAST = ["training.epochs=12", "data.n=150"]
OPTIMIZERS = "adam,sgd,rmsprop"


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def tuned(tmp_path_factory):
    out = tmp_path_factory.mktemp("tuned")
    events = []
    outcome = run_compare(str(SPIRALS), OPTIMIZERS, seeds=2, jobs=2, out=out, overrides=FAST,
                          tune="lr=1e-4:1:log", budget=4, target=0.9, progress=events.append)
    return outcome, events


def test_every_optimizer_is_tuned_and_rerun_on_every_seed(tuned) -> None:
    outcome, events = tuned
    rows = {row["variant"]: row for row in outcome.rows}
    assert set(rows) == {"adam", "sgd", "rmsprop"}
    for row in rows.values():
        assert row["status"] == "completed" and row["runs"] == 2  # no optimizer diverges at its chosen lr
        assert row["trials"] == 4 and row["tuned_lr"] in (1e-4, 0.002154, 0.04642, 1.0)
        assert row["tuned"] == f"lr={row['tuned_lr']}"
    finished = [e for e in events if e.kind == "finished"]
    assert len(finished) == 3 * 4 + 3 * 1  # 4 trials each, then one more seed: the tuning seed's trial is reused
    runs = sorted(p.name for p in (outcome.directory / "runs").iterdir())
    assert "adam-trial00" in runs and "adam-seed1" in runs and "adam-seed0" not in runs


def test_the_winner_is_the_trial_with_the_lowest_judged_loss(tuned) -> None:
    outcome, _ = tuned
    trials = _csv(outcome.directory / "lr_sensitivity.csv")
    for name in ("adam", "sgd", "rmsprop"):
        mine = [t for t in trials if t["variant"] == name]
        assert len(mine) == 4
        best = min(mine, key=lambda t: float(t["loss"]) if t["loss"] else float("inf"))
        chosen = [t for t in mine if t["chosen"] == "True"]
        assert chosen == [best]
        assert chosen[0]["seed_min"] and float(chosen[0]["seed_min"]) <= float(chosen[0]["seed_max"])


def test_results_hold_the_statistics_and_ties(tuned) -> None:
    outcome, _ = tuned
    rows = _csv(outcome.directory / "results.csv")
    for key in ("final_val_loss_median", "final_val_loss_iqm", "final_val_loss_ci_low", "final_val_loss_ci_high",
                "judged_loss_ci_low", "epochs_to_target", "seconds_to_target", "tied"):
        assert key in rows[0], key
    assert rows[0]["tied"] == "best"
    for row in rows:
        assert float(row["judged_loss_ci_low"]) <= float(row["judged_loss"]) <= float(row["judged_loss_ci_high"])
    pairwise = _csv(outcome.directory / "pairwise.csv")
    assert len(pairwise) == 6
    by_pair = {(r["a"], r["b"]): float(r["p_a_beats_b"]) for r in pairwise}
    assert all(by_pair[a, b] + by_pair[b, a] == pytest.approx(1.0) for a, b in by_pair)


def test_plots_and_their_data_are_written(tuned) -> None:
    import matplotlib.image

    outcome, _ = tuned
    for name in ("loss_curves.png", "lr_sensitivity.png"):
        assert matplotlib.image.imread(outcome.directory / name).shape[0] > 100
    curves = _csv(outcome.directory / "loss_curves.csv")
    assert {"variant", "epoch", "seconds", "train_loss_mean", "val_loss_min", "val_loss_max"} <= set(curves[0])
    assert len(curves) == 3 * 12


def test_the_same_command_again_reruns_nothing(tuned) -> None:
    outcome, _ = tuned
    events = []
    again = run_compare(str(SPIRALS), OPTIMIZERS, seeds=2, jobs=2, out=outcome.directory, overrides=FAST,
                        tune="lr=1e-4:1:log", budget=4, target=0.9, progress=events.append, x="time")
    assert not [e for e in events if e.kind == "finished"]
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("reused",)} for r in rows]
    assert strip(again.rows) == strip(outcome.rows)


def test_with_defaults_adds_the_untuned_rows(tmp_path: Path) -> None:
    rows = trainer.compare(str(SPIRALS), "adam,sgd", out=tmp_path, overrides=FAST, tune=["lr=1e-2:1e-1:log"],
                           budget=2, with_defaults=True)
    labels = {row["variant"]: row["tuned"] for row in rows}
    assert labels == {"adam": labels["adam"], "sgd": labels["sgd"], "adam (defaults)": "defaults",
                      "sgd (defaults)": "defaults"}


def test_a_compare_block_can_hold_the_tuning(tmp_path: Path) -> None:
    config = yaml.safe_load(SPIRALS.read_text())
    config["compare"] = {"optimizers": ["adam", "sgd"], "tune": {"lr": "1e-2:1e-1:log"}, "budget": 2,
                         "select": "best"}
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(config))
    rows = trainer.compare(str(path), out=tmp_path / "out", overrides=FAST)
    assert {row["variant"] for row in rows} == {"adam", "sgd"} and all(row["trials"] == 2 for row in rows)
    state = json.loads((tmp_path / "out" / "state.json").read_text())
    assert len(state["runs"]) == 4


def test_an_unknown_compare_block_key_and_a_budget_without_tune_are_user_errors(tmp_path: Path) -> None:
    config = yaml.safe_load(SPIRALS.read_text())
    config["compare"] = {"optimizers": ["adam"], "budgett": 2}
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(config))
    with pytest.raises(UserError) as info:
        trainer.compare(str(path), out=tmp_path / "out")
    assert info.value.key == "compare.budgett"
    with pytest.raises(UserError) as info:
        trainer.compare(str(SPIRALS), "adam", out=tmp_path / "o2", budget=3)
    assert info.value.key == "budget"


def test_without_matplotlib_compare_still_writes_the_csvs_and_says_why(tmp_path: Path, monkeypatch) -> None:
    import sys

    monkeypatch.setattr(sys.modules["trainer.experiments.compare"], "plot_available", lambda: False)
    outcome = run_compare(str(SPIRALS), "adam", out=tmp_path, overrides=FAST, tune="lr=1e-2:1e-1:log", budget=2)
    assert outcome.notes and "matplotlib" in outcome.notes[0]
    assert not (tmp_path / "loss_curves.png").exists()
    assert (tmp_path / "loss_curves.csv").is_file() and (tmp_path / "lr_sensitivity.csv").is_file()
