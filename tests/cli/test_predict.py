"""`trainer predict` and `trainer evaluate` on a trained run directory."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from typer.testing import CliRunner

import trainer
from trainer.cli.app import app
from trainer.data import spirals

from .helpers import CONFIGS, FORCE_VARS, invoke, metrics_rows

NEW = spirals(np.random.default_rng(7), n=30)  # new rows from the data generator


def table(columns: dict[str, list]) -> str:
    names = list(columns)
    rows = zip(*columns.values())
    return "\n".join([",".join(names), *(",".join(map(repr, map(float, row))) for row in rows)]) + "\n"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli-predict") / "r"
    result = invoke("run", CONFIGS / "spirals.yaml", "--out", out, "-q")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def new_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "new.csv"
    path.write_text(table({"x0": NEW.x[:, 0], "x1": NEW.x[:, 1]}))
    return path


def test_predict_prints_one_class_per_row(run, new_csv):
    result = invoke("predict", run, new_csv)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 30 and set(lines) <= {"0", "1", "2"}
    assert lines == list(trainer.load_run(run).predict(NEW.x))  # the Python API gives the same
    assert np.mean(np.array(lines) == NEW.y.astype(str)) > 0.8


def test_columns_in_any_order_and_the_target_column_are_fine(run, new_csv, tmp_path):
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text(table({"y": NEW.y, "x1": NEW.x[:, 1], "x0": NEW.x[:, 0]}))
    assert invoke("predict", run, shuffled).stdout == invoke("predict", run, new_csv).stdout


def test_proba_gives_one_column_per_class_named_by_the_labels(run, new_csv):
    result = invoke("predict", run, new_csv, "--proba")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["0", "1", "2"] and len(rows) == 31
    proba = np.array(rows[1:], dtype=np.float64)
    assert np.allclose(proba.sum(1), 1, atol=1e-6)
    labels = invoke("predict", run, new_csv).stdout.splitlines()
    assert [rows[0][i] for i in proba.argmax(1)] == labels


def test_out_writes_csv_with_a_header(run, new_csv, tmp_path):
    out = tmp_path / "pred.csv"
    result = invoke("predict", run, new_csv, "--out", out)
    assert result.exit_code == 0 and result.stdout == ""
    lines = out.read_text().splitlines()
    assert lines[0] == "y" and lines[1:] == invoke("predict", run, new_csv).stdout.splitlines()
    invoke("predict", run, new_csv, "--out", out, "--proba")
    assert out.read_text().splitlines()[0] == "0,1,2"
    bad = invoke("predict", run, new_csv, "--out", tmp_path / "missing" / "dir" / "p.csv")
    assert bad.exit_code == 2 and "--out" in bad.stderr


def test_npz_and_stdin_give_the_same_predictions(run, new_csv, tmp_path):
    expected = invoke("predict", run, new_csv).stdout
    np.savez(tmp_path / "new.npz", x=NEW.x)
    assert invoke("predict", run, tmp_path / "new.npz").stdout == expected
    piped = CliRunner().invoke(app, ["predict", str(run), "-"], input=new_csv.read_text(),
                               env=dict.fromkeys(FORCE_VARS))
    assert piped.exit_code == 0 and piped.stdout == expected
    np.savez(tmp_path / "wide.npz", x=np.zeros((2, 3)))
    wide = invoke("predict", run, tmp_path / "wide.npz")
    assert wide.exit_code == 2 and "do not fit the model" in wide.stderr


def test_mismatched_columns_are_refused_naming_them(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x0,z,w\n1,2,3\n")
    result = invoke("predict", run, bad)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "missing column x1" in result.stderr and "unknown columns z, w" in result.stderr
    assert str(bad) in result.stderr and "trained on x0, x1" in result.stderr


def test_evaluate_reproduces_the_final_validation_metrics(run):
    last = metrics_rows(run)[-1]
    result = invoke("evaluate", run, "--json")
    assert result.exit_code == 0, result.output
    values = json.loads(result.stdout)
    assert repr(values["val_loss"]) == last["val_loss"] and repr(values["val_accuracy"]) == last["val_accuracy"]
    text = invoke("evaluate", run).stdout
    assert f"val_loss      {last['val_loss']}" in text and "validation" in text


def test_evaluate_on_new_labelled_data(run, tmp_path):
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(table({"x0": NEW.x[:, 0], "x1": NEW.x[:, 1], "y": NEW.y}))
    values = json.loads(invoke("evaluate", run, labelled, "--json").stdout)
    predicted = np.array(trainer.load_run(run).predict(NEW.x))
    assert values["rows"] == 30 and values["accuracy"] == np.mean(predicted == NEW.y.astype(str))
    assert values["loss"] > 0
    np.savez(tmp_path / "labelled.npz", x=NEW.x, y=NEW.y)
    assert json.loads(invoke("evaluate", run, tmp_path / "labelled.npz", "--json").stdout)["loss"] == values["loss"]
    np.savez(tmp_path / "unlabelled.npz", x=NEW.x)
    unlabelled = invoke("evaluate", run, tmp_path / "unlabelled.npz")
    assert unlabelled.exit_code == 2 and "no array 'y'" in unlabelled.stderr
    missing = invoke("evaluate", run, tmp_path / "missing.csv")
    assert missing.exit_code == 2 and "not found" in missing.stderr


def test_evaluate_needs_targets_and_a_validation_split(run, new_csv, tmp_path):
    result = invoke("evaluate", run, new_csv)
    assert result.exit_code == 2 and "no target column 'y'" in result.stderr
    no_val = tmp_path / "noval"
    assert invoke("run", CONFIGS / "seed.yaml", "--out", no_val, "-q", "--set", "training.epochs=2").exit_code == 0
    result = invoke("evaluate", no_val)
    assert result.exit_code == 2 and "no validation split" in result.stderr and "DATA" in result.stderr


def test_regression_prints_values_named_by_the_target(tmp_path):
    out = tmp_path / "plants"
    assert invoke("run", CONFIGS / "csv_regression.yaml", "--out", out, "-q", "--set", "training.epochs=20"
                  ).exit_code == 0
    plants = CONFIGS / "data" / "plants.csv"  # the training file itself: the target column is ignored
    result = invoke("predict", out, plants)
    assert result.exit_code == 0, result.output
    values = np.array(result.stdout.splitlines(), dtype=np.float32)  # float32 values, written exactly
    raw = np.loadtxt(plants, delimiter=",", skiprows=1)
    assert len(values) == 80 and np.array_equal(values, trainer.load_run(out).predict(raw[:, :4])[:, 0])
    invoke("predict", out, plants, "--out", tmp_path / "p.csv")
    assert (tmp_path / "p.csv").read_text().splitlines()[0] == "growth_cm"
    proba = invoke("predict", out, plants, "--proba")
    assert proba.exit_code == 2 and "no class probabilities" in proba.stderr


def test_string_labels_come_back_as_labels(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((60, 2)).tolist()
    data = tmp_path / "pets.csv"
    data.write_text("a,b,kind\n" + "".join(f"{u!r},{v!r},{'cat' if u + v > 0 else 'dog'}\n" for u, v in x))
    cfg = {"name": "pets", "data": {"type": "csv", "path": str(data), "target": "kind", "standardize": True},
           "model": {"layers": [{"type": "linear", "out_features": 1}]}, "loss": {"type": "bce_with_logits"},
           "optimizer": {"type": "adam", "lr": 0.1}, "training": {"epochs": 30}}
    trainer.run(cfg, out=tmp_path / "r")
    labels = invoke("predict", tmp_path / "r", data).stdout.splitlines()
    assert set(labels) == {"cat", "dog"} and len(labels) == 60
    proba = invoke("predict", tmp_path / "r", data, "--proba").stdout.splitlines()
    assert proba[0] == "cat,dog"


def test_runs_that_cannot_predict_are_refused(tmp_path, new_csv):
    assert invoke("predict", tmp_path, new_csv).exit_code == 2
    obj = tmp_path / "obj"
    assert invoke("run", CONFIGS / "rosenbrock.yaml", "--out", obj, "-q", "--set", "training.epochs=2").exit_code == 0
    result = invoke("evaluate", obj)
    assert result.exit_code == 2 and "no model" in result.stderr
