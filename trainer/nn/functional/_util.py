"""Shared checks and the reduction step used by the functional losses and layers."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ...autograd import ops
from ...autograd.broadcast_check import broadcast_shape
from ...autograd.size import Size
from ...autograd.tensor import Tensor

REDUCTIONS = ("none", "mean", "sum")

PointwiseBackward = Callable[[np.ndarray], Sequence[np.ndarray | None]]


def check_reduction(reduction: str, allowed: tuple[str, ...] = REDUCTIONS) -> None:
    if reduction not in allowed:
        raise ValueError(f"{reduction} is not a valid value for reduction; expected one of {', '.join(allowed)}")


def as_tensor(x: Any, fn: str, name: str) -> Tensor:
    """`x` as a Tensor (arrays and numbers are wrapped); anything else is a TypeError naming `fn`."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray | int | float | np.number | list):
        return Tensor._from_data(x)
    raise TypeError(f"{fn}: argument '{name}' must be a Tensor, not {type(x).__name__}")


def require_float(t: Tensor, fn: str, name: str = "input") -> None:
    if t._array.dtype.kind != "f":
        raise ValueError(f"{fn}: expected a floating-point {name}, got dtype {t._array.dtype} (shape {t.shape})")


def same_shape(fn: str, input: Tensor, target: Tensor, what: str = "target") -> None:  # noqa: A002
    """Raise unless `target` has exactly `input`'s shape (no silent broadcasting)."""
    if input._array.shape != target._array.shape:
        raise ValueError(
            f"{fn}: input shape {tuple(input.shape)} and {what} shape {tuple(target.shape)} differ; "
            f"they must be equal (reshape one, e.g. target.reshape({tuple(input.shape)}))"
        )


def broadcast_pair(input: Tensor, target: Tensor, stacklevel: int = 4) -> tuple[Tensor, Tensor]:  # noqa: A002
    """`input` and `target` expanded to their broadcast shape, with the UserWarning PyTorch's pointwise regression
    losses give (pointing at the loss's caller); PyTorch's RuntimeError when the shapes do not broadcast."""
    a, b = input._array.shape, target._array.shape
    shape = broadcast_shape(a, b)
    warnings.warn(f"Using a target size ({Size(b)}) that is different to the input size ({Size(a)}). This will "
                  "likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
                  UserWarning, stacklevel=stacklevel)
    return (input if a == shape else ops.expand(input, shape)), (target if b == shape else ops.expand(target, shape))


def float_input_and_target(fn: str, input: Any, target: Any, reduction: str) -> tuple[Tensor, Tensor]:  # noqa: A002
    """The checks elementwise losses start with, in this order: the reduction, a floating-point input, a target
    of exactly its shape (the target's dtype is left to the loss)."""
    check_reduction(reduction)
    x = as_tensor(input, fn, "input")
    require_float(x, fn)
    t = as_tensor(target, fn, "target")
    same_shape(fn, x, t)
    return x, t


def float_target(fn: str, input: Tensor, target: Tensor, name: str = "target") -> Tensor:  # noqa: A002
    """`target` in `input`'s dtype: integers and booleans are converted, a different float dtype raises."""
    kind = target._array.dtype.kind
    if kind in "biu":
        return Tensor._wrap(target._array.astype(input._array.dtype))
    if kind == "f" and target._array.dtype != input._array.dtype:
        raise ValueError(
            f"{fn}: input dtype {input._array.dtype} and {name} dtype {target._array.dtype} differ "
            f"(shapes {tuple(input.shape)} and {tuple(target.shape)}); convert one with .float() or .double()"
        )
    if kind not in "f":
        raise ValueError(f"{fn}: {name} of dtype {target._array.dtype} (shape {tuple(target.shape)}) is not numeric")
    return target


def constant(x: Any, dtype: np.dtype, fn: str, name: str) -> np.ndarray | None:
    """A weight-like argument as an array in the input's dtype (no gradient flows into it)."""
    if x is None:
        return None
    arr = x._array if isinstance(x, Tensor) else np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{fn}: {name} of dtype {arr.dtype} is not numeric")
    return arr.astype(dtype, copy=False)


_CONSTANTS: dict[tuple[float, np.dtype], np.ndarray] = {}


def constant_of(value: float, dtype: np.dtype) -> np.ndarray:
    """A read-only 0-d `value` of `dtype`, cached: as a ufunc operand it spares numpy converting a Python float,
    and gives the same result as that float (converted to `dtype`) would."""
    c = _CONSTANTS.get((value, dtype))
    if c is None:
        c = _CONSTANTS[(value, dtype)] = np.full((), value, dtype)
        c.flags.writeable = False
    return c


def reduce_pointwise(
    loss: np.ndarray,
    parents: tuple[Tensor, ...],
    backward: PointwiseBackward,
    reduction: str,
    op: str,
    mean_denominator: Any = None,
) -> Tensor:
    """Wrap an elementwise loss array as one graph node, reduced by `reduction`.

    `backward(g)` receives the upstream gradient as an array broadcastable to `loss`'s shape (0-d
    after a reduction) and returns one full-shape gradient per parent. `mean_denominator` replaces
    the element count for 'mean' (weighted means).
    """
    dtype = loss.dtype
    if reduction == "none":
        return Tensor._make(loss, parents, backward, op)
    total = loss.sum(dtype=dtype)
    if reduction == "sum":
        scale = None
        out = np.asarray(total, dtype=dtype)
    else:
        denom = loss.size if mean_denominator is None else mean_denominator
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.asarray(total / np.asarray(denom, dtype=dtype), dtype=dtype)
        scale = np.asarray(denom, dtype=dtype)

    def reduced_backward(g: np.ndarray) -> Sequence[np.ndarray | None]:
        if scale is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                # every element weighted 0 (e.g. all targets ignored): the loss is nan, its gradient 0
                g = g / scale if scale != 0 else np.zeros_like(g)
        return backward(g)

    return Tensor._make(out, parents, reduced_backward, op)
