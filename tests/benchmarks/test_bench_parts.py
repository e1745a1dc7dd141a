"""The bench's parts: import-time parsing, crossovers, the scaling files, the baseline worker."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from benchmarks import scaling
from benchmarks.baseline import ROOT, BaselineEngine
from benchmarks.floor import NumpyFloor
from benchmarks.processes import group_imports, parse_importtime, process_env
from benchmarks.workloads import SEED

IMPORTTIME = """import time: self [us] | cumulative | imported package
import time:       100 |        100 |   numpy._core
import time:       400 |        500 | numpy
import time:      2000 |       2000 |     trainer.config.schema
import time:        50 |       2050 |   trainer.config
import time:        30 |       2080 | trainer
"""


def test_import_time_grouped_by_package_and_trainer_subpackage() -> None:
    modules = parse_importtime("noise\n" + IMPORTTIME)
    assert modules[0] == ("numpy._core", 100) and len(modules) == 5
    groups = group_imports(modules, top=10)
    assert groups["by_package"] == [("trainer", 2.08), ("numpy", 0.5)]
    assert groups["by_trainer_subpackage"] == [("trainer.config", 2.05), ("trainer", 0.03)]
    assert groups["total_ms"] == pytest.approx(2.58)


def test_process_env_with_and_without_bytecode_caches(tmp_path: Path) -> None:
    cached, uncached = process_env(tmp_path), process_env(None)
    assert cached["PYTHONPYCACHEPREFIX"] == str(tmp_path) and "PYTHONDONTWRITEBYTECODE" not in cached
    assert uncached["PYTHONDONTWRITEBYTECODE"] == "1" and "PYTHONPYCACHEPREFIX" not in uncached


def test_crossover_is_where_pytorch_becomes_faster() -> None:
    assert scaling.crossover([32, 128, 512], [0.2, 0.5, 0.9]) is None
    assert scaling.crossover([32, 128], [1.5, 2.0]) == 32
    x = scaling.crossover([100, 10000], [0.5, 2.0])  # log-linear: ratio 1 halfway in log x
    assert x == pytest.approx(1000)


def test_scaling_points_csv_and_png(tmp_path: Path) -> None:
    curves = scaling.curves(quick=True)
    assert [x for x, _ in curves["batch"]][-1] == 16384 and curves["width"][-1][1].sizes == (784, 2048, 2048, 10)
    point = scaling.time_point(curves["batch"][0][1], with_torch=False, point_seconds=0.05)
    assert point["engine"] > 0 and point["floor"] > 0 and point["repeats"] >= 3
    points = [{"curve": "batch", "x": 32, **point}, {"curve": "width", "x": 32, **point}]
    scaling.write_csv(points, tmp_path / "s.csv")
    rows = list(csv.DictReader((tmp_path / "s.csv").open()))
    assert rows[0]["curve"] == "batch" and float(rows[0]["engine_us"]) > 0 and rows[0]["torch_us"] == ""
    scaling.write_png({"points": points, "crossovers": {}}, tmp_path / "s.png")
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"


def test_baseline_worker_runs_another_checkouts_engine() -> None:
    baseline = BaselineEngine(ROOT)  # this checkout stands in for the old one
    try:
        assert Path(baseline.origin).is_relative_to(ROOT)
        floor = NumpyFloor(SEED).step
        assert baseline.losses("seed") == pytest.approx([floor() for _ in range(3)], rel=1e-5)
        assert baseline.block("seed", 2) > 0
    finally:
        baseline.close()


def test_baseline_worker_refuses_a_checkout_without_trainer(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="exited"):
        BaselineEngine(tmp_path)


def test_drop_own_bytecode_removes_only_trainers_caches(tmp_path: Path) -> None:
    from benchmarks.processes import drop_own_bytecode

    own = tmp_path / "trainer" / "cli" / "__pycache__"
    other = tmp_path / "site" / "numpy" / "__pycache__"
    for d in (own, other):
        d.mkdir(parents=True)
        (d / "m.cpython-311.pyc").write_bytes(b"x")
    assert drop_own_bytecode(tmp_path) == 1
    assert not own.exists() and (other / "m.cpython-311.pyc").exists()
