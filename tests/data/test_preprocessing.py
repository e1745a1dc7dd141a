"""preprocessing.json: what make_dataset applied, recorded exactly, and new inputs read and transformed the same way."""

from __future__ import annotations

import json

import numpy as np
import pytest

from trainer.data import make_dataset
from trainer.data.inputs import encode_classes, encode_values, read_csv, read_npz, read_table
from trainer.data.preprocessing import Preprocessing, default_names, preprocessing_of
from trainer.errors import UserError


def plants(tmp_path, rows=12):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 100, (rows, 2)).tolist()
    lines = ["a,b,label"] + [f"{u!r},{v!r},{'cat' if u > v else 'dog'}" for u, v in x]
    path = tmp_path / "pets.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, x


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_transform_reproduces_the_standardized_training_rows_bit_for_bit(tmp_path, dtype):
    path, _ = plants(tmp_path)
    args = {"path": str(path), "target": "label", "task": "classification"}
    data = make_dataset("csv", args, dtype=dtype, val_fraction=0.25, shuffle=True, standardize=True)
    raw = make_dataset("csv", args, dtype="float64", val_fraction=0.25, shuffle=True)
    pre = preprocessing_of(data, dtype)
    assert pre.mean.dtype == np.float64 and np.array_equal(pre.mean, raw.x_train.mean(0))
    for raw_x, seen in ((raw.x_train, data.x_train), (raw.x_val, data.x_val)):
        out = pre.transform(raw_x)
        assert out.dtype == np.dtype(dtype) and np.array_equal(out, seen)
    assert pre.features == ("a", "b") and pre.targets == ("label",) and pre.classes == ("cat", "dog")
    again = Preprocessing.from_dict(json.loads(pre.to_json()))
    assert np.array_equal(again.mean, pre.mean) and np.array_equal(again.std, pre.std) and again.classes == pre.classes


def test_generated_data_gets_default_names():
    data = make_dataset("spirals", {"n": 30}, val_fraction=0.2)
    pre = preprocessing_of(data, "float32")
    assert pre.features == ("x0", "x1") and pre.classes == ("0", "1", "2") and pre.mean is None
    regression = preprocessing_of(make_dataset("linear", {"n": 20, "d_in": 3, "d_out": 2}), "float32")
    assert regression.features == ("x0", "x1", "x2") and regression.targets == ("y0", "y1") and not regression.classes
    assert default_names("x", 1) == ("x",)


def test_rows_of_any_shape_with_the_right_width_take_the_model_input_shape():
    pre = Preprocessing(task="regression", dtype="float32", features=default_names("x", 4), input_shape=(1, 2, 2),
                        targets=("y",))
    out = pre.transform(np.arange(8.0).reshape(2, 4))
    assert out.shape == (2, 1, 2, 2) and np.array_equal(out.reshape(2, 4), np.arange(8.0).reshape(2, 4))
    assert pre.transform(np.zeros((3, 2, 2))).shape == (3, 1, 2, 2)
    with pytest.raises(UserError, match=r"do not fit the model"):
        pre.transform(np.zeros((2, 3)))


def test_a_damaged_file_names_its_key(tmp_path):
    pre = Preprocessing(task="binary", dtype="float32", features=("a",), input_shape=(1,), targets=("y",),
                        classes=("n", "y"))
    data = pre.to_dict()
    del data["features"]
    with pytest.raises(UserError) as err:
        Preprocessing.from_dict(data, "p.json")
    assert err.value.key == "features" and err.value.file == "p.json"
    with pytest.raises(UserError, match="has no preprocessing.json"):
        Preprocessing.read(tmp_path / "preprocessing.json")


PRE = Preprocessing(task="multiclass", dtype="float32", features=("a", "b"), input_shape=(2,), targets=("label",),
                    classes=("cat", "dog", "eel"))


def test_csv_columns_are_matched_by_name_and_the_target_is_kept_apart(tmp_path):
    path = tmp_path / "new.csv"
    path.write_text("label,b,a\ncat,2,1\ndog,4,3\n")
    x, targets = read_csv(path, PRE)
    assert x.tolist() == [[1.0, 2.0], [3.0, 4.0]] and targets == {"label": ["cat", "dog"]}
    assert encode_classes(read_table(path, PRE, targets=True).y, PRE.classes, "new.csv").tolist() == [0, 1]


@pytest.mark.parametrize(("text", "message"), [
    ("a,z\n1,2\n", "missing column b; unknown column z"),
    ("a,b,a\n1,2,3\n", "names column 'a' twice"),
    ("a,b\n1,x\n", "'x' is not a number"),
    ("a,b\n1,\n", "is empty"),
    ("a,b\n1\n", "has 1 cells, expected 2"),
    ("", "is empty"),
    ("a,b\n", "no rows"),
])
def test_bad_csv_inputs(tmp_path, text, message):
    path = tmp_path / "new.csv"
    path.write_text(text)
    with pytest.raises(UserError, match=message) as err:
        read_csv(path, PRE)
    assert err.value.file == str(path)


def test_targets_must_be_there_and_known(tmp_path):
    path = tmp_path / "new.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(UserError, match="no target column 'label'"):
        read_table(path, PRE, targets=True)
    with pytest.raises(UserError, match="class label 'fox' is not one the run was trained on"):
        encode_classes([["fox"]], PRE.classes, "new.csv")
    assert encode_classes(np.array([2.0, 10.0]), ("2", "10"), "y.npz").tolist() == [0, 1]
    assert encode_values(np.array([1, 2]), 1, "y.npz").tolist() == [[1.0], [2.0]]
    with pytest.raises(UserError, match="do not fit the model's 2 output"):
        encode_values(np.array([1.0, 2.0]), 2, "y.npz")


def test_npz_inputs(tmp_path):
    np.savez(tmp_path / "x.npz", x=np.ones((3, 2), np.float32))
    x, y = read_npz(tmp_path / "x.npz")
    assert x.dtype == np.float64 and x.shape == (3, 2) and y is None
    np.savez(tmp_path / "none.npz", z=np.ones(2))
    with pytest.raises(UserError, match="has no array 'x'") as err:
        read_npz(tmp_path / "none.npz")
    assert err.value.key is None
    (tmp_path / "bad.npz").write_text("not a zip")
    with pytest.raises(UserError, match="not an .npz archive"):
        read_npz(tmp_path / "bad.npz")
