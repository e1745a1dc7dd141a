"""`openml`: a dataset from OpenML by name or id through scikit-learn's `fetch_openml` and its cache folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np

from ..errors import UserError
from .files import FileSource, encode_labels
from .memory import GENERATED_COPIES, format_bytes
from .raw import Raw
from .sklearn_sets import image_rows, sklearn_datasets

# Known image sets (by name and by OpenML id): their (C, H, W) and the largest pixel value, for scaling to [0, 1]
IMAGE_SETS = {"mnist_784": ((1, 28, 28), 255.0), "Fashion-MNIST": ((1, 28, 28), 255.0),
              "Kuzushiji-MNIST": ((1, 28, 28), 255.0)}
IMAGE_IDS = {554: "mnist_784", 40996: "Fashion-MNIST", 41982: "Kuzushiji-MNIST"}


def _what(name: str | None, data_id: int | None, version: Any) -> str:
    if data_id is not None:
        return f"data_id {data_id}"
    return f"'{name}'" + ("" if version == "active" else f" version {version}")


def _fetch(datasets: Any, what: str, home: Path, **kwargs: Any) -> Any:
    import http.client  # here, not at import: it pulls in ssl (~7 ms) for every run, and only a fetch needs it

    try:
        return datasets.fetch_openml(data_home=str(home), as_frame=False, parser="liac-arff", **kwargs)
    except ValueError as exc:  # OpenML answered: no such dataset, version or target column
        raise UserError(f"OpenML cannot give {what}: {exc}", key="data",
                        hint="check the name (OpenML's spelling, e.g. mnist_784, Fashion-MNIST), version, "
                             "data_id or target on openml.org") from None
    except (OSError, http.client.HTTPException) as exc:  # no network, or OpenML unreachable: not in the cache
        raise UserError(f"cannot fetch OpenML dataset {what}: it is not in the cache folder {home} and OpenML "
                        f"cannot be reached ({exc})", key="data",
                        hint=f"run it once on a machine with network access and copy that machine's cache folder "
                             f"(its 'openml' subfolder) to {home}; data.data_home chooses the cache folder") from None


def _check_memory(x: np.ndarray, max_bytes: int | None, what: str) -> None:
    need = x.size * 8 * GENERATED_COPIES
    if max_bytes is not None and need > max_bytes:
        raise UserError(f"OpenML dataset {what} has {x.shape[0]} rows of {x[0].size} values, about "
                        f"{format_bytes(need)} once split and cast, over the memory limit of {format_bytes(max_bytes)}",
                        key="data", hint="raise training.max_memory if the machine has the memory")


def _inputs(bunch: Any, what: str) -> np.ndarray:
    data = bunch.data.toarray() if hasattr(bunch.data, "toarray") else bunch.data  # some sets come sparse
    try:
        return np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError):
        raise UserError(f"OpenML dataset {what} has features that are not numbers", key="data",
                        hint="use a dataset with numeric features") from None


def _targets(y: Any, what: str, classification: bool) -> tuple[np.ndarray, int | None, tuple[str, ...] | None]:
    if y is None:
        raise UserError(f"OpenML dataset {what} has no default target", key="data.target",
                        hint="name the target column with data.target")
    y = np.asarray(y)
    if y.dtype.kind in "OUS" or classification:
        if y.ndim != 1:
            raise UserError(f"class labels of {what} have shape {y.shape}, expected one column", key="data.target")
        try:
            labels = y.astype(np.float64)
        except (TypeError, ValueError):
            labels = y.astype(str)
        return encode_labels(labels)
    return np.asarray(y, dtype=np.float64).reshape(len(y), -1), None, None


def openml(source: FileSource, name: str | None = None, data_id: int | None = None,
           version: int | Literal["active"] = "active", target: str | None = None, data_home: str | None = None,
           shape: Literal["flat", "image"] = "flat", image_shape: list[int] | None = None,
           task: Literal["auto", "regression", "classification"] = "auto") -> Raw:
    """A dataset from OpenML (by `name` and `version`, or by `data_id`) via scikit-learn's `fetch_openml`.

    Fetched once into `data_home` (default scikit-learn's, ~/scikit_learn_data; a relative path is taken
    from the config's folder), then read from there without network. Labels that are not numbers make a
    classification task; numeric ones follow the loss (`task: auto`). `shape: image` gives (n, C, H, W):
    mnist_784, Fashion-MNIST and Kuzushiji-MNIST are known image sets ((1, 28, 28); their pixels are divided
    by 255 to [0, 1], flat or not); other sets need `image_shape: [C, H, W]` and keep their values.
    Needs scikit-learn (`trainer[datasets]`).
    """
    if (name is None) == (data_id is None):
        raise UserError("openml data needs a name or a data_id" if name is None else
                        "give name or data_id, not both", key="data.name",
                        hint="e.g. {type: openml, name: mnist_784} or {type: openml, data_id: 554}")
    if image_shape is not None and shape != "image":
        raise UserError("image_shape is for shape: image", key="data.image_shape",
                        hint="add shape: image, or drop image_shape")
    known = IMAGE_SETS.get(name if name is not None else IMAGE_IDS.get(data_id, ""))
    if shape == "image" and image_shape is None and known is None:
        raise UserError(f"shape: image needs image_shape: [C, H, W] for {_what(name, data_id, version)}",
                        key="data.image_shape", hint=f"known image sets: {', '.join(IMAGE_SETS)}")
    datasets = sklearn_datasets("openml")
    home = source.resolve(data_home) if data_home is not None else Path(datasets.get_data_home())
    what = _what(name, data_id, version)
    ask = {"data_id": data_id} if data_id is not None else {"name": name, "version": version}
    bunch = _fetch(datasets, what, home, **ask, **({"target_column": target} if target is not None else {}))
    x = _inputs(bunch, what)
    _check_memory(x, source.max_bytes, what)
    y, n_classes, classes = _targets(bunch.target, what, source.classification(task))
    if task == "regression" and n_classes is not None:
        raise UserError(f"the target of {what} holds labels that are not numbers; it cannot be regression",
                        key="data.task", hint="use task: classification (or auto) and a classification loss")
    features = tuple(str(f) for f in getattr(bunch, "feature_names", None) or ()) or None
    if known is not None:
        x = x / known[1]
    if shape == "image":
        x, features = image_rows(x, tuple(image_shape or known[0]), what), None
    return Raw(x, y, n_classes, classes, features)
