"""The model of each config section's types, built on first use and cached.

A model depends on its entry and, for the types that hold other components (a layer's `init`, a
wrapper's inner optimizer, a composite scheduler's children), on the entries those may be: a tuple
in catalogue order. The full schema (every registered type) and a config's narrow one (the types it
names, see `selection`) are built by the same code and share every model they have in common.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, create_model, field_validator

from .components import argument_fields, component_model, shorthand, tagged_union
from .constraints import AT_LEAST_1, FRACTION
from .registry import Entry, lookup
from .strict import Bool, Float, Int, Strict

Entries = tuple[Entry, ...]
Interval = Literal["epoch", "batch"]

WRAPPERS = ("lookahead",)
"""Optimizers that wrap another, given as their nested `optimizer:` block (which cannot be a wrapper itself)."""


def union(models: list[type[Strict]]) -> Any:
    """The tagged union of `models`; NoneType (the section must be absent) when there are none."""
    return tagged_union(models) if models else type(None)


def can_be_child(e: Entry) -> bool:
    """Whether a composite scheduler (sequential, chained) may hold this scheduler."""
    return not e.composite and e.name != "plateau"


# ----- data --------------------------------------------------------------------------------------


@functools.cache
def data_model(e: Entry) -> type[Strict]:
    """A data type: its generator's arguments, plus the split, shuffle and scaling keys."""
    common = {
        "val_fraction": (Float, Field(0.0, description="held-out fraction in [0, 1); the last rows after shuffle")),
        "shuffle": (Bool, Field(False, description="shuffle the rows once, before the split")),
        "standardize": (Bool, Field(False, description="scale inputs by the training split's mean and std")),
    }
    check = field_validator("val_fraction")(lambda cls, v: FRACTION.check(v))
    return component_model(e, common, validators={"_val_fraction": check})


# ----- layers and initialisers -------------------------------------------------------------------


def _init_mapping(value: Any) -> Any:
    """`init: xavier_uniform` or `{type: ...}` initialises `weight`; a mapping names parameters."""
    value = shorthand(value)
    if isinstance(value, dict) and "type" in value:
        return {"weight": value}
    return value


@functools.cache
def init_model(e: Entry) -> type[Strict]:
    """An initialiser of `trainer.nn.init`."""
    return component_model(e)


@functools.cache
def init_spec(inits: Entries) -> Any:
    """A layer's `init:` key: initialisers of these types, by parameter name (NoneType when there are none)."""
    if not inits:
        return Annotated[None, BeforeValidator(_init_mapping)]
    return Annotated[dict[str, tagged_union([init_model(e) for e in inits])] | None, BeforeValidator(_init_mapping)]


_INFERRED_TYPES = {"in_features": Int, "num_features": Int, "normalized_shape": Int | list[Int], "in_channels": Int,
                   "num_channels": Int}


@functools.cache
def layer_model(e: Entry, inits: Entries) -> type[Strict]:
    """A layer: its arguments, the ones inferred from the input shape, and `init:` of the types in `inits`."""
    extra: dict[str, Any] = {"init": (init_spec(inits), Field(None, description="initialiser(s): weight, or by name"))}
    for name in e.inferred:
        extra[name] = (_INFERRED_TYPES[name] | None, Field(None, description="inferred when omitted"))
    validators = {}
    if "in_features" in e.inferred:
        validators["_in_features"] = field_validator("in_features")(lambda cls, v: AT_LEAST_1.check(v))
    return component_model(e, extra, validators=validators)


# ----- losses and objectives ---------------------------------------------------------------------


@functools.cache
def loss_model(e: Entry) -> type[Strict]:
    """A loss: its arguments."""
    return component_model(e)


@functools.cache
def objective_model(e: Entry) -> type[Strict]:
    """A test function to minimise: its arguments."""
    return component_model(e)


# ----- optimizers --------------------------------------------------------------------------------


@functools.cache
def group_model(e: Entry) -> type[Strict]:
    """A parameter group of this optimizer: `layers` or `params`, and its arguments (None: inherit)."""
    fields, checks = argument_fields(e, optional=True)
    return create_model(
        f"ParamGroup_{e.name}", __base__=Strict, __validators__=checks,
        __doc__="A parameter group: the parameters of some layers (or named ones) with their own settings.",
        layers=(list[Int] | None, Field(None, description="indices into model.layers")),
        params=(list[str] | None, Field(None, description="parameter names such as '0.weight'")),
        **fields,
    )


@functools.cache
def muon_adamw() -> type[Strict]:
    """The AdamW group that Muon hands every non-2-D parameter (biases, norms) to."""
    fields, checks = argument_fields(lookup("optimizer", "adamw"))
    return create_model("MuonAdamW", __base__=Strict, __validators__=checks,
                        __doc__="The AdamW group that Muon hands every non-2-D parameter (biases, norms) to.",
                        **fields)


@functools.cache
def _plain_optimizer_model(e: Entry) -> type[Strict]:
    """An optimizer that wraps none: param_groups (Muon: its AdamW group)."""
    if e.name == "muon":
        adamw = muon_adamw()
        extra: dict[str, Any] = {"adamw": (adamw, Field(default_factory=adamw))}
    else:
        extra = {"param_groups": (list[group_model(e)] | None, Field(None, description="per-layer settings"))}
    return component_model(e, extra)


@functools.cache
def _wrapper_model(e: Entry, inner: Entries) -> type[Strict]:
    """A wrapper (Lookahead) whose `optimizer:` block is one of `inner`."""
    wrapped = tagged_union([_plain_optimizer_model(i) for i in inner])  # the same models as a top-level block
    return component_model(e, {"optimizer": (wrapped, Field(description="the optimizer it wraps: {type: ..., "
                                                                        "its arguments}"))})


def optimizer_model(e: Entry, inner: Entries) -> type[Strict]:
    """An optimizer's model; a wrapper's inner block may be any of `inner` (never a wrapper)."""
    return _wrapper_model(e, inner) if e.name in WRAPPERS else _plain_optimizer_model(e)


# ----- schedulers --------------------------------------------------------------------------------


@functools.cache
def child_model(e: Entry) -> type[Strict]:
    """A scheduler inside a composite's `schedulers:` list (no interval of its own)."""
    return component_model(e, suffix="_child")


@functools.cache
def scheduler_model(e: Entry, children: Entries) -> type[Strict]:
    """A top-level scheduler's model; a composite's `schedulers` may be any of `children`."""
    extra: dict[str, Any] = {"interval": (Interval | None, Field(None, description="step per epoch or per batch "
                                                                                   "(default: what it expects)"))}
    if e.name == "plateau":
        extra["monitor"] = (str | None, Field(None, description="the metrics column it watches"))
    if e.composite:
        extra["schedulers"] = (list[tagged_union([child_model(c) for c in children])], Field(min_length=1))
    return component_model(e, extra)
