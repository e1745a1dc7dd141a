"""`trainer.load_run`: a trained run's model, config and preprocessing, to predict and evaluate with.

Predictions go through what training applied (preprocessing.json) and read the outputs as the loss
defines them (build.outputs); evaluation uses the training loop's own evaluation function, so the run's
validation split, rebuilt from its config and seed, gives back the numbers metrics.csv holds.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..autograd import from_numpy, get_default_dtype, get_rng_state, no_grad, set_default_dtype, set_rng_state
from ..build import build_experiment
from ..build.experiment import build_loss
from ..build.outputs import OutputReader, output_reader
from ..build.targets import convert_targets
from ..build.trained import check_network, read_weights, trained_model
from ..config import RunConfig, load_config
from ..config.registry import lookup
from ..data import Dataset
from ..data.inputs import encode_classes, encode_values, read_table
from ..data.preprocessing import Preprocessing
from ..errors import UserError
from ..nn import Module
from ..training import atomic
from ..training.evaluation import evaluate_model
from ..training.run_files import CONFIG, MODEL, PREPROCESSING, SUMMARY


@dataclass
class LoadedRun:
    """A trained run: `model` (in eval mode, holding model.npz), `config` (the run's RunConfig),
    `preprocessing` (`transform(x)` applies what training did to raw inputs), `classes`, `task`."""

    run_dir: Path
    config: RunConfig
    model: Module
    preprocessing: Preprocessing
    outputs: OutputReader
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def classes(self) -> tuple[str, ...] | None:
        """Class labels in the order of the output units (None for regression)."""
        return self.preprocessing.classes

    @property
    def task(self) -> str:
        """regression, binary or multiclass."""
        return self.preprocessing.task

    @property
    def features(self) -> tuple[str, ...]:
        """The input columns, in the order `predict` reads them."""
        return self.preprocessing.features

    def output(self, x: Any, *, source: str | None = None) -> np.ndarray:
        """The model's raw output for raw inputs: rows in `features` order, or a mapping of columns by name."""
        inputs = self.preprocessing.transform(self._rows(x), source=source)
        saved = get_default_dtype()
        set_default_dtype(np.dtype(self.preprocessing.dtype))
        try:
            with no_grad(), np.errstate(all="ignore"):
                return self.model(from_numpy(inputs)).numpy()
        finally:
            set_default_dtype(saved)

    def predict(self, x: Any, *, source: str | None = None) -> np.ndarray:
        """Class labels `(n,)` (strings) for classification; values `(n, targets)` for regression."""
        out = self.output(x, source=source)
        if self.classes is None:
            return self.outputs.values(out)
        return np.asarray(self.classes)[self.outputs.labels(out)]

    def predict_proba(self, x: Any, *, source: str | None = None) -> np.ndarray:
        """Class probabilities `(n, classes)`, columns in the order of `classes`."""
        if self.classes is None:
            raise UserError("a regression model has no class probabilities", key="--proba",
                            hint="use predict for its values")
        return self.outputs.proba(self.output(x, source=source))

    def evaluate(self, data: str | Path | None = None) -> dict[str, Any]:
        """The config's metrics (and loss) on DATA, or on the run's validation split rebuilt from config and seed."""
        saved_dtype, saved_rng = get_default_dtype(), get_rng_state()
        try:
            if data is None:
                exp = build_experiment(self.config)
                if not exp.data.has_val:
                    raise UserError(f"{self.run_dir} has no validation split (data.val_fraction is 0)",
                                    key="data.val_fraction", file=str(self.run_dir / CONFIG),
                                    hint="give DATA to evaluate on: trainer evaluate RUN_DIR DATA.csv")
                x, y, loss_fn, predictions = exp.data.x_val, exp.data.y_val, exp.loss_fn, exp.predictions
                metrics, logits, prefix, where = exp.metrics, exp.logits, "val_", "validation"
            else:
                x, y = self._targets(data)
                loss_fn = build_loss(self.config, np.dtype(self.preprocessing.dtype))
                where = "<stdin>" if str(data) == "-" else str(data)
                predictions, logits, prefix = self.outputs.values, self.outputs.logits, ""
                metrics = tuple(self.config.training.metrics or ())
            set_default_dtype(np.dtype(self.preprocessing.dtype))
            with np.errstate(all="ignore"):
                values = evaluate_model(self.model, x, y, metrics=metrics, logits=logits, predictions=predictions,
                                        loss_fn=loss_fn)
        finally:
            set_default_dtype(saved_dtype)
            set_rng_state(saved_rng)
        return {"data": where, "rows": int(len(x)), "model_epoch": self.summary.get("model_epoch"),
                **{prefix + name: value for name, value in values.items()}}

    # ----- inputs ------------------------------------------------------------------------------
    def _rows(self, x: Any) -> Any:
        if not isinstance(x, Mapping):
            return x
        missing = [f for f in self.features if f not in x]
        if missing:
            raise UserError(f"no column {', '.join(map(repr, missing))} among the inputs",
                            hint=f"the run was trained on {', '.join(self.features)}")
        return np.stack([np.asarray(x[f], dtype=np.float64).reshape(-1) for f in self.features], axis=1)

    def _targets(self, data: str | Path) -> tuple[np.ndarray, np.ndarray]:
        """DATA's inputs as the model takes them and its targets encoded as the loss reads them."""
        from_file = read_table(data, self.preprocessing, targets=True)
        where, pre = "<stdin>" if str(data) == "-" else str(data), self.preprocessing
        x = pre.transform(from_file.x, source=where)
        if pre.classes is not None:
            y = encode_classes(from_file.y, pre.classes, where)
        else:
            y = encode_values(from_file.y, len(pre.targets), where).astype(x.dtype)
        ds = Dataset(x_train=x, y_train=y, x_val=None, y_val=None, task=pre.task,  # type: ignore[arg-type]
                     n_classes=None if pre.classes is None else len(pre.classes), in_features=pre.width,
                     out_features=len(pre.classes or pre.targets))
        return x, convert_targets(lookup("loss", self.config.loss.type).loss, ds).y_train


def load_run(run_dir: str | Path) -> LoadedRun:
    """A trained run directory (config.yaml, model.npz, preprocessing.json) ready to predict and evaluate."""
    run_dir = Path(run_dir)
    if not (run_dir / CONFIG).is_file():
        raise UserError(f"{run_dir} is not a run directory (no {CONFIG})", file=str(run_dir),
                        hint="give a directory written by trainer run (its --out)")
    cfg = load_config(run_dir / CONFIG)
    check_network(cfg, run_dir)
    pre = Preprocessing.read(run_dir / PREPROCESSING)
    model = trained_model(cfg, pre, read_weights(run_dir / MODEL))
    try:
        summary = json.loads((run_dir / SUMMARY).read_text())
    except (OSError, ValueError):
        summary = {}
    return LoadedRun(run_dir=run_dir, config=cfg, model=model, preprocessing=pre,
                     outputs=output_reader(cfg, pre.task), summary=summary if isinstance(summary, dict) else {})


def prediction_table(run: LoadedRun, data: str | Path, *, proba: bool = False) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of predictions for DATA: a label (or value(s)) per row, or one probability per class.

    Numbers are written exactly (the shortest text that reads back as the same value in the run's dtype).
    """
    where = "<stdin>" if str(data) == "-" else str(data)
    x = read_table(data, run.preprocessing).x
    if proba:
        return list(run.classes or ()), [[str(v) for v in row] for row in run.predict_proba(x, source=where)]
    pred = run.predict(x, source=where)
    if run.classes is not None:
        return [run.preprocessing.targets[0]], [[str(label)] for label in pred]
    return list(run.preprocessing.targets), [[str(v) for v in row] for row in pred]


def predictions_csv(header: list[str], rows: list[list[str]], *, with_header: bool = True) -> str:
    """The csv text of a prediction table."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if with_header:
        writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_predictions(path: str | Path, header: list[str], rows: list[list[str]]) -> Path:
    """Write the table as csv (with its header) atomically; an unwritable path is a UserError."""
    try:
        return atomic.write_text(path, predictions_csv(header, rows))
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}", key="--out") from None
