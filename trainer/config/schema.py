"""`RunConfig`: the pydantic schema of a run's YAML file, built from the registry's real signatures.

Importing this module builds no component model. `RunConfig` is the base: its component sections are
typed by subclasses built on first use, `run_config_model()` (every type registered so far, plugins
included: suggestions, JSON Schema, error messages) and `narrow_model(raw)` (only the types a config
names, so validating a run builds ~5 models, not ~150). Both are subclasses, so every validated config
is a RunConfig.
"""

from __future__ import annotations

import functools
import math
import typing
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, PrivateAttr, create_model, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..errors import did_you_mean, invisible_hint, visible
from ..metrics import METRICS
from . import sections
from .components import MODELS
from .registry import entries, generation
from .resolve import resolved
from .sections import WRAPPERS, union  # noqa: F401 - WRAPPERS: experiments.variants imports it from here
from .selection import Selection, full_selection, selection_of
from .sizes import parse_memory
from .strict import Bool, Float, Int, Strict

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
MemorySize = Annotated[int | str | None, BeforeValidator(parse_memory)]


class ModelSpec(Strict):
    """A sequential model: layers in order; each Linear's in_features comes from the data or the layer before."""

    layers: list[Any] = Field(min_length=1)  # the layer union is filled in by `model_for`


NETWORK_KEYS = ("data", "model", "loss")


def _objective_or_network(raw: Any) -> Any:
    """Either `objective:` or all of `data`, `model` and `loss`; objectives default to float64."""
    if not isinstance(raw, dict):
        return raw
    given = [k for k in NETWORK_KEYS if raw.get(k) is not None]
    if raw.get("objective") is not None:
        if given:
            raise PydanticCustomError("keyed", "{message}", {
                "key": given[0], "message": f"'objective' and {', '.join(repr(k) for k in given)} cannot be "
                f"combined: an objective is the whole problem (its point is the model, its value the loss)",
                "hint": f"remove {', '.join(given)}, or remove objective to train a network"})
        training = raw.get("training")
        if isinstance(training, dict) and "dtype" not in training:
            raw = {**raw, "training": {**training, "dtype": "float64"}}
        elif training is None:
            raw = {**raw, "training": {"dtype": "float64"}}
        return raw
    missing = [k for k in NETWORK_KEYS if k not in given]
    if missing and set(raw) <= set(RunConfig.allowed_keys()):  # an unknown key (a typo of 'loss'?) is told first
        raise PydanticCustomError("keyed", "{message}", {
            "key": missing[0], "message": f"missing required key '{missing[0]}'",
            "hint": "a run needs data, model and loss, or an objective: block (e.g. {type: rosenbrock}) instead"})
    return raw


# ----- training ----------------------------------------------------------------------------------


class EarlyStoppingSpec(Strict):
    """Stop when `monitor` has not improved by more than `min_delta` for `patience` epochs."""

    patience: Int = Field(10, ge=1)
    min_delta: Float = Field(0.0, ge=0)
    monitor: str | None = Field(None, description="a metrics column; default val_loss, or train_loss without one")
    restore_best: Bool = Field(True, description="model.npz gets the best epoch's weights (by monitor) at the end; "
                               "the last epoch's go to last_model.npz")


class SaveBestSpec(Strict):
    """Keep the best epoch's weights (by `monitor`) in best_model.npz beside the last epoch's model.npz."""

    monitor: str | None = Field(None, description="a metrics column; default: early stopping's monitor, else "
                                "val_loss, or train_loss without a validation split")


@functools.cache
def metric_names() -> tuple[str, ...]:
    """Every metric `training.metrics` may name."""
    return tuple(METRICS)


class TrainingSpec(Strict):
    """How to train: epochs, batches, logging, clipping, early stopping, checkpoints, metrics, dtype."""

    epochs: Int = Field(100, ge=1)
    batch_size: Int | None = Field(None, ge=1, description="null: one full batch")
    shuffle: Bool = Field(True, description="reshuffle the batches every epoch")
    log_every: Int = Field(10, ge=1)
    grad_clip_norm: Float | None = Field(None, gt=0)
    grad_clip_value: Float | None = Field(None, gt=0)
    early_stopping: EarlyStoppingSpec | None = None
    save_best: Bool | SaveBestSpec = Field(False, description="true (or {monitor: COLUMN}): keep the best epoch's "
                                           "weights in best_model.npz")
    checkpoint_every: Int | None = Field(None, ge=1)
    metrics: list[str] | None = Field(None, description="default: accuracy for classification, mae and r2 else")
    dtype: Literal["float32", "float64"] = "float32"
    detect_anomaly: Bool = False
    max_memory: MemorySize = Field(None, description="bytes, or a size such as 8GB or 512MiB; a config whose "
                                   "model or data would need more is refused (default: half the machine's memory)")
    loggers: list[Literal["csv", "tensorboard", "mlflow"]] = Field(
        ["csv"], description="trackers fed every epoch: csv (metrics.csv, always written), tensorboard "
        "(event files in the run's tb/; the tensorboard extra), mlflow (the mlflow extra)")

    @field_validator("loggers")
    @classmethod
    def _unique_loggers(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @field_validator("metrics")
    @classmethod
    def _known_metrics(cls, value: list[str] | None) -> list[str] | None:
        for name in value or ():
            if name not in metric_names():
                mean = did_you_mean(name, list(metric_names()))
                why = invisible_hint(name, "the name") or f"metrics: {', '.join(metric_names())}"
                raise ValueError(f"unknown metric '{visible(name)}'{mean}; {why}")
        return value


# ----- the run -----------------------------------------------------------------------------------


class RunConfig(Strict):
    """One run: data, a sequential model and a loss (or an objective), an optimizer, a scheduler, training settings."""

    # The component sections are typed by the subclasses `model_for` builds (the full schema, or a config's
    # narrow one): validate with `run_config_model()` or `load_config`, never with RunConfig itself.
    name: str = Field("run", pattern=NAME_PATTERN, description="used for the run directory runs/<name>/")
    seed: Int = Field(0, ge=0, lt=2**63)
    data: Any = None
    model: Any = None
    loss: Any = None
    objective: Any = Field(None, description="a test function to minimise, instead of data, "
                           "model and loss (training.dtype then defaults to float64)")
    optimizer: Any
    scheduler: Any = None
    training: TrainingSpec = Field(default_factory=TrainingSpec)
    compare: list[Any] | dict[str, Any] | None = Field(
        None, description="optimizer variants for `trainer compare`: a list, or {optimizers, tune, budget, ...}")
    sweep: dict[str, Any] | None = Field(None, description="the search space for `trainer sweep`")

    _source: Path | None = PrivateAttr(None)
    refused_keys: ClassVar[dict[str, tuple[str, str]]] = {
        key: (f"a config file cannot load code, so it has no '{key}' key",
              "name the plugin on the command line: trainer run CONFIG --plugin PATH.py (also compare, sweep)")
        for key in ("plugin", "plugins")}

    @model_validator(mode="before")
    @classmethod
    def _one_problem(cls, raw: Any) -> Any:
        return _objective_or_network(raw)

    @property
    def source(self) -> Path | None:
        """The YAML file this config was read from (None for a dict)."""
        return self._source

    @property
    def base_dir(self) -> Path:
        """The folder relative data paths are resolved against: the config file's, else the working directory."""
        return self._source.parent if self._source is not None else Path.cwd()

    def resolved(self) -> dict[str, Any]:
        """The plain dict for a run's config.yaml: every default filled in (see `resolve.resolved`)."""
        return resolved(self)

    def with_source(self, source: Path | None) -> RunConfig:
        """This config, remembering the file it came from."""
        self._source = None if source is None else Path(source).resolve()
        return self


COMPONENT_SECTIONS = ("data", "model", "loss", "objective", "optimizer", "scheduler")


def _section_field(name: str, annotation: Any) -> tuple[Any, Any]:
    """RunConfig's field `name` (default, description) with the given type; optional unless it is the optimizer."""
    base = RunConfig.model_fields[name]
    optional = not base.is_required()
    return (annotation | None if optional else annotation), Field(base.default, description=base.description)


@functools.lru_cache(maxsize=256)
def model_for(sel: Selection) -> type[RunConfig]:
    """RunConfig whose component unions hold exactly the types of `sel` (built once per selection)."""
    layers = union([sections.layer_model(e, sel.init) for e in sel.layer])
    model = create_model("ModelSpec", __base__=ModelSpec, __doc__=ModelSpec.__doc__,
                         layers=(list[layers], Field(min_length=1))) if sel.layer else type(None)
    types = {
        "data": union([sections.data_model(e) for e in sel.data]),
        "model": model,
        "loss": union([sections.loss_model(e) for e in sel.loss]),
        "objective": union([sections.objective_model(e) for e in sel.objective]),
        "optimizer": union([sections.optimizer_model(e, sel.inner) for e in sel.optimizer]),
        "scheduler": union([sections.scheduler_model(e, sel.child) for e in sel.scheduler]),
    }
    return create_model("RunConfig", __base__=RunConfig, __doc__=RunConfig.__doc__,
                        **{name: _section_field(name, types[name]) for name in COMPONENT_SECTIONS})


@functools.cache
def _full_at(generation: int) -> type[RunConfig]:
    sel = full_selection()
    model = model_for(sel)
    for kind, build in (("data", sections.data_model), ("init", sections.init_model), ("loss", sections.loss_model),
                        ("objective", sections.objective_model)):
        for e in entries(kind):
            MODELS[(kind, e.name)] = build(e)
    MODELS.update({("layer", e.name): sections.layer_model(e, sel.init) for e in sel.layer})
    MODELS.update({("optimizer", e.name): sections.optimizer_model(e, sel.inner) for e in sel.optimizer})
    MODELS.update({("scheduler", e.name): sections.scheduler_model(e, sel.child) for e in sel.scheduler})
    return model


def run_config_model() -> type[RunConfig]:
    """The schema of a run config with every type registered so far (plugins included), built on first use."""
    return _full_at(generation())


def narrow_model(raw: Any) -> type[RunConfig] | None:
    """The schema of just the types `raw` names; None when only the full schema decides `raw` exactly."""
    sel = selection_of(raw)
    return None if sel is None else model_for(sel)


def _full_union(kind: str) -> Any:
    full = run_config_model()
    if kind == "layer":
        return typing.get_args(full.model_fields["model"].annotation)[0].model_fields["layers"].annotation
    return typing.get_args(full.model_fields[kind].annotation)[0] if kind != "optimizer" \
        else full.model_fields[kind].annotation


_LAZY = {  # names this module had when it built every model at import: now built on first use
    "DataSpec": lambda: _full_union("data"), "LayerSpec": lambda: typing.get_args(_full_union("layer"))[0],
    "LossSpec": lambda: _full_union("loss"), "ObjectiveSpec": lambda: _full_union("objective"),
    "OptimizerSpec": lambda: _full_union("optimizer"), "SchedulerSpec": lambda: _full_union("scheduler"),
    "InitSpec": lambda: sections.init_spec(full_selection().init), "MuonAdamW": sections.muon_adamw,
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _LAZY[name]()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a run config (for `trainer schema` and YAML language servers)."""
    schema = _without_infinite_defaults(run_config_model().model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["anyOf"] = [{"required": ["objective"]}, {"required": list(NETWORK_KEYS)}]
    schema.setdefault("title", "trainer run config")
    return schema


def _without_infinite_defaults(node: Any) -> Any:
    """The schema minus defaults JSON cannot write (Prodigy's growth_rate=inf), so it stays strict JSON."""
    if isinstance(node, dict):
        return {k: _without_infinite_defaults(v) for k, v in node.items()
                if not (k == "default" and isinstance(v, float) and not math.isfinite(v))}
    if isinstance(node, list):
        return [_without_infinite_defaults(v) for v in node]
    return node
