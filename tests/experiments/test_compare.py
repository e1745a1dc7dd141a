"""`trainer.compare` on the seed config: fairness, rows, files, plot, seeds, the compare: list, reruns."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

import trainer
from trainer.errors import UserError
from trainer.experiments.compare import run_compare
from trainer.experiments.jobs import Event

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"
FAST = ("training.epochs=6",)
FOUR = ["adam", "sgd:lr=0.0001", "rmsprop:lr=0.01", "adagrad"]


@pytest.fixture(scope="module")
def four(tmp_path_factory: pytest.TempPathFactory):
    """One comparison of four optimizers on the seed config, shared by the tests that read it."""
    out = tmp_path_factory.mktemp("compare")
    return run_compare(str(SEED), FOUR, jobs=2, out=out, overrides=FAST, threshold=300.0)


def first_losses(outcome) -> dict[str, float]:
    return {r.spec.group: r.history[0]["train_loss"] for r in outcome.records}


def test_every_variant_starts_from_the_same_first_epoch_loss(four) -> None:
    losses = first_losses(four)
    assert set(losses) == set(FOUR)
    assert len(set(losses.values())) == 1
    finals = {row["variant"]: row["final_train_loss"] for row in four.rows}
    assert len(set(finals.values())) == len(FOUR)  # and then they part ways


def test_only_the_optimizer_block_differs(four) -> None:
    configs = {r.spec.group: yaml.safe_load((Path(r.run_dir) / "config.yaml").read_text()) for r in four.records}
    optimizers = {k: c.pop("optimizer") for k, c in configs.items()}
    assert all(c == configs["adam"] for c in configs.values())
    assert optimizers["adam"]["type"] == "adam" and optimizers["adam"]["lr"] == 0.08  # the config's own settings
    assert optimizers["adagrad"]["lr"] == 0.08  # another type inherits the config's lr
    assert optimizers["sgd:lr=0.0001"]["lr"] == 0.0001


def test_rows_are_sorted_best_first_and_written_as_csv_and_json(four) -> None:
    rows = four.rows
    finals = [row["final_train_loss"] for row in rows]
    assert finals == sorted(finals)
    assert all(row["status"] == "completed" and row["runs"] == 1 for row in rows)
    for key in ("best_train_loss", "best_train_loss_epoch", "epochs_run", "wall_time", "epochs_to_threshold"):
        assert key in rows[0]
    assert json.loads((four.directory / "results.json").read_text()) == rows
    with open(four.directory / "results.csv", newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["variant"] for r in table] == [r["variant"] for r in rows]
    assert [float(r["final_train_loss"]) for r in table] == finals


def test_each_variant_has_a_full_run_directory(four) -> None:
    names = sorted(p.name for p in (four.directory / "runs").iterdir())
    assert names == sorted(["adam", "sgd-lr=0.0001", "rmsprop-lr=0.01", "adagrad"])
    for name in names:
        run = four.directory / "runs" / name
        assert {"config.yaml", "metrics.csv", "summary.json", "model.npz"} <= {p.name for p in run.iterdir()}
        summary = json.loads((run / "summary.json").read_text())
        assert summary["status"] == "completed" and summary["run_dir"] == str(run.resolve())


def test_the_plot_is_a_png_that_opens(four) -> None:
    import matplotlib.image

    path = four.directory / "loss_curves.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.image.imread(path).shape[2] in (3, 4)


def test_threshold_counts_epochs(four) -> None:
    for row, record in zip(four.rows, sorted(four.records, key=lambda r: [x["variant"] for x in four.rows]
                                             .index(r.spec.group))):
        reached = [h["epoch"] for h in record.history if h["train_loss"] <= 300.0]
        assert row["epochs_to_threshold"] == (reached[0] if reached else None)


def test_a_rerun_reuses_every_finished_run(four) -> None:
    events: list[Event] = []
    again = run_compare(str(SEED), FOUR, jobs=2, out=four.directory, overrides=FAST, threshold=300.0,
                        progress=events.append)
    assert [e.kind for e in events].count("reused") == 4 and "finished" not in [e.kind for e in events]
    strip = lambda rows: [{k: v for k, v in r.items() if k != "wall_time"} for r in rows]
    assert strip(again.rows) == strip(four.rows)


def test_several_seeds_give_mean_and_std_and_fair_starts_per_seed(tmp_path: Path) -> None:
    outcome = run_compare(str(SEED), ["adam", "rmsprop:lr=0.01"], seeds=2, jobs=2, out=tmp_path, overrides=FAST)
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == [
        "adam-seed0", "adam-seed1", "rmsprop-lr=0.01-seed0", "rmsprop-lr=0.01-seed1"]
    by_seed: dict[int, set[float]] = {}
    for record in outcome.records:
        by_seed.setdefault(record.spec.seed, set()).add(record.history[0]["train_loss"])
    assert all(len(v) == 1 for v in by_seed.values()) and by_seed[0] != by_seed[1]
    row = outcome.rows[0]
    assert row["runs"] == 2 and row["seeds"] == [0, 1]
    assert row["final_train_loss_std"] is not None and row["final_train_loss_std"] > 0


def test_a_compare_list_in_the_config_compares_one_optimizer_at_two_rates(tmp_path: Path) -> None:
    raw = yaml.safe_load(SEED.read_text())
    raw["compare"] = [{"optimizer": {"type": "adam", "lr": 0.01}},
                      {"name": "fast", "optimizer": {"type": "adam", "lr": 0.1}}]
    path = tmp_path / "cmp.yaml"
    path.write_text(yaml.safe_dump(raw))
    rows = trainer.compare(str(path), jobs=2, out=tmp_path / "out", overrides=FAST)
    assert sorted(r["variant"] for r in rows) == ["adam:lr=0.01", "fast"]


def test_bad_variants_are_user_errors_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="adamm"):
        trainer.compare(str(SEED), ["adam", "adamm"], out=tmp_path / "x", overrides=FAST)
    with pytest.raises(UserError, match="lr"):
        trainer.compare(str(SEED), ["sgd:lr=-1"], out=tmp_path / "y", overrides=FAST)
    with pytest.raises(UserError, match="no optimizers"):
        trainer.compare(str(SEED), out=tmp_path / "z", overrides=FAST)
    assert not (tmp_path / "x" / "runs").exists() or not any((tmp_path / "x" / "runs").iterdir())
