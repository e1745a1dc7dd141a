"""The files of a run are what they were before the loop was made faster: golden files per config.

golden_runs.json was computed with the readable loop (every metric its own pass, a fresh copy of the
state every epoch, one fsync per write); `seconds`, wall times and paths are left out. On a machine of
a kind it holds digests for, every byte must match; on any machine the contents must match
golden_values.npz within float32 rounding grown over a few dozen steps (ufunc and BLAS kernels round
differently from one CPU to the next: NPY_DISABLE_CPU_FEATURES / OPENBLAS_CORETYPE variants of one
machine used at most 8 % of this tolerance). The AVX-512 kind's digests predate the batch-norm case's
bias-free Linear (a bias in front of batch norm gets no gradient but rounding noise, which Adam turns
into full-size steps, so its value was the CPU's, not the loop's); `python -m tests.runner.golden_runs`
on such a machine records them.
"""

from __future__ import annotations

import json

import pytest

from . import golden_runs

RTOL, ATOL = 1e-3, 1e-6


@pytest.mark.parametrize("name", sorted(golden_runs.CASES))
def test_run_files_match_the_golden_files(name, tmp_path):
    digests = golden_runs.run_case(name, tmp_path / name)
    contents = golden_runs.read_run_dir(tmp_path / name)
    golden_runs.assert_contents_close(contents, golden_runs.load_values(name), name, RTOL, ATOL)
    golden = json.loads(golden_runs.GOLDEN.read_text()).get(golden_runs.machine_kind(), {})
    if name in golden:
        assert digests == golden[name]


def test_the_golden_files_cover_every_case():
    golden = json.loads(golden_runs.GOLDEN.read_text())
    assert any(sorted(cases) == sorted(golden_runs.CASES) for cases in golden.values())
    assert all(set(cases) <= set(golden_runs.CASES) for cases in golden.values())
    assert all(golden_runs.load_values(name) for name in golden_runs.CASES)


def test_the_digests_see_a_changed_value(tmp_path):
    golden_runs.run_case("seed", tmp_path / "run")
    before = golden_runs.digest_run_dir(tmp_path / "run")
    path = tmp_path / "run" / "metrics.csv"
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[1], "0.5", 1)
    path.write_text("\n".join(lines) + "\n")
    assert golden_runs.digest_run_dir(tmp_path / "run")["metrics.csv"] != before["metrics.csv"]


def test_the_values_see_a_changed_value(tmp_path):
    golden_runs.run_case("seed", tmp_path / "run")
    contents = golden_runs.read_run_dir(tmp_path / "run")
    contents["model.npz"]["0.weight"][0, 0] *= 1 + 10 * RTOL
    with pytest.raises(AssertionError, match="0.weight"):
        golden_runs.assert_contents_close(contents, golden_runs.load_values("seed"), "seed", RTOL, ATOL)
