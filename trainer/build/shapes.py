"""Shape facts the model builder uses: which dimension an inferred argument reads, the input layouts layers need."""

from __future__ import annotations

from typing import Any

from ..errors import UserError

# Inferred arguments read one dimension of the previous layer's output: channels dim 1, features the last dim.
CHANNEL_ARGS = frozenset({"in_channels", "num_features", "num_channels"})
FEATURE_ARGS = frozenset({"in_features", "normalized_shape"})

# PyTorch class name -> the batched input rank it needs (the row count n first).
_RANKS = {
    **dict.fromkeys(("Conv1d", "MaxPool1d", "AvgPool1d", "AdaptiveAvgPool1d", "AdaptiveMaxPool1d", "Dropout1d",
                     "InstanceNorm1d"), 3),  # InstanceNorm1d would read (n, features) as one unbatched (C, L)
    **dict.fromkeys(("Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d",
                     "BatchNorm2d", "Dropout2d", "InstanceNorm2d"), 4),
}
LAYOUTS = {3: "(n, C, L)", 4: "(n, C, H, W)"}


def rows(shape: tuple[int, ...]) -> str:
    """A batch shape with the row count shown as n: (n, 3)."""
    return "(" + ", ".join(["n", *map(str, shape[1:])]) + (",)" if len(shape) == 1 else ")")


def needed_rank(entry: Any) -> int | None:
    """The input rank (n first) a layer type needs, when it needs one; None for layers that take any rank."""
    cls = entry.cls if entry.cls is not None else entry.target.rsplit(":", 1)[-1].rsplit(".", 1)[-1]
    return _RANKS.get(cls if isinstance(cls, str) else cls.__name__)


def check_rank(entry: Any, type_name: str, shape: tuple[int, ...], source: str, key: str, from_data: bool) -> None:
    """A UserError when a layer that needs (n, C, H, W) (or (n, C, L)) input gets another rank."""
    rank = needed_rank(entry)
    if rank is None or len(shape) == rank:
        return
    layout = LAYOUTS[rank]
    if from_data and len(shape) == 2:
        hint = ("use data.shape: image (digits, or openml image sets), or put {type: unflatten, dim: 1, "
                f"unflattened_size: [C, ...]}} first to give it {layout}")
    elif len(shape) == 2:
        hint = f"put {{type: unflatten, dim: 1, unflattened_size: [C, ...]}} before it to give it {layout}"
    else:
        hint = f"give it {layout} input"
    raise UserError(f"{type_name} needs {layout} input but {source} is {rows(shape)}", key=key, hint=hint)


def inferred_value(name: str, shape: tuple[int, ...]) -> int:
    """What an inferred argument reads from the input shape: dim 1 for channels, the last dim for features."""
    if len(shape) < 2:
        return 1
    return int(shape[1] if name in CHANNEL_ARGS else shape[-1])


def infer(entry: Any, spec: Any, shape: tuple[int, ...], key: str, source: str) -> dict[str, Any]:
    """The inferred arguments of one layer; a given value that disagrees with the input is a UserError."""
    out = {}
    for name in entry.inferred:
        given = getattr(spec, name)
        value = inferred_value(name, shape)
        trailing = isinstance(given, list) and 0 < len(given) < len(shape) and list(shape[-len(given):]) == given
        if given is not None and given != value and not trailing:
            what = "channels (dim 1)" if name in CHANNEL_ARGS else "features (last dim)"
            raise UserError(f"{name} is {given} but the input to this layer, {rows(shape)} ({source}), has {value} "
                            f"{what}", key=f"{key}.{name}", hint=f"drop {name}: it is inferred")
        out[name] = value if given is None else given
    return out
