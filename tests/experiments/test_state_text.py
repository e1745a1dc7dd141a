"""state.json's text: strict JSON that reads back as the state, one run per line."""

import json
import math

import pytest

from trainer.experiments.experiment_dir import state_text


def test_state_text_reads_back_as_the_state_with_one_run_per_line():
    state = {"kind": "sweep", "version": 3, "experiment": {"planned": {"a": "f1"}, "workers": 2},
             "runs": {"a": {"status": "completed", "error": None, "seed": 1},
                      "b/c": {"status": "failed", "error": 'bad "é"\nline', "overrides": [1.5, -2]}}}
    text = state_text(state)
    assert json.loads(text) == state
    lines = text.splitlines()
    assert lines[0] == "{" and lines[-1] == "}" and text.endswith("}\n")
    assert sum(line.startswith('    "') for line in lines) == 2  # each run on a line of its own


def test_state_text_of_no_runs_and_of_non_finite_numbers():
    assert json.loads(state_text({"kind": "sweep", "runs": {}})) == {"kind": "sweep", "runs": {}}
    with pytest.raises(ValueError):  # strict JSON, as every file trainer writes
        state_text({"kind": "sweep", "runs": {"a": {"loss": math.nan}}})
