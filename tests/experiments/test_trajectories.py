"""`compare` on a 2-D objective writes trajectories.png, .gif and .csv: readable files holding every path."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from matplotlib.image import imread
from PIL import Image

import trainer
from trainer.build import make_objective
from trainer.config import load_config
from trainer.experiments.records import RunRecord, RunSpec
from trainer.experiments.trajectories import Path2D, paths, window

CONFIG = {"name": "rb", "objective": {"type": "rosenbrock"}, "optimizer": {"type": "adam", "lr": 0.2},
          "training": {"epochs": 30, "log_every": 30}}


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_compare_writes_readable_trajectories(tmp_path):
    out = tmp_path / "cmp"
    rows = trainer.compare(CONFIG, optimizers="adam,sgd:lr=0.0005", seeds=2, out=out, jobs=1)
    assert {r["variant"] for r in rows} == {"adam", "sgd:lr=0.0005"}
    png = imread(out / "trajectories.png")
    assert png.ndim == 3 and png.shape[0] > 300 and png.shape[2] in (3, 4)
    with Image.open(out / "trajectories.gif") as gif:
        assert gif.format == "GIF" and gif.n_frames == 31  # the start and each of 30 steps (at most 40 frames)
    table = read_csv(out / "trajectories.csv")
    assert list(table[0]) == ["variant", "seed", "step", "x", "y", "f"]
    assert len(table) == 2 * 2 * 31
    assert table[0] == {"variant": "adam", "seed": "0", "step": "0", "x": "-2.0", "y": "2.0", "f": "409.0"}
    run = read_csv(out / "runs" / "adam-seed0" / "metrics.csv")
    adam = [r for r in table if r["variant"] == "adam" and r["seed"] == "0"]
    assert [(r["x"], r["y"], r["f"]) for r in adam[1:]] == [(r["x"], r["y"], r["f"]) for r in run]
    before = (out / "trajectories.csv").read_bytes()
    trainer.compare(CONFIG, optimizers="adam,sgd:lr=0.0005", seeds=2, out=out, jobs=1)  # reuses every run
    assert (out / "trajectories.csv").read_bytes() == before


@pytest.mark.parametrize(("dimension", "written"), [(2, True), (3, False)])
def test_only_2d_objectives_get_trajectories(tmp_path, dimension, written):
    config = {**CONFIG, "objective": {"type": "quadratic", "dimension": dimension}, "training": {"epochs": 5}}
    trainer.compare(config, optimizers="adam,sgd", out=tmp_path / "cmp", jobs=1)
    assert (tmp_path / "cmp" / "trajectories.png").exists() is written
    assert (tmp_path / "cmp" / "trajectories.gif").exists() is written
    assert (tmp_path / "cmp" / "loss_curves.png").exists()


def test_a_path_stops_at_its_first_non_finite_point_and_cannot_blow_up_the_window():
    history = [{"epoch": 1, "x": -1.0, "y": 1.0, "f": 4.0}, {"epoch": 2, "x": 1e30, "y": -1e30, "f": 1e120},
               {"epoch": 3, "x": float("nan"), "y": None, "f": None}]
    record = RunRecord(RunSpec("sgd-seed0", "sgd", 0, {}, "sgd"), "diverged", history=history)
    (path,) = paths([record], [-2.0, 2.0], 409.0)
    assert path.xy.tolist() == [[-2.0, 2.0], [-1.0, 1.0], [1e30, -1e30]]
    objective = make_objective(load_config(CONFIG))
    x0, x1, y0, y1 = window(objective, [path])
    assert -10 < x0 < -2 and 1 < x1 < 10 and -10 < y0 < 1 and 2 < y1 < 10


def test_himmelblau_window_holds_all_four_minima():
    objective = make_objective(load_config({**CONFIG, "objective": {"type": "himmelblau"}}))
    x0, x1, y0, y1 = window(objective, [Path2D("adam", 0, np.asarray([[0.0, -4.0]]), np.asarray([306.0]))])
    for p in objective.minima:
        assert x0 < p.point[0] < x1 and y0 < p.point[1] < y1


def test_the_legend_names_each_kind_of_point_once():
    from trainer.experiments.trajectories import _figure

    objective = make_objective(load_config({**CONFIG, "objective": {"type": "himmelblau"}}))
    _, ax = _figure(objective, [], "t", (4, 3), 50)
    assert ax.get_legend_handles_labels()[1] == ["global minimum", "maximum"]
