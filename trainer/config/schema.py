"""`RunConfig`: the pydantic schema of a run's YAML file, built from the registry's real signatures.

`RunConfig` knows the entries registered when this module was imported; `run_config_model()` is the
schema of the catalogue as it is now (a subclass of RunConfig once plugins have added layers, losses or
optimizers), so validation always sees every registered type.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, PrivateAttr, create_model, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..errors import did_you_mean, invisible_hint, visible
from ..metrics import METRICS
from .components import argument_fields, component_model, init_union, shorthand, tagged_union
from .constraints import AT_LEAST_1, FRACTION
from .registry import Entry, entries, generation, lookup
from .resolve import resolved
from .sizes import parse_memory
from .strict import Bool, Float, Int, Strict

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
Interval = Literal["epoch", "batch"]

# ----- data --------------------------------------------------------------------------------------


def _data_models() -> list[type[Strict]]:
    common = {
        "val_fraction": (Float, Field(0.0, description="held-out fraction in [0, 1); the last rows after shuffle")),
        "shuffle": (Bool, Field(False, description="shuffle the rows once, before the split")),
        "standardize": (Bool, Field(False, description="scale inputs by the training split's mean and std")),
    }
    check = field_validator("val_fraction")(lambda cls, v: FRACTION.check(v))
    return [component_model(e, common, validators={"_val_fraction": check}) for e in entries("data")]


DataSpec = tagged_union(_data_models())

# ----- model -------------------------------------------------------------------------------------


def _init_mapping(value: Any) -> Any:
    """`init: xavier_uniform` or `{type: ...}` initialises `weight`; a mapping names parameters."""
    value = shorthand(value)
    if isinstance(value, dict) and "type" in value:
        return {"weight": value}
    return value


MemorySize = Annotated[int | str | None, BeforeValidator(parse_memory)]
InitSpec = Annotated[dict[str, init_union()] | None, BeforeValidator(_init_mapping)]

_INFERRED_TYPES = {"in_features": Int, "num_features": Int, "normalized_shape": Int | list[Int], "in_channels": Int,
                   "num_channels": Int}


def _layer_models() -> list[type[Strict]]:
    models = []
    for e in entries("layer"):
        extra: dict[str, Any] = {"init": (InitSpec, Field(None, description="initialiser(s): weight, or by name"))}
        for name in e.inferred:
            extra[name] = (_INFERRED_TYPES[name] | None, Field(None, description="inferred when omitted"))
        validators = {}
        if "in_features" in e.inferred:
            validators["_in_features"] = field_validator("in_features")(lambda cls, v: AT_LEAST_1.check(v))
        models.append(component_model(e, extra, validators=validators))
    return models


LayerSpec = tagged_union(_layer_models())


class ModelSpec(Strict):
    """A sequential model: layers in order; each Linear's in_features comes from the data or the layer before."""

    layers: list[LayerSpec] = Field(min_length=1)


def _loss_models() -> list[type[Strict]]:
    return [component_model(e) for e in entries("loss")]


LossSpec = tagged_union(_loss_models())

# ----- optimizer ---------------------------------------------------------------------------------


def _group_model(e: Entry) -> type[Strict]:
    fields, checks = argument_fields(e, optional=True)
    return create_model(
        f"ParamGroup_{e.name}", __base__=Strict, __validators__=checks,
        __doc__="A parameter group: the parameters of some layers (or named ones) with their own settings.",
        layers=(list[Int] | None, Field(None, description="indices into model.layers")),
        params=(list[str] | None, Field(None, description="parameter names such as '0.weight'")),
        **fields,
    )


def _adamw_group() -> type[Strict]:
    fields, checks = argument_fields(lookup("optimizer", "adamw"))
    return create_model("MuonAdamW", __base__=Strict, __validators__=checks,
                        __doc__="The AdamW group that Muon hands every non-2-D parameter (biases, norms) to.",
                        **fields)


MuonAdamW = _adamw_group()


WRAPPERS = ("lookahead",)
"""Optimizers that wrap another, given as their nested `optimizer:` block (which cannot be a wrapper itself)."""


def _optimizer_extra(e: Entry) -> dict[str, Any]:
    if e.name == "muon":
        return {"adamw": (MuonAdamW, Field(default_factory=MuonAdamW))}
    return {"param_groups": (list[_group_model(e)] | None, Field(None, description="per-layer settings"))}


def _optimizer_models() -> list[type[Strict]]:
    plain = {e.name: component_model(e, _optimizer_extra(e)) for e in entries("optimizer") if e.name not in WRAPPERS}
    inner = tagged_union(list(plain.values()))  # a wrapper's block: the same models as a top-level one
    wrapped = {"optimizer": (inner, Field(description="the optimizer it wraps: {type: ..., its arguments}"))}
    return [plain[e.name] if e.name in plain else component_model(e, wrapped) for e in entries("optimizer")]


OptimizerSpec = tagged_union(_optimizer_models())

# ----- scheduler ---------------------------------------------------------------------------------

_INTERVAL = (Interval | None, Field(None, description="step per epoch or per batch (default: what it expects)"))


def _scheduler_models() -> tuple[list[type[Strict]], list[type[Strict]]]:
    basic = [e for e in entries("scheduler") if not e.composite]
    children = [component_model(e, suffix="_child") for e in basic if e.name != "plateau"]
    child_union = tagged_union(children)
    top = []
    for e in entries("scheduler"):
        extra: dict[str, Any] = {"interval": _INTERVAL}
        if e.name == "plateau":
            extra["monitor"] = (str | None, Field(None, description="the metrics column it watches"))
        if e.composite:
            extra["schedulers"] = (list[child_union], Field(min_length=1))
        top.append(component_model(e, extra))
    return top, children


SchedulerSpec = tagged_union(_scheduler_models()[0])


# ----- objective ---------------------------------------------------------------------------------

ObjectiveSpec = tagged_union([component_model(e) for e in entries("objective")])
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

    name: str = Field("run", pattern=NAME_PATTERN, description="used for the run directory runs/<name>/")
    seed: Int = Field(0, ge=0, lt=2**63)
    data: DataSpec | None = None
    model: ModelSpec | None = None
    loss: LossSpec | None = None
    objective: ObjectiveSpec | None = Field(None, description="a test function to minimise, instead of data, "
                                            "model and loss (training.dtype then defaults to float64)")
    optimizer: OptimizerSpec
    scheduler: SchedulerSpec | None = None
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


_BUILT_AT = generation()


@functools.cache
def _model_at(generation: int) -> type[RunConfig]:
    """RunConfig with every layer, loss and optimizer the catalogue holds at `generation`."""
    if generation == _BUILT_AT:
        return RunConfig
    model = create_model("ModelSpec", __base__=ModelSpec, __doc__=ModelSpec.__doc__,
                         layers=(list[tagged_union(_layer_models())], Field(min_length=1)))
    return create_model("RunConfig", __base__=RunConfig, __doc__=RunConfig.__doc__, model=(model | None, None),
                        loss=(tagged_union(_loss_models()) | None, None),
                        optimizer=(tagged_union(_optimizer_models()), ...))


def run_config_model() -> type[RunConfig]:
    """The schema of a run config with every type registered so far (plugins included)."""
    return _model_at(generation())


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
