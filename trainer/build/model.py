"""Build the sequential model: each layer's input size inferred, per-layer initialisers, shapes probed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ..autograd import Tensor, from_numpy, no_grad, tensor
from ..config import introspect
from ..config.registry import lookup
from ..errors import UserError, did_you_mean
from ..nn import Sequential
from .shapes import check_rank, infer, rows

PROBE_ERRORS = (ValueError, TypeError, IndexError, KeyError, RuntimeError, ArithmeticError, MemoryError)


class LayerShape(NamedTuple):
    """One built layer as `trainer validate` reports it; shapes are the probe's, with the row count first."""

    index: int
    type: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int


@dataclass
class BuiltModel:
    """The model, the output of a probe forward pass, and which layer last set the output width."""

    model: Any
    output: Tensor
    width_layer: int | None  # index of the last layer that changed the width (None: the data's width passes through)
    inferred: dict[int, dict[str, Any]]  # layer index -> inferred arguments (in_features, ...)
    layers: tuple[LayerShape, ...] = ()  # each layer's input and output shape (rows first) and parameter count


def component_kwargs(spec: Any, entry: Any, dtype: np.dtype) -> dict[str, Any]:
    """The constructor arguments of a validated component section (list-valued tensor arguments become tensors)."""
    kwargs = {}
    for arg in introspect.arguments(entry):
        value = getattr(spec, arg.name)
        if arg.tensor and value is not None:
            value = tensor(np.asarray(value, dtype=dtype))
        kwargs[arg.name] = value
    return kwargs


def _initialise(layer: Any, spec: Any, key: str, dtype: np.dtype) -> None:
    params = dict(layer.named_parameters())
    for pname, ispec in (spec.init or {}).items():
        where = f"{key}.init.{pname}"
        if pname not in params:
            has = f"its parameters: {', '.join(params)}" if params else "it has no parameters"
            raise UserError(f"layer '{spec.type}' has no parameter '{pname}'"
                            f"{did_you_mean(pname, list(params))}; {has}", key=where)
        entry = lookup("init", ispec.type)
        try:
            with no_grad(), np.errstate(all="ignore"):
                entry.load()(params[pname], **component_kwargs(ispec, entry, dtype))
        except PROBE_ERRORS as exc:
            raise UserError(f"cannot initialise '{pname}' with {ispec.type}: {exc}", key=where) from None


def build_model(layers: list[Any], x_probe: np.ndarray, dtype: np.dtype) -> BuiltModel:
    """Construct every layer in order (drawing initial weights from the library generator) and probe shapes.

    Inferred arguments read the previous output's shape: channels (`in_channels`, `num_features`,
    `num_channels`) dim 1, features (`in_features`, `normalized_shape`) the last dim. The probe runs each
    new layer in eval mode under no_grad on a couple of data rows, so it consumes no random numbers and
    changes no running statistics.
    """
    x = from_numpy(np.ascontiguousarray(x_probe, dtype=dtype))
    built, inferred, width_layer, shapes = [], {}, None, []
    for i, spec in enumerate(layers):
        key = f"model.layers.{i}"
        entry = lookup("layer", spec.type, key)
        shape = tuple(int(d) for d in x.shape)
        source = "the data" if not built else f"the output of model.layers.{i - 1}"
        check_rank(entry, spec.type, shape, source, key, from_data=not built)
        extra = infer(entry, spec, shape, key, source)
        inferred[i] = extra
        try:
            layer = entry.load()(**extra, **component_kwargs(spec, entry, dtype))
        except PROBE_ERRORS as exc:
            raise UserError(f"cannot build layer '{spec.type}': {exc}", key=key) from None
        _initialise(layer, spec, key, dtype)
        layer.eval()
        try:
            with no_grad(), np.errstate(all="ignore"):  # a non-finite probe is the training loop's to report
                out = layer(x)
        except PROBE_ERRORS as exc:
            raise UserError(f"{spec.type} cannot take an input of shape {rows(shape)} ({source}): {exc}",
                            key=key) from None
        finally:
            layer.train()
        if out.shape[1:] != x.shape[1:] or "out_features" in introspect_names(entry):
            width_layer = i
        shapes.append(LayerShape(i, spec.type, shape, tuple(int(d) for d in out.shape),
                                 sum(int(p.numel()) for p in layer.parameters())))
        x = out
        built.append(layer)
    return BuiltModel(Sequential(*built), x, width_layer, inferred, tuple(shapes))


def introspect_names(entry: Any) -> set[str]:
    """The argument names a layer type takes."""
    return {a.name for a in introspect.arguments(entry)}
