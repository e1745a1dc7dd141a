"""`trainer.save` / `trainer.load`: safe round trips of tensors, state dicts and containers; pickles only on request."""

from __future__ import annotations

import io
import pickle
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest

import trainer
from trainer import nn


def _roundtrip(obj: object, **kwargs: object) -> object:
    buffer = io.BytesIO()
    trainer.save(obj, buffer)
    buffer.seek(0)
    return trainer.load(buffer, **kwargs)


def test_state_dicts_round_trip_with_order_dtypes_and_shapes(tmp_path: Path) -> None:
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1)).double()
    state = model.state_dict()
    trainer.save(state, tmp_path / "model.pt")
    loaded = trainer.load(tmp_path / "model.pt")
    assert isinstance(loaded, OrderedDict) and list(loaded) == list(state)
    for key, value in state.items():
        assert loaded[key].dtype == value.dtype and loaded[key].shape == value.shape
        np.testing.assert_array_equal(loaded[key]._array, value._array)
    assert loaded["1.num_batches_tracked"].dtype == trainer.int64
    fresh = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1)).double()
    fresh.load_state_dict(loaded)
    np.testing.assert_array_equal(fresh[0].weight._array, model[0].weight._array)


def test_optimizer_state_dict_round_trips_and_resumes_identically() -> None:
    w = nn.Parameter(trainer.tensor([1.0, -2.0]))
    opt = trainer.optim.Adam([w], lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    state = _roundtrip(opt.state_dict())
    assert list(state) == ["state", "param_groups"] and list(state["state"]) == [0]
    assert state["param_groups"][0]["betas"] == (0.9, 0.999) and state["param_groups"][0]["fused"] is None
    w2 = nn.Parameter(trainer.tensor(w._array.copy()))
    opt2 = trainer.optim.Adam([w2], lr=0.1)
    opt2.load_state_dict(state)
    for o, p in ((opt, w), (opt2, w2)):
        o.zero_grad()
        (p * p).sum().backward()
        o.step()
    np.testing.assert_array_equal(w._array, w2._array)


def test_tensors_parameters_and_plain_values() -> None:
    t = trainer.tensor([1.0, 2.0], requires_grad=True)
    p = nn.Parameter(trainer.zeros(2, 2, dtype=trainer.float64), requires_grad=False)
    obj = {"t": t, "p": p, 3: (1, 2.5, "s", None, True), "list": [np.arange(3), np.float32(1.5)],
           "dtype": trainer.float16, "nan": float("nan"), "shared": [t, t]}
    out = _roundtrip(obj)
    assert out["t"].requires_grad and not isinstance(out["t"], nn.Parameter)
    assert isinstance(out["p"], nn.Parameter) and not out["p"].requires_grad and out["p"].dtype == trainer.float64
    assert out[3] == (1, 2.5, "s", None, True) and isinstance(out[3], tuple)
    assert out["list"][0].tolist() == [0, 1, 2] and out["list"][1] == np.float32(1.5)
    assert out["dtype"] == trainer.float16 and np.isnan(out["nan"])
    assert out["shared"][0] is out["shared"][1]
    assert _roundtrip(trainer.tensor(3)).item() == 3


def test_the_file_is_a_zip_of_json_and_npy_without_pickles() -> None:
    buffer = io.BytesIO()
    trainer.save(nn.Linear(2, 1).state_dict(), buffer)
    names = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).namelist()
    assert "archive/data.json" in names and not any(n.endswith(".pkl") for n in names)


def test_whole_modules_need_weights_only_false() -> None:
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    buffer = io.BytesIO()
    trainer.save(model, buffer)
    buffer.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="(?s)Weights only load failed.*weights_only"):
        trainer.load(buffer)
    buffer.seek(0)
    loaded = trainer.load(buffer, weights_only=False)
    assert repr(loaded) == repr(model)
    np.testing.assert_array_equal(loaded[0].weight._array, model[0].weight._array)


def test_map_location_is_checked() -> None:
    state = nn.Linear(1, 1).state_dict()
    for location in ("cpu", {"cuda:0": "cpu"}, lambda storage, loc: storage):
        assert list(_roundtrip(state, map_location=location)) == ["weight", "bias"]
    with pytest.raises(RuntimeError, match="only the 'cpu' device exists"):
        _roundtrip(state, map_location="cuda")
    with pytest.raises(pickle.UnpicklingError, match="not a file written by trainer.save"):
        trainer.load(io.BytesIO(b"not a zip"))
