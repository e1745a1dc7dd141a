"""csv and npz loaders: the user's own data, with clear errors for every way a file can be wrong."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trainer.data import make_dataset
from trainer.errors import UserError

TABLE = "a,b,label,y\n1,2,cat,0.5\n3,4,dog,1.5\n5,6,cat,2.5\n7,8,bird,3.5\n"


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_regression_target_column_relative_to_base_dir(tmp_path):
    write(tmp_path, "a,b,y\n1,2,3\n4,5,6\n")
    d = make_dataset("csv", {"path": "data.csv", "target": "y"}, base_dir=tmp_path, dtype="float64")
    assert np.array_equal(d.x_train, [[1, 2], [4, 5]]) and np.array_equal(d.y_train, [[3], [6]])
    assert d.task == "regression" and d.feature_names == ("a", "b") and d.out_features == 1


def test_csv_several_targets_and_chosen_features(tmp_path):
    write(tmp_path, TABLE.replace("cat", "1").replace("dog", "2").replace("bird", "3"))
    d = make_dataset("csv", {"path": "data.csv", "target": ["label", "y"], "features": ["b"]}, base_dir=tmp_path)
    assert d.x_train.shape == (4, 1) and d.y_train.shape == (4, 2) and d.out_features == 2


def test_csv_string_class_labels_when_classification(tmp_path):
    write(tmp_path, TABLE)
    args = {"path": str(tmp_path / "data.csv"), "target": "label", "features": ["a", "b"]}
    d = make_dataset("csv", args, classification=True)
    assert d.class_names == ("bird", "cat", "dog")
    assert list(d.y_train) == [1, 2, 1, 0] and d.y_train.dtype == np.int64
    assert d.task == "multiclass" and d.n_classes == 3
    explicit = make_dataset("csv", {**args, "task": "classification"})
    assert np.array_equal(explicit.y_train, d.y_train)


def test_csv_numeric_class_labels_sort_numerically(tmp_path):
    write(tmp_path, "x,c\n0,10\n1,9\n2,10\n")
    d = make_dataset("csv", {"path": "data.csv", "target": "c"}, base_dir=tmp_path, classification=True)
    assert list(d.y_train) == [1, 0, 1] and d.class_names == ("9", "10") and d.task == "binary"


def test_csv_without_header_uses_column_indices(tmp_path):
    write(tmp_path, "1,2,3\n4,5,6\n")
    d = make_dataset("csv", {"path": "data.csv", "target": -1, "header": False}, base_dir=tmp_path)
    assert d.x_train.shape == (2, 2) and d.y_train[:, 0].tolist() == [3, 6]


def test_csv_missing_target_names_the_available_columns(tmp_path):
    write(tmp_path, TABLE)
    with pytest.raises(UserError) as err:
        make_dataset("csv", {"path": "data.csv", "target": "lable"}, base_dir=tmp_path)
    assert err.value.key == "data.target"
    assert "'lable' not found" in str(err.value) and "a, b, label, y" in str(err.value)
    assert "did you mean 'label'" in str(err.value)


def test_csv_non_numeric_cell_names_row_and_column(tmp_path):
    write(tmp_path, "a,b,y\n1,2,3\n4,five,6\n")
    with pytest.raises(UserError) as err:
        make_dataset("csv", {"path": "data.csv", "target": "y"}, base_dir=tmp_path)
    assert "row 3, column 'b'" in str(err.value) and "'five' is not a number" in str(err.value)


def test_csv_empty_cell_and_ragged_row(tmp_path):
    write(tmp_path, "a,y\n1,2\n,3\n")
    with pytest.raises(UserError, match="row 3, column 'a'.*empty"):
        make_dataset("csv", {"path": "data.csv", "target": "y"}, base_dir=tmp_path)
    write(tmp_path, "a,y\n1,2\n3\n")
    with pytest.raises(UserError, match="row 3 .* 1 cells, expected 2"):
        make_dataset("csv", {"path": "data.csv", "target": "y"}, base_dir=tmp_path)


@pytest.mark.parametrize("text, message", [("", "empty"), ("a,y\n", "no data rows"), ("y\n1\n", "no feature")])
def test_csv_without_data(tmp_path, text, message):
    write(tmp_path, text)
    with pytest.raises(UserError, match=message):
        make_dataset("csv", {"path": "data.csv", "target": "y"}, base_dir=tmp_path)


def test_missing_file_says_where_it_looked(tmp_path):
    with pytest.raises(UserError) as err:
        make_dataset("csv", {"path": "nope.csv", "target": "y"}, base_dir=tmp_path)
    assert err.value.key == "data.path" and "not found" in str(err.value) and str(tmp_path) in str(err.value)
    assert "relative to the config" in err.value.hint
    with pytest.raises(UserError, match="not a file"):
        make_dataset("npz", {"path": "."}, base_dir=tmp_path)


def test_npz_regression_and_classification(tmp_path):
    x = np.arange(12.0).reshape(6, 2)
    np.savez(tmp_path / "d.npz", x=x, y=np.arange(6.0))
    d = make_dataset("npz", {"path": "d.npz"}, base_dir=tmp_path, dtype="float64", val_fraction=0.5)
    assert np.array_equal(d.x_train, x[:3]) and d.y_train.shape == (3, 1) and d.n_val == 3
    np.savez(tmp_path / "c.npz", x=x, y=np.array([2, 0, 2, 1, 0, 1]))
    c = make_dataset("npz", {"path": "c.npz"}, base_dir=tmp_path, classification=True)
    assert list(c.y_train) == [2, 0, 2, 1, 0, 1] and c.n_classes == 3


def test_npz_images_keep_their_shape_with_integer_labels(tmp_path):
    x = np.arange(6 * 3 * 4 * 5, dtype=np.uint8).reshape(6, 3, 4, 5)
    np.savez(tmp_path / "img.npz", x=x, y=np.array([3, 1, 3, 0, 1, 0], dtype=np.int32))
    d = make_dataset("npz", {"path": "img.npz"}, base_dir=tmp_path, classification=True, val_fraction=0.5,
                     standardize=True)
    assert d.x_train.shape == (3, 3, 4, 5) and d.x_val.shape == (3, 3, 4, 5) and d.x_train.dtype == np.float32
    assert d.input_shape == (3, 4, 5) and d.in_features == 60 and d.x_mean.shape == (3, 4, 5)
    assert list(d.y_train) == [2, 1, 2] and d.class_names == ("0", "1", "3") and d.task == "multiclass"
    np.savez(tmp_path / "seq.npz", x=np.zeros((4, 2, 7)), y=np.arange(4.0))
    assert make_dataset("npz", {"path": "seq.npz"}, base_dir=tmp_path).input_shape == (2, 7)
    np.savez(tmp_path / "big.npz", x=np.zeros((2, 1, 2, 2, 2)), y=np.zeros(2))
    with pytest.raises(UserError, match=r"shape \(2, 1, 2, 2, 2\), expected \(n,\), \(n, d\), \(n, C, L\)"):
        make_dataset("npz", {"path": "big.npz"}, base_dir=tmp_path)
    np.savez(tmp_path / "y3.npz", x=np.zeros((2, 2)), y=np.zeros((2, 1, 1)))
    with pytest.raises(UserError, match="expected 1-D or 2-D"):
        make_dataset("npz", {"path": "y3.npz"}, base_dir=tmp_path)


def test_npz_missing_array_lists_what_it_holds(tmp_path):
    np.savez(tmp_path / "d.npz", inputs=np.zeros((2, 2)), y=np.zeros(2))
    with pytest.raises(UserError, match="no array 'x'.*inputs, y"):
        make_dataset("npz", {"path": "d.npz"}, base_dir=tmp_path)


def test_npz_object_arrays_are_never_unpickled(tmp_path):
    np.savez(tmp_path / "d.npz", x=np.array([{"a": 1}, None], dtype=object), y=np.zeros(2))
    with pytest.raises(UserError, match="allow_pickle=False"):
        make_dataset("npz", {"path": "d.npz"}, base_dir=tmp_path)


@pytest.mark.parametrize("content, message", [(b"hello", "not an .npz"), (b"PK\x03\x04broken", "not a valid")])
def test_npz_that_is_not_an_archive(tmp_path, content, message):
    (tmp_path / "d.npz").write_bytes(content)
    with pytest.raises(UserError, match=message):
        make_dataset("npz", {"path": "d.npz"}, base_dir=tmp_path)


def test_npz_shape_and_value_checks(tmp_path):
    np.savez(tmp_path / "d.npz", x=np.zeros((3, 2)), y=np.zeros(2))
    with pytest.raises(UserError, match="x has 3 rows but y has 2"):
        make_dataset("npz", {"path": "d.npz"}, base_dir=tmp_path)
    np.savez(tmp_path / "d.npz", x=np.array([[np.nan], [1.0]]), y=np.zeros(2))
    with pytest.raises(UserError, match="NaN"):
        make_dataset("npz", {"path": "d.npz"}, base_dir=tmp_path)


def test_csv_delimiter_must_be_one_character(tmp_path):
    write(tmp_path, "a;y\n1;2\n")
    d = make_dataset("csv", {"path": "data.csv", "target": "y", "delimiter": ";"}, base_dir=tmp_path)
    assert d.x_train.shape == (1, 1)
    with pytest.raises(UserError) as err:
        make_dataset("csv", {"path": "data.csv", "target": "y", "delimiter": ";;"}, base_dir=tmp_path)
    assert err.value.key == "data.delimiter"
