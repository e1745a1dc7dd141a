"""`dataset`: scikit-learn's bundled sets by name, their tasks and class names, digits as images or rows."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from trainer.data import make_dataset
from trainer.errors import MissingExtra, UserError


def test_digits_as_images_scaled_to_unit_range():
    d = make_dataset("dataset", {"name": "digits", "shape": "image"}, val_fraction=0.2, shuffle=True,
                     dtype="float64")
    assert d.x_train.shape == (1438, 1, 8, 8) and d.x_val.shape == (359, 1, 8, 8)
    assert d.input_shape == (1, 8, 8) and d.in_features == 64
    assert d.x_train.min() == 0.0 and d.x_train.max() == 1.0 and np.all(d.x_train * 16 == np.round(d.x_train * 16))
    assert d.task == "multiclass" and d.class_names == tuple("0123456789") and d.y_train.dtype == np.int64
    assert d.feature_names is None


def test_digits_flat_rows_are_the_same_pixels():
    flat = make_dataset("dataset", {"name": "digits"}, dtype="float64")
    image = make_dataset("dataset", {"name": "digits", "shape": "image"}, dtype="float64")
    assert flat.x_train.shape == (1797, 64) and np.array_equal(flat.x_train, image.x_train.reshape(1797, 64))
    assert np.array_equal(flat.y_train, image.y_train) and flat.feature_names[:2] == ("pixel_0_0", "pixel_0_1")


@pytest.mark.parametrize("name, rows, width, task, classes", [
    ("iris", 150, 4, "multiclass", ("setosa", "versicolor", "virginica")),
    ("wine", 178, 13, "multiclass", ("class_0", "class_1", "class_2")),
    ("breast_cancer", 569, 30, "binary", ("malignant", "benign")),
    ("diabetes", 442, 10, "regression", None),
])
def test_tabular_sets_bring_their_task_and_names(name, rows, width, task, classes):
    d = make_dataset("dataset", {"name": name}, standardize=True)
    assert d.x_train.shape == (rows, width) and d.task == task and d.class_names == classes
    assert len(d.feature_names) == width and np.allclose(d.x_train.mean(axis=0), 0, atol=1e-5)
    assert d.y_train.shape == ((rows, 1) if task == "regression" else (rows,))


def test_a_table_is_not_an_image():
    with pytest.raises(UserError) as err:
        make_dataset("dataset", {"name": "iris", "shape": "image"})
    assert err.value.key == "data.shape" and "only digits" in err.value.hint


def test_without_scikit_learn_the_message_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(MissingExtra) as err:
        make_dataset("dataset", {"name": "digits"})
    assert err.value.key == "data.type" and "pip install -e '.[datasets]'" in err.value.hint
    assert "data type 'dataset' (scikit-learn)" in err.value.message
