"""A pruned TPE search through a real `distributed` scheduler with two worker processes on loopback:
the runs' reports reach the study in this process, pruned trials stop early, and the points are the
ones a local single-worker sweep proposes."""

from __future__ import annotations

import json
from pathlib import Path

from trainer.experiments.sweep import SearchFlags, run_sweep

ROOT = Path(__file__).resolve().parents[2]
SPIRALS = str(ROOT / "configs" / "spirals.yaml")
SMALL = ("training.epochs=4", "data.n=90")
RANGES = {"optimizer.lr": "1e-4:1e-1:log", "model.layers.0.out_features": "8:64"}
FLAGS = SearchFlags(search="tpe", trials=8, prune="median", prune_options={"n_startup_trials": 2})


def trials(out: Path) -> list[tuple]:
    data = json.loads((out / "study.json").read_text())
    return [(t["params"], t["status"], t["pruned_at"]) for t in data["trials"]]


def test_a_pruned_search_on_dask_matches_the_local_one(dask_address: str, tmp_path: Path) -> None:
    on_dask = run_sweep(SPIRALS, ranges=RANGES, out=tmp_path / "dask", overrides=SMALL, executor="dask",
                        address=dask_address, flags=FLAGS)
    run_sweep(SPIRALS, ranges=RANGES, out=tmp_path / "local", overrides=SMALL, jobs=1, flags=FLAGS)
    found = trials(tmp_path / "dask")
    assert len(found) == 8 and {status for _, status, _ in found} == {"completed", "pruned"}
    assert found == trials(tmp_path / "local")
    pruned = [r for r in on_dask.records if r.status == "pruned"]
    assert pruned and all(r.summary["epochs_run"] < 4 for r in pruned)
    assert all((Path(r.run_dir) / "metrics.csv").is_file() for r in pruned)  # kept, not failures
