"""The memory a run would need, estimated from the config and the data's shape before the model exists.

Parameters count once for the values, once for the gradients and once per optimizer state slot;
activations count the outputs of every layer for one training batch, twice (values and gradients).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config.registry import lookup
from ..config.schema import RunConfig
from ..data import Dataset
from ..data.memory import default_limit, format_bytes, physical_memory
from ..errors import UserError
from ..optim._shapes import merge_small_dims
from .footprint import spatial_footprint


@dataclass(frozen=True)
class Limit:
    """How many bytes a run may use, and where that number came from."""

    bytes: int
    source: str  # "training.max_memory" or a description of the default


def memory_limit(cfg: RunConfig) -> Limit:
    """`training.max_memory`, else half the machine's physical memory."""
    if cfg.training.max_memory is not None:
        return Limit(int(cfg.training.max_memory), "training.max_memory")
    return Limit(default_limit(), f"half of this machine's {format_bytes(physical_memory())}; "
                                  "training.max_memory sets another")


def _layer(spec: Any, width: int) -> tuple[int, int, int]:
    """(parameters, buffers, output width) of one layer given its input width; no layer is built."""
    name = lookup("layer", spec.type).name
    if name == "linear":
        out = int(spec.out_features)
        return width * out + (out if spec.bias else 0), 0, out
    if name == "batchnorm1d":
        return 2 * width * bool(spec.affine), 2 * width * bool(spec.track_running_stats), width
    if name == "layernorm":
        shape = spec.normalized_shape if spec.normalized_shape is not None else width
        size = math.prod(shape) if isinstance(shape, list) else int(shape)
        return size * bool(spec.elementwise_affine) * (1 + bool(spec.bias)), 0, width
    if name == "rmsnorm":
        shape = spec.normalized_shape if spec.normalized_shape is not None else width
        return (math.prod(shape) if isinstance(shape, list) else int(shape)) * bool(spec.elementwise_affine), 0, width
    if name == "embedding":
        return int(spec.num_embeddings) * int(spec.embedding_dim), 0, width * int(spec.embedding_dim)
    if name == "prelu":
        return int(spec.num_parameters), 0, width
    if name == "glu":
        return 0, 0, width // 2
    return 0, 0, width


def state_slots(spec: Any) -> int:
    """Per-parameter tensors the optimizer keeps (Adam's moments, SGD's momentum, LBFGS's history).

    A wrapper keeps its own slots (Lookahead: the slow weights, and their momentum with 'pullback') on top of
    the wrapped optimizer's. SOAP's preconditioner matrices are not parameter-sized: `matrix_state` counts them.
    """
    entry = lookup("optimizer", spec.type)
    if entry.name == "lookahead":
        return entry.state_slots + (spec.pullback_momentum == "pullback") + state_slots(spec.optimizer)
    if entry.name == "mars":
        return entry.state_slots + bool(spec.ams_bound)
    if entry.name == "adabelief":
        return entry.state_slots + bool(spec.ams_bound)
    if entry.name == "sgd":
        return int(bool(spec.momentum))
    if entry.name == "lbfgs":
        return 2 * int(spec.history_size) + 2
    if entry.name == "rmsprop":
        return 1 + bool(spec.centered) + bool(spec.momentum)
    if entry.name == "prodigy":  # s and p0 keep every slice_p-th entry; no first moment when beta1 = 0
        return 1 + bool(spec.betas[0] > 0) + math.ceil(2 / int(spec.slice_p))
    return entry.state_slots + bool(getattr(spec, "amsgrad", False))


def matrix_state(spec: Any, shapes: list[tuple[int, ...]]) -> int:
    """Numbers of optimizer state that are not per-parameter: SOAP's statistics GG and eigenbases Q, two d x d
    matrices for each preconditioned dimension d of each parameter shape (d <= max_precondition_dim; 1-D
    parameters only with precondition_1d; merge_dims merges dimensions first)."""
    while lookup("optimizer", spec.type).name == "lookahead":
        spec = spec.optimizer
    if lookup("optimizer", spec.type).name != "soap":
        return 0
    total = 0
    for shape in shapes:
        if len(shape) == 1 and not spec.precondition_1d:
            continue
        dims = merge_small_dims(shape, spec.max_precondition_dim) if spec.merge_dims and len(shape) > 1 else shape
        total += sum(2 * d * d for d in dims if d <= spec.max_precondition_dim)
    return total


def _shapes(spec: Any, width: int, n_params: int) -> list[tuple[int, ...]]:
    """The parameter shapes of one layer (a Linear's weight and bias; otherwise taken as one vector)."""
    name = lookup("layer", spec.type).name
    if name == "linear":
        out = int(spec.out_features)
        return [(out, width), *([(out,)] if spec.bias else [])]
    if name == "embedding":
        return [(int(spec.num_embeddings), int(spec.embedding_dim))]
    return [(n_params,)] if n_params else []


def layer_footprint(spec: Any, shape: tuple[int, ...]) -> tuple[int, int, tuple[int, ...], list[tuple[int, ...]]]:
    """(parameters, buffers, output shape, parameter shapes) of one layer given one row's input shape."""
    name = lookup("layer", spec.type).name
    if len(shape) == 1 and not hasattr(spec, "unflattened_size"):
        n_params, buffers, width = _layer(spec, shape[0])
        return n_params, buffers, (width,), _shapes(spec, shape[0], n_params)
    if name in ("linear", "layernorm", "rmsnorm", "embedding"):  # on the last dim, or on every value
        n_params, buffers, width = _layer(spec, shape[-1])
        out = {"linear": (*shape[:-1], width), "layernorm": shape, "rmsnorm": shape}.get(
            name, (*shape, width // shape[-1]))
        return n_params, buffers, out, _shapes(spec, shape[-1], n_params)
    spatial = spatial_footprint(spec, shape)
    if spatial is None:
        return 0, 0, shape, []
    n_params, out, param_shapes = spatial
    return n_params, 0, tuple(max(1, d) for d in out), param_shapes


def check_model_memory(cfg: RunConfig, data: Dataset, dtype: np.dtype, limit: Limit) -> None:
    """A UserError, before anything is allocated, when the model, its gradients, the optimizer state and one
    batch of activations would need more than the limit; the key names the layer that needs the most."""
    itemsize = np.dtype(dtype).itemsize
    rows = min(cfg.training.batch_size or data.n_train, data.n_train)
    per_param = itemsize * (2 + state_slots(cfg.optimizer))
    shape = tuple(data.input_shape)
    costs, params = [], 0
    total = rows * math.prod(shape) * itemsize * 2
    for spec in cfg.model.layers:
        n_params, buffers, shape, param_shapes = layer_footprint(spec, shape)
        matrices = matrix_state(cfg.optimizer, param_shapes)
        cost = (n_params * per_param + matrices * itemsize + buffers * itemsize
                + rows * math.prod(shape) * itemsize * 2)
        costs.append(cost)
        params += n_params
        total += cost
    if total <= limit.bytes:
        return
    worst = max(range(len(costs)), key=costs.__getitem__)
    layers = cfg.model.layers
    key = "training.max_memory"
    if costs[worst] * 2 > total:
        key = f"model.layers.{worst}" + (".out_features" if hasattr(layers[worst], "out_features") else "")
    raise UserError(
        f"the model would need about {format_bytes(total)} ({params:,} parameters with their gradients and "
        f"{cfg.optimizer.type} state, and the activations of {rows} rows), over the memory limit of "
        f"{format_bytes(limit.bytes)} ({limit.source}); model.layers.{worst} ('{layers[worst].type}') needs about "
        f"{format_bytes(costs[worst])} of it", key=key,
        hint="make the layers smaller or training.batch_size lower, or raise training.max_memory "
             "if the machine has the memory")
