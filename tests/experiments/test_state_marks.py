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
