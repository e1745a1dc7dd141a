"""Atomic writes, deterministic npz bytes, the checkpoint codec and the run directory rules."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainer import Tensor
from trainer.errors import UserError
from trainer.training import atomic, codec, rundir


def test_write_bytes_replaces_atomically_and_leaves_no_temp(tmp_path):
    target = tmp_path / "summary.json"
    atomic.write_json(target, {"a": 1})
    atomic.write_json(target, {"a": 2})
    assert target.read_text() == '{\n  "a": 2\n}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]


def test_failed_write_keeps_old_file(tmp_path):
    target = tmp_path / "summary.json"
    atomic.write_json(target, {"a": 1})
    with pytest.raises(ValueError):
        atomic.write_json(target, {"a": math.nan})  # strict JSON refuses NaN before anything is written
    assert target.read_text() == '{\n  "a": 1\n}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]


def test_npz_bytes_are_deterministic_and_load_without_pickle(tmp_path):
    arrays = {"0.weight": np.arange(6, dtype=np.float32).reshape(2, 3), "0.bias": np.zeros(2, np.float64)}
    first = atomic.npz_bytes(arrays)
    assert first == atomic.npz_bytes(dict(arrays))
    path = atomic.write_npz(tmp_path / "model.npz", arrays)
    with np.load(path, allow_pickle=False) as npz:
        assert npz.files == ["0.weight", "0.bias"]
        np.testing.assert_array_equal(npz["0.weight"], arrays["0.weight"])
        assert npz["0.bias"].dtype == np.float64


def test_npz_refuses_object_arrays(tmp_path):
    with pytest.raises(TypeError):
        atomic.npz_bytes({"x": np.array([{"a": 1}], dtype=object)})


def test_codec_round_trips_nested_state():
    state = {
        "state": {0: {"step": Tensor._from_data(np.array(3.0, np.float32)),
                "exp_avg": Tensor._from_data(np.ones((2, 2), np.float32))}},
        "param_groups": [{"lr": 0.08, "betas": (0.9, 0.999), "params": [0, 1], "amsgrad": False, "x": None}],
        "scalar": np.float32(1.5),
        "big": 2**100,
        "inf": math.inf,
        "arr": np.arange(3),
    }
    text, arrays = codec.encode(state)
    back = codec.decode(text, arrays)
    assert isinstance(back["state"][0]["step"], Tensor) and back["state"][0]["step"].dtype == np.float32
    np.testing.assert_array_equal(back["state"][0]["exp_avg"].numpy(), np.ones((2, 2), np.float32))
    assert back["param_groups"][0]["betas"] == (0.9, 0.999)
    assert back["param_groups"][0]["params"] == [0, 1]
    assert back["scalar"] == np.float32(1.5) and back["scalar"].dtype == np.float32
    assert back["big"] == 2**100 and back["inf"] == math.inf
    assert back["arr"].dtype == np.arange(3).dtype


def test_codec_rejects_unknown_objects():
    with pytest.raises(TypeError):
        codec.encode({"f": lambda: 1})


def test_prepare_run_dir_refuses_a_finished_run_without_overwrite(tmp_path):
    run = rundir.prepare_run_dir(tmp_path / "r")
    (run / "summary.json").write_text("{}")
    (run / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="already holds a run") as info:
        rundir.prepare_run_dir(run)
    assert "--overwrite" in str(info.value)
    rundir.prepare_run_dir(run, overwrite=True)
    assert not (run / "summary.json").exists() and (run / "notes.txt").exists()


def test_stale_temp_files_are_removed(tmp_path):
    (tmp_path / ".checkpoint.npz.abc123.tmp").write_bytes(b"half")
    (tmp_path / ".other.tmp").write_bytes(b"not ours")
    rundir.prepare_run_dir(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.tmp"]


def test_prepare_run_dir_refuses_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(UserError, match="not a directory"):
        rundir.prepare_run_dir(tmp_path / "f")


def test_default_run_dir_shape():
    path = rundir.default_run_dir("my run/1")
    assert path.parts[0] == "runs" and path.parts[1] == "my-run-1"
    stamp, date_time, short = path.parts[2].split("-")
    assert len(stamp) == 8 and len(date_time) == 6 and len(short) == 6


def test_metrics_csv_is_exact_and_round_trips(tmp_path):
    columns = ["epoch", "train_loss", "val_loss", "lr", "seconds"]
    history = [{"epoch": 1, "train_loss": 0.1 + 0.2, "val_loss": None, "lr": 0.08, "seconds": 0.01},
               {"epoch": 2, "train_loss": math.nan, "val_loss": None, "lr": 0.08, "seconds": 0.02}]
    text = rundir.metrics_csv(columns, history)
    assert text.splitlines()[1] == "1,0.30000000000000004,,0.08,0.01"
    rundir.write_metrics(tmp_path, columns, history)
    rows = rundir.read_metrics(tmp_path / "metrics.csv")
    assert rows[0]["train_loss"] == 0.1 + 0.2 and rows[0]["val_loss"] is None and math.isnan(rows[1]["train_loss"])
