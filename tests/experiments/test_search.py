"""Model-based sweeps: the Done-when sweep (TPE + median pruning on two workers) against 30 random trials,
a rerun that runs nothing, a bigger budget that adds exactly the difference, and the resume contract."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from trainer.errors import UserError
from trainer.experiments.jobs import Event
from trainer.experiments.search_file import STUDY_FILE
from trainer.experiments.study import JOURNAL
from trainer.experiments.sweep import SearchFlags, run_sweep

ROOT = Path(__file__).resolve().parents[2]
SPIRALS = str(ROOT / "configs" / "spirals.yaml")
SMALL = ("training.epochs=5", "data.n=120")  # seconds, not minutes: 5 epochs on 120 points
RANGES = {"optimizer.lr": "1e-4:1e-1:log", "model.layers.0.out_features": "8:128"}


def search(out: Path, trials: int, *, jobs: int = 2, events: list[Event] | None = None, overrides=SMALL,
           ranges=RANGES, **flags) -> object:
    flags = {"search": "tpe", "trials": trials, "prune": "median", **flags}
    return run_sweep(SPIRALS, ranges=ranges, jobs=jobs, out=out, overrides=overrides,
                     progress=events.append if events is not None else None, flags=SearchFlags(**flags))


def study(out: Path) -> dict:
    return json.loads((out / STUDY_FILE).read_text())


@pytest.fixture(scope="module")
def done_when(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Done-when sweep: TPE, 30 trials, median pruning, two workers."""
    out = tmp_path_factory.mktemp("tpe") / "sweep"
    search(out, 30)
    return out


def test_tpe_prunes_some_trials_and_is_at_least_as_good_as_30_random_trials(done_when: Path, tmp_path: Path) -> None:
    data = study(done_when)
    statuses = [t["status"] for t in data["trials"]]
    assert len(statuses) == 30 and set(statuses) <= {"completed", "pruned"}
    assert 0 < statuses.count("pruned") < 30
    random = run_sweep(SPIRALS, ranges=RANGES, jobs=2, out=tmp_path / "random", overrides=SMALL,
                       flags=SearchFlags(search="random", trials=30))
    best_random = min(r["final_val_loss"] for r in random.rows if r["status"] == "completed")
    assert len(random.rows) == 30
    assert data["best"]["objective"] <= best_random
    rows = json.loads((done_when / "results.json").read_text())
    assert [r["trial"] for r in rows][:1] == [data["best"]["trial"]]
    assert {r["status"] for r in rows[-statuses.count("pruned"):]} == {"pruned"}  # ranked after the completed
    assert (done_when / "search_history.png").stat().st_size > 0
    importance = (done_when / "importance.csv").read_text().splitlines()
    assert importance[0] == "key,importance" and len(importance) == 3


def test_the_same_command_again_runs_nothing_and_a_bigger_budget_adds_exactly_the_difference(done_when: Path) -> None:
    before = study(done_when)["trials"]
    events: list[Event] = []
    search(done_when, 30, events=events)
    assert [e.kind for e in events] == ["start"] and events[0].done == events[0].total == 30
    assert study(done_when)["trials"] == before
    events.clear()
    search(done_when, 40, events=events)
    assert sum(e.kind == "finished" for e in events) == 10
    after = study(done_when)
    assert after["budget"] == 40 and len(after["trials"]) == 40
    assert [t["params"] for t in after["trials"][:30]] == [t["params"] for t in before]
    assert {t["status"] for t in after["trials"]} <= {"completed", "pruned"}


def test_one_and_two_workers_propose_the_same_points_and_prune_the_same_trials(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    search(one, 10, jobs=1)
    search(two, 10, jobs=2)
    picked = lambda out: [(t["params"], t["status"], t["pruned_at"]) for t in study(out)["trials"]]
    assert picked(one) == picked(two)
    assert any(status == "pruned" for _, status, _ in picked(one))


def test_a_changed_config_or_space_is_refused_and_force_starts_a_new_study_beside(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    search(out, 1, prune=None, jobs=1)
    with pytest.raises(UserError, match="the config changed"):
        search(out, 1, prune=None, overrides=(*SMALL, "optimizer.type=sgd"))
    with pytest.raises(UserError, match=r"search space of optimizer.lr changed") as info:
        search(out, 1, prune=None, ranges={**RANGES, "optimizer.lr": "1e-3:1e-1:log"})
    assert "--force" in info.value.hint
    with pytest.raises(UserError, match=r"prune changed"):
        search(out, 1)
    outcome = search(out, 1, prune=None, ranges={**RANGES, "optimizer.lr": "1e-3:1e-1:log"}, force=True, jobs=1)
    assert outcome.directory == tmp_path / "sweep-2" and len(study(tmp_path / "sweep-2")["trials"]) == 1
    assert study(out)["space"]["optimizer.lr"]["low"] == 1e-4  # the old study is untouched


def test_failed_trials_stay_failed_until_retry_failed_runs_their_points_again(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    search(out, 2, prune=None, metric="no_such_column", jobs=2)
    first = study(out)["trials"]
    assert [t["status"] for t in first] == ["failed", "failed"] and "no_such_column" in first[0]["error"]
    events: list[Event] = []
    search(out, 2, prune=None, metric="no_such_column", events=events)
    assert [e.kind for e in events] == ["start"]
    search(out, 2, prune=None, metric="no_such_column", retry_failed=True, jobs=2)
    again = study(out)["trials"]
    assert [t["params"] for t in again] == [t["params"] for t in first]
    assert [t["asked"] for t in again] == [2, 2] and again[0]["number"] != first[0]["number"]


def test_a_study_file_records_what_a_status_command_needs(done_when: Path) -> None:
    data = study(done_when)
    assert data["kind"] == "search" and data["journal"] == JOURNAL and (done_when / JOURNAL).is_file()
    assert data["settings"]["direction"] == "minimize" and data["settings"]["metric"] is None
    assert data["settings"]["prune"]["type"] == "median"
    trial = data["trials"][0]
    assert {"trial", "number", "params", "status", "objective", "started", "ended", "runs"} <= set(trial)
    completed = [t for t in data["trials"] if t["status"] == "completed"]
    assert all(math.isfinite(t["objective"]) for t in completed)
    assert data["best"]["objective"] == min(t["objective"] for t in completed)


def test_settings_mistakes_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="needs a budget"):
        run_sweep(SPIRALS, ranges=RANGES, out=tmp_path, flags=SearchFlags(search="tpe"))
    with pytest.raises(UserError, match="applies only to a model-based search"):
        run_sweep(SPIRALS, ranges=RANGES, out=tmp_path, flags=SearchFlags(search="random", trials=2, prune="median"))
    with pytest.raises(UserError, match="has no setting 'patience'"):
        search(tmp_path, 2, prune_options={"patience": 3})
    with pytest.raises(UserError, match="unknown pruner"):
        search(tmp_path, 2, prune="sometimes")
    with pytest.raises(UserError, match="direction is minimize or maximize"):
        search(tmp_path, 2, direction="down")
