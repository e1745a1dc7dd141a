"""`dataset`: scikit-learn's bundled datasets by name (the `datasets` extra), digits as images or flat rows."""

from __future__ import annotations

from types import ModuleType
from typing import Literal

import numpy as np

from ..errors import UserError, require_extra
from .files import FileSource
from .raw import Raw

# name -> scikit-learn loader; the classification sets carry their class names, diabetes is regression
LOADERS = {"digits": "load_digits", "iris": "load_iris", "wine": "load_wine", "breast_cancer": "load_breast_cancer",
           "diabetes": "load_diabetes"}
REGRESSION_SETS = frozenset({"diabetes"})
DIGITS_SHAPE = (1, 8, 8)
DIGITS_MAX = 16.0  # digits' pixels are counts 0..16; divided by this they lie in [0, 1]


def sklearn_datasets(data_type: str) -> ModuleType:
    """`sklearn.datasets`, or a MissingExtra naming the install command of the `datasets` extra."""
    return require_extra("sklearn.datasets", "datasets", feature=f"data type '{data_type}' (scikit-learn)",
                         key="data.type")


def image_rows(x: np.ndarray, shape: tuple[int, ...], name: str) -> np.ndarray:
    """Flat rows (n, C*H*W) as images (n, C, H, W); a UserError when the sizes disagree."""
    size = int(np.prod(shape))
    if x.shape[1] != size:
        raise UserError(f"'{name}' has {x.shape[1]} features per row, but image_shape {list(shape)} holds {size}",
                        key="data.image_shape", hint=f"give an image_shape whose product is {x.shape[1]}")
    return x.reshape(len(x), *shape)


def dataset(source: FileSource, name: Literal["digits", "iris", "wine", "breast_cancer", "diabetes"],
            shape: Literal["flat", "image"] = "flat") -> Raw:
    """One of scikit-learn's bundled datasets: digits, iris, wine, breast_cancer (classification), diabetes.

    digits' pixels are scaled to [0, 1] (divided by 16); `shape: image` gives them as (n, 1, 8, 8) for conv
    layers, `flat` as (n, 64). The other sets are tabular, their features as scikit-learn ships them
    (`standardize: true` scales them). Needs scikit-learn (`trainer[datasets]`); nothing is downloaded.
    """
    bunch = getattr(sklearn_datasets("dataset"), LOADERS[name])()
    x = np.asarray(bunch.data, dtype=np.float64)
    features = tuple(str(f) for f in getattr(bunch, "feature_names", ())) or None
    if name == "digits":
        x = x / DIGITS_MAX
        if shape == "image":
            x, features = image_rows(x, DIGITS_SHAPE, name), None
    elif shape == "image":
        raise UserError(f"'{name}' is a table, not images", key="data.shape",
                        hint="drop shape (only digits has images), or use name: digits")
    if name in REGRESSION_SETS:
        return Raw(x, np.asarray(bunch.target, dtype=np.float64).reshape(-1, 1), None, None, features)
    classes = tuple(str(c) for c in bunch.target_names)
    return Raw(x, np.asarray(bunch.target, dtype=np.int64), len(classes), classes, features)
