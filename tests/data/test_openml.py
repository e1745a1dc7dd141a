"""`openml`: fetch_openml by name or id with its cache folder; never the network (fetch_openml is faked here)."""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.error import URLError

import numpy as np
import pytest
import sklearn.datasets

from trainer.data import make_dataset
from trainer.errors import MissingExtra, UserError


class FakeOpenML:
    """fetch_openml answering from a dict of datasets as if they were cached, else failing like an offline machine."""

    def __init__(self, sets: dict[Any, SimpleNamespace]) -> None:
        self.sets = sets
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> SimpleNamespace:
        self.calls.append(kwargs)
        key = kwargs.get("data_id") or kwargs.get("name")
        if key == "no_such_set":
            raise ValueError("No active dataset no_such_set found.")
        if key not in self.sets:
            raise URLError("[Errno -3] Temporary failure in name resolution")
        return self.sets[key]


def mnist(n: int = 10) -> SimpleNamespace:
    rng = np.random.default_rng(0)
    return SimpleNamespace(data=rng.integers(0, 256, size=(n, 784)).astype(np.float64),
                           target=np.array([str(i % 10) for i in range(n)], dtype=object),
                           feature_names=[f"pixel{i}" for i in range(1, 785)])


def table() -> SimpleNamespace:
    return SimpleNamespace(data=np.arange(24.0).reshape(6, 4), target=np.arange(6.0), feature_names=list("abcd"))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeOpenML:
    fetch = FakeOpenML({"mnist_784": mnist(), 554: mnist(), "house": table(), 42: table()})
    monkeypatch.setattr(sklearn.datasets, "fetch_openml", fetch)
    monkeypatch.setattr(sklearn.datasets, "get_data_home", lambda: str(tmp_path / "sk_home"))
    return fetch


def test_mnist_by_name_as_images_in_the_unit_range(fake: FakeOpenML, tmp_path: Path) -> None:
    d = make_dataset("openml", {"name": "mnist_784", "shape": "image"}, classification=True, dtype="float64")
    assert d.x_train.shape == (10, 1, 28, 28) and 0 <= d.x_train.min() and d.x_train.max() <= 1
    assert np.array_equal(d.x_train.reshape(10, -1) * 255, mnist().data)
    assert d.class_names == tuple("0123456789") and d.task == "multiclass"
    call = fake.calls[-1]
    assert call["name"] == "mnist_784" and call["version"] == "active" and call["as_frame"] is False
    assert call["data_home"] == str(tmp_path / "sk_home")


def test_by_data_id_a_known_image_set_needs_no_image_shape(fake: FakeOpenML) -> None:
    d = make_dataset("openml", {"data_id": 554, "shape": "image"}, classification=True)
    assert d.input_shape == (1, 28, 28) and fake.calls[-1]["data_id"] == 554 and "name" not in fake.calls[-1]
    flat = make_dataset("openml", {"data_id": 554}, classification=True)
    assert flat.input_shape == (784,) and flat.x_train.max() <= 1  # scaled, flat or not


def test_a_table_with_an_explicit_image_shape(fake: FakeOpenML) -> None:
    d = make_dataset("openml", {"name": "house", "shape": "image", "image_shape": [1, 2, 2]}, dtype="float64")
    assert d.x_train.shape == (6, 1, 2, 2) and d.x_train.max() == 23.0  # unknown sets keep their values
    assert d.task == "regression" and d.y_train.shape == (6, 1)
    with pytest.raises(UserError) as err:
        make_dataset("openml", {"name": "house", "shape": "image", "image_shape": [1, 3, 3]})
    assert err.value.key == "data.image_shape" and "holds 9" in err.value.message


def test_numeric_labels_follow_the_loss(fake: FakeOpenML) -> None:
    d = make_dataset("openml", {"data_id": 42, "target": "y"}, classification=True)
    assert d.n_classes == 6 and fake.calls[-1]["target_column"] == "y"
    with pytest.raises(UserError, match="cannot be regression"):
        make_dataset("openml", {"name": "mnist_784", "task": "regression"})


def test_offline_names_what_was_tried_and_the_cache(fake: FakeOpenML, tmp_path: Path) -> None:
    with pytest.raises(UserError) as err:
        make_dataset("openml", {"name": "Fashion-MNIST", "data_home": "cache"}, base_dir=tmp_path)
    assert "'Fashion-MNIST'" in err.value.message and str(tmp_path / "cache") in err.value.message
    assert "name resolution" in err.value.message
    assert "machine with network access" in err.value.hint and "data.data_home" in err.value.hint
    assert fake.calls[-1]["data_home"] == str(tmp_path / "cache")
    with pytest.raises(UserError, match="data_id 40996: it is not in the cache"):
        make_dataset("openml", {"data_id": 40996})
    with pytest.raises(UserError, match="'iris' version 3: it is not in the cache folder"):
        make_dataset("openml", {"name": "iris", "version": 3})


def test_an_unknown_name_is_openml_s_answer(fake: FakeOpenML) -> None:
    with pytest.raises(UserError, match="OpenML cannot give 'no_such_set': No active dataset"):
        make_dataset("openml", {"name": "no_such_set"})


@pytest.mark.parametrize("args, key, message", [
    ({}, "data.name", "needs a name or a data_id"),
    ({"name": "a", "data_id": 1}, "data.name", "not both"),
    ({"name": "house", "image_shape": [1, 2, 2]}, "data.image_shape", "image_shape is for shape: image"),
    ({"name": "house", "shape": "image"}, "data.image_shape", "needs image_shape"),
])
def test_arguments_are_checked_before_fetching(fake: FakeOpenML, args, key, message) -> None:
    with pytest.raises(UserError, match=message) as err:
        make_dataset("openml", args)
    assert err.value.key == key and not fake.calls


def test_without_scikit_learn_the_message_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(MissingExtra, match=r"data type 'openml'") as err:
        make_dataset("openml", {"name": "mnist_784"})
    assert "pip install -e '.[datasets]'" in err.value.hint


def _gz(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as f:
        f.write(content)


def fake_cache(home: Path, name: str, data_id: int, rows: list[list[int]]) -> None:
    """What fetch_openml leaves in data_home after downloading a small dataset: OpenML's JSON answers and the
    ARFF file, each gzipped under openml/openml.org/<the URL's path>.gz."""
    root = home / "openml" / "openml.org"
    width = len(rows[0]) - 1
    arff = "\n".join(["@RELATION tiny", *(f"@ATTRIBUTE p{i} NUMERIC" for i in range(width)),
                      "@ATTRIBUTE class {a,b}", "@DATA", *(",".join([*map(str, r[:-1]), "ab"[r[-1]]]) for r in rows)])
    url = f"https://www.openml.org/data/v1/download/{data_id}/tiny.arff"
    feature = {"data_type": "numeric", "is_target": "false", "is_ignore": "false", "is_row_identifier": "false",
               "number_of_missing_values": "0"}
    features = [{**feature, "index": str(i), "name": f"p{i}"} for i in range(width)]
    features.append({**feature, "index": str(width), "name": "class", "data_type": "nominal",
                     "nominal_value": ["a", "b"], "is_target": "true"})
    answers = {
        f"api/v1/json/data/list/data_name/{name}/limit/2/status/active/":
            {"data": {"dataset": [{"did": data_id, "name": name, "version": 1, "status": "active"}]}},
        f"api/v1/json/data/{data_id}": {"data_set_description": {
            "id": str(data_id), "name": name, "version": "1", "status": "active", "format": "ARFF", "url": url,
            "md5_checksum": hashlib.md5(arff.encode()).hexdigest(), "description": "a faked dataset"}},
        f"api/v1/json/data/features/{data_id}": {"data_features": {"feature": features}},
        f"api/v1/json/data/qualities/{data_id}": {"data_qualities": {"quality": [
            {"name": "NumberOfInstances", "value": f"{len(rows)}.0"}]}},
    }
    for path, answer in answers.items():
        _gz(root / (path + ".gz"), json.dumps(answer).encode())
    _gz(root / f"data/v1/download/{data_id}/tiny.arff.gz", arff.encode())


@pytest.mark.filterwarnings("ignore:A network error occurred")
def test_the_real_fetch_openml_reads_a_cache_without_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sklearn.datasets._openml as openml_module

    def offline(*args: Any, **kwargs: Any) -> Any:
        raise URLError("no network in the tests")

    monkeypatch.setattr(openml_module, "urlopen", offline)  # every download fails, as on an offline machine
    monkeypatch.setattr(openml_module.time, "sleep", lambda seconds: None)  # its retries need not wait
    rows = [[i, 2 * i, 3 * i, 4 * i, i % 2] for i in range(6)]
    fake_cache(tmp_path / "cache", "tiny-images", 99001, rows)
    args = {"name": "tiny-images", "data_home": "cache", "shape": "image", "image_shape": [1, 2, 2]}
    d = make_dataset("openml", args, base_dir=tmp_path, dtype="float64")
    assert d.x_train.shape == (6, 1, 2, 2) and d.x_train[3].ravel().tolist() == [3, 6, 9, 12]
    assert d.class_names == ("a", "b") and list(d.y_train) == [0, 1, 0, 1, 0, 1] and d.task == "binary"
    by_id = make_dataset("openml", {"data_id": 99001, "data_home": str(tmp_path / "cache")})
    assert by_id.x_train.shape == (6, 4) and by_id.feature_names == ("p0", "p1", "p2", "p3")
    with pytest.raises(UserError, match=r"'other-set': it is not in the cache folder .*cache"):
        make_dataset("openml", {"name": "other-set", "data_home": "cache"}, base_dir=tmp_path)
