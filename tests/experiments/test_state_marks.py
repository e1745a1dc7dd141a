"""The in-flight mark's quick (not fsynced) state write holds exactly what a durable one would."""

import json

from trainer.experiments.experiment_dir import STATE, ExperimentDir


def test_start_mark_writes_the_same_state_as_a_durable_save(tmp_path):
    with ExperimentDir(tmp_path / "exp", "sweep").open() as directory:
        directory.plan({"a": "f1"}, workers=1)
        directory.start("a")
        quick = (directory.path / STATE).read_bytes()
        directory._save(durable=True)
        assert (directory.path / STATE).read_bytes() == quick
        assert json.loads(quick)["runs"]["a"]["status"] == "running"
        assert not list(directory.path.glob(f".{STATE}.*"))  # no temporary file left beside it


def test_a_deferred_mark_waits_for_the_next_save_and_flush_writes_it_once(tmp_path):
    with ExperimentDir(tmp_path / "exp", "sweep").open() as directory:
        directory.plan({"a": "f1", "b": "f2"}, workers=2)
        before = (directory.path / STATE).read_bytes()
        directory.start("a", save=False)
        assert (directory.path / STATE).read_bytes() == before
        directory.flush()
        marked = (directory.path / STATE).read_bytes()
        assert json.loads(marked)["runs"]["a"]["status"] == "running"
        directory.flush()  # nothing new: not rewritten
        assert (directory.path / STATE).read_bytes() == marked
        directory.start("b", save=False)
        directory.record("a", {"status": "completed", "fingerprint": "f1"})  # the outcome's save carries b's mark
        runs = json.loads((directory.path / STATE).read_bytes())["runs"]
        assert runs["a"]["status"] == "completed" and runs["b"]["status"] == "running"


def test_the_state_written_from_cached_lines_is_the_state_encoded_afresh(tmp_path):
    from trainer.experiments.experiment_dir import _VERSION, EXPERIMENT, state_text

    with ExperimentDir(tmp_path / "exp", "sweep").open() as directory:
        directory.plan({k: f"f{k}" for k in "abc"}, workers=2)
        for step, key in enumerate("abc"):
            directory.start(key)
            if step:
                directory.record("abc"[step - 1], {"status": "failed", "error": f"e{step}", "fingerprint": "x"})
            fresh = state_text({"kind": "sweep", "version": _VERSION, EXPERIMENT: directory.facts,
                                "runs": directory.runs})
            assert (directory.path / STATE).read_text() == fresh
        directory.close()
        fresh = state_text({"kind": "sweep", "version": _VERSION, EXPERIMENT: directory.facts, "runs": directory.runs})
        assert (directory.path / STATE).read_text() == fresh and "running" not in fresh
