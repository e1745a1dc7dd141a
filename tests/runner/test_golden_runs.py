"""The files of a run are what they were before the loop was made faster: golden digests per config.

golden_runs.json was computed with the readable loop (every metric its own pass, a fresh copy of the
state every epoch, one fsync per write); `seconds`, wall times and paths are left out of the digests.
"""

from __future__ import annotations

import json

import pytest

from .golden_runs import CASES, GOLDEN, digest_run_dir, run_case


@pytest.mark.parametrize("name", sorted(CASES))
def test_run_files_match_the_golden_digests(name, tmp_path):
    golden = json.loads(GOLDEN.read_text())[name]
    assert run_case(name, tmp_path / name) == golden


def test_the_digests_see_a_changed_value(tmp_path):
    run_case("seed", tmp_path / "run")
    before = digest_run_dir(tmp_path / "run")
    path = tmp_path / "run" / "metrics.csv"
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[1], "0.5", 1)
    path.write_text("\n".join(lines) + "\n")
    assert digest_run_dir(tmp_path / "run")["metrics.csv"] != before["metrics.csv"]
