"""`benchmark(SUITE)`: problems × optimizers tuned and scored; files, reruns, Dask, suite errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

import trainer
from trainer.errors import UserError
from trainer.experiments.benchmark import run_benchmark
from trainer.experiments.suite import load_suite

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "configs"


def _suite(tmp_path: Path, **changes) -> Path:
    suite = {"name": "tiny", "optimizers": ["adam", "sgd"], "tune": {"lr": "1e-2:1e-1:log"}, "budget": 2,
             "seeds": 2, "problems": [
                 {"name": "quadratic", "config": str(CONFIGS / "noisy_linear_regression.yaml"), "target": 1.0,
                  "set": ["training.epochs=6"]},
                 {"name": "moons", "config": str(CONFIGS / "moons_binary.yaml"), "target": 0.4,
                  "set": ["training.epochs=6"]}]}
    suite.update(changes)
    path = tmp_path / "suite.yaml"
    path.write_text(yaml.safe_dump(suite))
    return path


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    suite = _suite(tmp)
    return suite, run_benchmark(suite, jobs=2, out=tmp / "out")


def test_it_writes_scores_ratios_profile_and_summary(bench) -> None:
    import matplotlib.image

    _, outcome = bench
    d = outcome.directory
    scores = _csv(d / "scores.csv")
    assert {r["optimizer"] for r in scores} == {"adam", "sgd"}
    assert all(0.0 <= float(r["score_time"]) <= 1.0 and 0.0 <= float(r["score_final"]) <= 1.0 for r in scores)
    ratios = _csv(d / "ratios.csv")
    assert len(ratios) == 4
    for problem in ("quadratic", "moons"):
        mine = [r for r in ratios if r["problem"] == problem]
        assert min(float(r["final_ratio"]) for r in mine) == 1.0
        assert (d / "problems" / problem / "results.csv").is_file()
    assert matplotlib.image.imread(d / "profile.png").shape[0] > 100
    assert {"version", "optimizer", "tau", "rho"} <= set(_csv(d / "profile.csv")[0])
    summary = (d / "summary.md").read_text()
    assert "## Scores" in summary and "## quadratic" in summary and "## moons" in summary


def test_a_rerun_reuses_every_run(bench, tmp_path: Path) -> None:
    suite, outcome = bench
    events = []
    again = run_benchmark(suite, jobs=2, out=outcome.directory, progress=events.append)
    assert not [e for e in events if e.kind == "finished"]
    assert again.scores == outcome.scores


def test_dask_gives_the_same_scores(bench, dask_address: str, tmp_path: Path) -> None:
    suite, outcome = bench
    scores = trainer.benchmark(suite, out=tmp_path / "dask", executor="dask", address=dask_address)
    strip = lambda rows: [(r["optimizer"], r["score_final"]) for r in rows]
    assert sorted(strip(scores)) == sorted(strip(outcome.scores))


@pytest.mark.parametrize(("changes", "key"), [
    ({"problems": [{"config": "nope.yaml", "target": 1}]}, "problems.0.config"),
    ({"problems": [{"config": str(CONFIGS / "seed.yaml")}]}, "problems.0.target"),
    ({"budget": 0}, "budget"),
    ({"time": "hours"}, "time"),
    ({"optimizer": ["adam"]}, "optimizer"),
])
def test_suite_mistakes_name_the_file_and_key(tmp_path: Path, changes, key) -> None:
    path = _suite(tmp_path, **changes)
    with pytest.raises(UserError) as info:
        load_suite(path)
    assert info.value.key == key and info.value.file == str(path)


def test_the_shipped_suite_loads() -> None:
    suite = load_suite(CONFIGS / "suites" / "small.yaml")
    assert len(suite.problems) >= 3 and len(suite.optimizers) == 4
